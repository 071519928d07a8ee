#include "redis/Url.h"

#include <cctype>
#include <climits>
#include <optional>
#include <stdexcept>
#include <string_view>

namespace warren::redis {

// Hides the password in the text the user gave us, so that even a URL we cannot parse never
// reaches a log with its secret. Aggressive on purpose: everything between the first ':' of the
// authority and the last '@' is treated as a password.
std::string redactUrlText(const std::string& text) {
  const auto schemeEnd = text.find("://");
  const auto start = schemeEnd == std::string::npos ? 0 : schemeEnd + 3;
  const auto at = text.rfind('@');
  if (at == std::string::npos || at < start) return text;
  const auto colon = text.find(':', start);
  if (colon == std::string::npos || colon > at) return text;
  return text.substr(0, colon + 1) + "***" + text.substr(at);
}

namespace {

[[noreturn]] void fail(const std::string& text, const std::string& problem) {
  throw std::invalid_argument("invalid Redis URL '" + redactUrlText(text) + "': " + problem);
}

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::optional<std::string> percentDecode(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '%') {
      out.push_back(in[i]);
      continue;
    }
    if (i + 2 >= in.size()) return std::nullopt;
    const int high = hexValue(in[i + 1]);
    const int low = hexValue(in[i + 2]);
    if (high < 0 || low < 0) return std::nullopt;
    out.push_back(static_cast<char>(high * 16 + low));
    i += 2;
  }
  return out;
}

// Digits only (no sign, no spaces); nullopt when not a number or above `max`.
std::optional<long long> parseNumber(std::string_view s, long long max) {
  if (s.empty() || s.size() > 18) return std::nullopt;
  long long value = 0;
  for (char c : s) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
    value = value * 10 + (c - '0');
  }
  if (value > max) return std::nullopt;
  return value;
}

bool allDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  return true;
}

int parseDb(const std::string& text, std::string_view value) {
  if (!allDigits(value))
    fail(text, "database '" + std::string(value) + "' is not a non-negative integer");
  const auto db = parseNumber(value, INT_MAX);
  if (!db)
    fail(text, "database '" + std::string(value) + "' is out of range (0-" +
                   std::to_string(INT_MAX) + ")");
  return static_cast<int>(*db);
}

int parsePort(const std::string& text, std::string_view value) {
  const auto port = parseNumber(value, 65535);
  if (!port || *port == 0)
    fail(text, "port '" + std::string(value) + "' is not a number between 1 and 65535");
  return static_cast<int>(*port);
}

void parseUserInfo(const std::string& text, std::string_view info, Url& url) {
  const auto colon = info.find(':');
  if (colon == std::string_view::npos) {
    // Do not echo the value: people sometimes put the password there.
    fail(text,
         "a user name needs a password; write redis://user:password@host or "
         "redis://:password@host");
  }
  auto user = percentDecode(info.substr(0, colon));
  if (!user) fail(text, "invalid percent-encoding in the user name");
  auto password = percentDecode(info.substr(colon + 1));
  if (!password) fail(text, "invalid percent-encoding in the password");
  url.user = std::move(*user);
  url.password = std::move(*password);
}

void parseHostPort(const std::string& text, std::string_view hostPort, Url& url) {
  if (hostPort.empty()) fail(text, "host is missing");
  std::string_view portText;
  bool hasPort = false;
  if (hostPort.front() == '[') {
    const auto close = hostPort.find(']');
    if (close == std::string_view::npos) fail(text, "unterminated '[' in IPv6 host");
    url.host = std::string(hostPort.substr(1, close - 1));
    const auto after = hostPort.substr(close + 1);
    if (!after.empty() && after.front() != ':') fail(text, "unexpected text after ']'");
    hasPort = !after.empty();
    if (hasPort) portText = after.substr(1);
  } else {
    const auto colon = hostPort.find(':');
    if (colon != std::string_view::npos && hostPort.find(':', colon + 1) != std::string_view::npos)
      fail(text, "IPv6 addresses must be in brackets, e.g. redis://[::1]:6379");
    url.host = std::string(hostPort.substr(0, colon));
    hasPort = colon != std::string_view::npos;
    if (hasPort) portText = hostPort.substr(colon + 1);
  }
  if (url.host.empty()) fail(text, "host is missing");
  if (hasPort) url.port = parsePort(text, portText);
}

