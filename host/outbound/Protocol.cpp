#include "outbound/Protocol.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <map>
#include <stdexcept>

namespace warren::outbound {
namespace {

bool tokenChar(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool token(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), tokenChar);
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

bool continuation(unsigned char c) {
  return (c & 0xC0) == 0x80;
}

// Length of the valid UTF-8 sequence starting at `i` (no overlongs, no surrogates, at most
// U+10FFFF), or 0.
std::size_t utf8Length(std::string_view text, std::size_t i) {
  const auto at = [&](std::size_t k) { return static_cast<unsigned char>(text[i + k]); };
  const unsigned char lead = at(0);
  std::size_t length = 0;
  unsigned char low = 0x80, high = 0xBF;  // allowed range of the second byte
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) low = 0xA0;
    if (lead == 0xED) high = 0x9F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) low = 0x90;
    if (lead == 0xF4) high = 0x8F;
  } else {
    return 0;
  }
  if (i + length > text.size() || at(1) < low || at(1) > high) return 0;
  for (std::size_t k = 2; k < length; ++k)
    if (!continuation(at(k))) return 0;
  return length;
}

void appendAscii(std::string& out, char c) {
  switch (c) {
    case '"':
      out += "\\\"";
      return;
    case '\\':
      out += "\\\\";
      return;
    case '\n':
      out += "\\n";
      return;
    case '\r':
      out += "\\r";
      return;
    case '\t':
      out += "\\t";
      return;
    default:
      break;
  }
  if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
    char escaped[8];
    std::snprintf(escaped, sizeof escaped, "\\u%04x", static_cast<unsigned>(c));
    out += escaped;
  } else {
    out += c;
  }
}

}  // namespace

bool validMethod(std::string_view method) {
  return token(method);
}

bool idempotentMethod(std::string_view method) {
  for (const std::string_view known : {"GET", "HEAD", "PUT", "DELETE", "OPTIONS", "TRACE"})
    if (method == known) return true;
  return false;
}

void checkRequestHeader(std::string_view name, std::string_view value) {
  const std::string quoted = "header '" + std::string(name) + "': ";
  if (!token(name)) throw std::invalid_argument(quoted + "the name is not a valid HTTP token");
  if (value.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos)
    throw std::invalid_argument(quoted + "the value contains CR, LF or NUL");
  const std::string key = lower(name);
  if (key == "content-length" || key == "transfer-encoding" || key == "connection")
    throw std::invalid_argument(quoted + "the host sets it (from the body and its pooling)");
}

void appendJsonString(std::string& out, std::string_view text) {
  out += '"';
  for (std::size_t i = 0; i < text.size();) {
    if (static_cast<unsigned char>(text[i]) < 0x80) {
      appendAscii(out, text[i++]);
      continue;
    }
    const std::size_t length = utf8Length(text, i);
    if (length == 0) {
      out += "\\ufffd";
      ++i;
    } else {
      out.append(text.substr(i, length));
      i += length;
    }
  }
  out += '"';
}

std::string headersJson(const HeaderList& headers) {
  std::map<std::string, std::string> merged;
  for (const auto& [name, value] : headers) {
    auto [it, inserted] = merged.try_emplace(lower(name), value);
    if (!inserted) it->second += ", " + value;
  }
  std::string out = "{";
  for (const auto& [name, value] : merged) {
    if (out.size() > 1) out += ',';
    appendJsonString(out, name);
    out += ':';
    appendJsonString(out, value);
  }
  return out + "}";
}

std::optional<std::chrono::milliseconds> parseRetryAfter(
    std::string_view value, std::chrono::system_clock::time_point now) {
  while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
  if (value.empty()) return std::nullopt;
  std::uint64_t seconds = 0;
  const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), seconds);
  if (error == std::errc() && end == value.data() + value.size())
    return std::chrono::milliseconds(std::min<std::uint64_t>(seconds, 1u << 30) * 1000);
  // An HTTP-date in its one current form (RFC 9110 IMF-fixdate), e.g.
  // "Sun, 06 Nov 1994 08:49:37 GMT". The whole text must match.
  const std::string text(value);
  std::tm fields{};
  const char* parsedTo = ::strptime(text.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &fields);
  if (parsedTo == nullptr || *parsedTo != '\0') return std::nullopt;
  const auto at = std::chrono::system_clock::from_time_t(::timegm(&fields));
  return std::max(std::chrono::ceil<std::chrono::milliseconds>(at - now),
                  std::chrono::milliseconds(0));
}

std::chrono::milliseconds backoffDelay(unsigned failed, std::chrono::milliseconds base,
                                       std::chrono::milliseconds cap, double random) {
  const unsigned doublings = std::min(failed > 0 ? failed - 1 : 0u, 30u);
  const double full =
      std::min(static_cast<double>(cap.count()),
               static_cast<double>(base.count()) * std::ldexp(1.0, static_cast<int>(doublings)));
  const double scaled = full * (0.5 + 0.5 * std::clamp(random, 0.0, 1.0));
  return std::chrono::milliseconds(static_cast<std::int64_t>(std::llround(scaled)));
}

bool retryableStatus(int code) {
  return code == 429 || (code >= 500 && code <= 599);
}

}  // namespace warren::outbound
