#include "storage/Keys.h"

#include "storage/Store.h"

#include <cstdio>

namespace warren::storage {
namespace {

[[noreturn]] void refuse(std::string_view what, std::string_view text, std::string_view why) {
  throw StorageError(ErrorKind::invalid,
                     std::string(what) + " " + inQuotes(text) + " " + std::string(why));
}

// Length of the UTF-8 sequence starting at text[i], or 0 when it is not well-formed (overlong
// forms, surrogates and code points above U+10FFFF included).
std::size_t utf8Length(std::string_view text, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char c = byte(i);
  if (c < 0x80) return 1;
  std::size_t n = 0;
  unsigned char low = 0x80, high = 0xBF;
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
    if (c == 0xE0) low = 0xA0;
    if (c == 0xED) high = 0x9F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
    if (c == 0xF0) low = 0x90;
    if (c == 0xF4) high = 0x8F;
  } else {
    return 0;
  }
  if (i + n > text.size()) return 0;
  if (byte(i + 1) < low || byte(i + 1) > high) return 0;
  for (std::size_t k = 2; k < n; ++k) {
    if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return 0;
  }
  return n;
}

// The byte rules shared by keys and prefixes.
void checkBytes(std::string_view what, std::string_view text) {
  if (text.size() > kMaxKeyBytes) {
    refuse(what, text, "is longer than 1024 bytes (" + std::to_string(text.size()) + ")");
  }
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == 0) refuse(what, text, "contains a NUL byte");
    if (c < 0x20 || c == 0x7F) {
      char hex[8];
      std::snprintf(hex, sizeof hex, "0x%02X", c);
      refuse(what, text, std::string("contains a control character (") + hex + ")");
    }
    const std::size_t n = utf8Length(text, i);
    if (n == 0) refuse(what, text, "is not valid UTF-8");
    i += n;
  }
  if (!text.empty() && text.front() == '/') {
    refuse(what, text, "starts with '/' (keys are relative, like \"videos/a.mp4\")");
  }
}

}  // namespace

void validateKey(std::string_view key) {
  if (key.empty()) throw StorageError(ErrorKind::invalid, "key is empty");
  checkBytes("key", key);
  std::size_t start = 0;
  bool first = true;
  while (true) {
    const std::size_t end = key.find('/', start);
    const std::string_view segment =
        key.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    if (segment.empty()) refuse("key", key, "has an empty segment ('//' or a trailing '/')");
    if (segment == ".") refuse("key", key, "has a '.' segment");
    if (segment == "..") refuse("key", key, "has a '..' segment (keys may not leave the store)");
    if (first && segment == kReservedSegment) {
      refuse("key", key, "starts with the reserved segment '.warren'");
    }
    if (end == std::string_view::npos) return;
    start = end + 1;
    first = false;
  }
}

void validatePrefix(std::string_view prefix) {
  checkBytes("prefix", prefix);
}

std::string inQuotes(std::string_view text) {
  constexpr std::size_t kMax = 200;
  std::string out = "\"";
  std::size_t i = 0;
  while (i < text.size() && i < kMax) {
    const auto c = static_cast<unsigned char>(text[i]);
    const std::size_t n = utf8Length(text, i);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20 || c == 0x7F || n == 0) {
      // Control bytes and bytes that are not UTF-8: the message itself stays valid UTF-8.
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\x%02X", c);
      out += escaped;
    } else {
      out.append(text.substr(i, n));
      i += n;
      continue;
    }
    ++i;
  }
  if (i < text.size()) out += "...";
  out += '"';
  return out;
}

}  // namespace warren::storage