// Returns true if the query set the db.
bool parseQuery(const std::string& text, std::string_view query, Url& url) {
  bool sawDb = false;
  while (!query.empty()) {
    const auto amp = query.find('&');
    const auto item = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    if (item.empty()) continue;
    const auto eq = item.find('=');
    const auto key = item.substr(0, eq);
    if (key != "db")
      fail(text, "unknown query parameter '" + std::string(key) + "' (only db is supported)");
    if (eq == std::string_view::npos) fail(text, "query parameter 'db' needs a value");
    url.db = parseDb(text, item.substr(eq + 1));
    sawDb = true;
  }
  return sawDb;
}

void parseUnixPath(const std::string& text, std::string_view hostPort, std::string_view path,
                   Url& url) {
  if (!hostPort.empty()) fail(text, "unix:// URLs take no host (write unix:///path/to/socket)");
  if (path.empty()) fail(text, "socket path is missing");
  auto decoded = percentDecode(path);
  if (!decoded) fail(text, "invalid percent-encoding in the socket path");
  url.path = std::move(*decoded);
}

void parseDbPath(const std::string& text, std::string_view path, bool dbInQuery, Url& url) {
  if (path.empty() || path == "/") return;
  if (dbInQuery) fail(text, "database given twice (in the path and as ?db=)");
  url.db = parseDb(text, path.substr(1));
}

std::string percentEncode(const std::string& in) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : in) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(hex[c >> 4]);
      out.push_back(hex[c & 15]);
    }
  }
  return out;
}

}  // namespace

Url Url::parse(const std::string& text) {
  Url url;
  const auto schemeEnd = text.find("://");
  std::string scheme = schemeEnd == std::string::npos ? "" : text.substr(0, schemeEnd);
  for (char& c : scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (scheme != "redis" && scheme != "rediss" && scheme != "unix")
    fail(text, "scheme must be redis://, rediss:// or unix://");
  url.tls = scheme == "rediss";
  url.unix = scheme == "unix";

  const std::string_view rest = std::string_view(text).substr(schemeEnd + 3);
  const auto authorityEnd = std::min(rest.find('/'), rest.find('?'));
  std::string_view authority = rest.substr(0, authorityEnd);
  const std::string_view remainder =
      authorityEnd == std::string_view::npos ? std::string_view{} : rest.substr(authorityEnd);
  const auto queryStart = remainder.find('?');
  const auto path = remainder.substr(0, queryStart);
  const auto query =
      queryStart == std::string_view::npos ? std::string_view{} : remainder.substr(queryStart + 1);

  // The last '@' ends the user info, so an unencoded '@' in a password still works.
  const auto at = authority.rfind('@');
  if (at != std::string_view::npos) {
    parseUserInfo(text, authority.substr(0, at), url);
    authority = authority.substr(at + 1);
  }
  const bool dbInQuery = parseQuery(text, query, url);
  if (url.unix) {
    parseUnixPath(text, authority, path, url);
  } else {
    parseHostPort(text, authority, url);
    parseDbPath(text, path, dbInQuery, url);
  }
  return url;
}

std::string Url::redacted() const {
  std::string out = unix ? "unix://" : (tls ? "rediss://" : "redis://");
  if (!user.empty() || !password.empty())
    out += percentEncode(user) + (password.empty() ? "" : ":***") + "@";
  if (unix) return out + path + (db != 0 ? "?db=" + std::to_string(db) : "");
  out += endpoint();
  if (db != 0) out += "/" + std::to_string(db);
  return out;
}

std::string Url::endpoint() const {
  if (unix) return path;
  const bool v6 = host.find(':') != std::string::npos;
  return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

}  // namespace warren::redis
