#include "outbound/Url.h"

#include <arpa/inet.h>

#include <charconv>
#include <stdexcept>

namespace warren::outbound {
namespace {

// The url as a refusal shows it: user info (credentials) replaced by ***, since the text goes on
// into errors, failed jobs and logs.
std::string shown(std::string_view text) {
  const auto scheme = text.find("://");
  const std::size_t start = scheme == std::string_view::npos ? 0 : scheme + 3;
  const auto end = text.find_first_of("/?#", start);
  const auto at = text.substr(0, end).rfind('@');
  if (at == std::string_view::npos || at < start) return std::string(text);
  return std::string(text.substr(0, start)) + "***" + std::string(text.substr(at));
}

[[noreturn]] void refuse(std::string_view text, const std::string& reason) {
  throw std::invalid_argument("invalid url '" + shown(text) + "': " + reason);
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

bool hostNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_';
}

bool validIpv6(const std::string& text) {
  in6_addr address{};
  return inet_pton(AF_INET6, text.c_str(), &address) == 1;
}

bool validIpv4(const std::string& text) {
  in_addr address{};
  return inet_pton(AF_INET, text.c_str(), &address) == 1;
}

std::uint16_t parsePort(std::string_view text, std::string_view port, bool tls) {
  if (port.empty()) return tls ? 443 : 80;
  unsigned value = 0;
  const auto [end, error] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (error != std::errc() || end != port.data() + port.size() || value == 0 || value > 65535)
    refuse(text, "port '" + std::string(port) + "' is not a number from 1 to 65535");
  return static_cast<std::uint16_t>(value);
}

// Splits "host[:port]" or "[v6][:port]" into the Url.
void parseAuthority(std::string_view text, std::string_view authority, Url& url) {
  if (authority.find('@') != std::string_view::npos)
    refuse(text, "user credentials in the url are not supported (send an Authorization header)");
  std::string_view port;
  if (!authority.empty() && authority.front() == '[') {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) refuse(text, "the IPv6 address has no closing ']'");
    url.host = lower(authority.substr(1, close - 1));
    const std::string_view after = authority.substr(close + 1);
    if (!after.empty() && after.front() != ':') refuse(text, "unexpected text after ']'");
    if (!after.empty()) port = after.substr(1);
    if (!validIpv6(url.host)) refuse(text, "'" + url.host + "' is not an IPv6 address");
    url.ipLiteral = true;
  } else {
    const auto colon = authority.find(':');
    url.host = lower(authority.substr(0, colon));
    if (colon != std::string_view::npos) port = authority.substr(colon + 1);
    for (const char c : url.host)
      if (!hostNameChar(c)) refuse(text, "'" + url.host + "' is not a valid host name");
    url.ipLiteral = validIpv4(url.host);
  }
  if (url.host.empty()) refuse(text, "it has no host");
  url.port = parsePort(text, port, url.tls);
}

}  // namespace

std::string Url::authority() const {
  const std::string name = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  return name + ":" + std::to_string(port);
}

std::string Url::redacted() const {
  return scheme() + "://" + authority() + path;
}

Url parseUrl(std::string_view text) {
  if (text.empty()) refuse(text, "it is empty");
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte <= 0x20 || byte >= 0x7f)
      refuse(text,
             "it contains a space, a control character or a non-ASCII byte "
             "(percent-encode them)");
  }
  const auto separator = text.find("://");
  if (separator == std::string_view::npos)
    refuse(text, "expected an absolute url like https://host/path");
  const std::string scheme = lower(text.substr(0, separator));
  if (scheme != "http" && scheme != "https") refuse(text, "only http and https are supported");

  Url url;
  url.tls = scheme == "https";
  std::string_view rest = text.substr(separator + 3);
  const auto authorityEnd = rest.find_first_of("/?#");
  parseAuthority(text, rest.substr(0, authorityEnd), url);
  std::string_view target =
      authorityEnd == std::string_view::npos ? std::string_view() : rest.substr(authorityEnd);
  target = target.substr(0, target.find('#'));
  url.target =
      target.empty() || target.front() != '/' ? "/" + std::string(target) : std::string(target);
  url.path = url.target.substr(0, url.target.find('?'));
  return url;
}

}  // namespace warren::outbound
