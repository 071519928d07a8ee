#include "json/Json.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>

#include <cctype>
#include <cstdint>
#include <sstream>

namespace warren::json {

Poco::Dynamic::Var parse(std::string_view text) {
  Poco::JSON::Parser parser;
  std::string wrapped;
  wrapped.reserve(text.size() + 2);
  wrapped += '[';
  wrapped += text;
  wrapped += ']';
  const auto array = parser.parse(wrapped).extract<Poco::JSON::Array::Ptr>();
  if (array->size() != 1) throw Poco::JSON::JSONException("expected exactly one JSON value");
  return array->get(0);
}

namespace {

// A recursive-descent syntax check of one JSON text; no allocation.
class Checker {
 public:
  explicit Checker(std::string_view text, std::vector<Member>* members = nullptr)
      : p_(text.data()), end_(text.data() + text.size()), top_(members) {}

  bool document() {
    space();
    if (!value(0)) return false;
    space();
    return p_ == end_;
  }

 private:
  static constexpr int kMaxDepth = 512;

  bool at(char c) const { return p_ != end_ && *p_ == c; }
  bool digit() const { return p_ != end_ && *p_ >= '0' && *p_ <= '9'; }
  void digits() {
    while (digit()) ++p_;
  }
  void space() {
    while (p_ != end_ && (*p_ == ' ' || *p_ == '\t' || *p_ == '\n' || *p_ == '\r')) ++p_;
  }

  bool value(int depth) {
    if (p_ == end_) return false;
    switch (*p_) {
      case '{':
        return members(depth + 1, '}', true);
      case '[':
        return members(depth + 1, ']', false);
      case '"':
        return string();
      case 't':
        return word("true");
      case 'f':
        return word("false");
      case 'n':
        return word("null");
      default:
        return number();
    }
  }

  // An object (keyed) or an array, from its opening bracket.
  bool members(int depth, char close, bool keyed) {
    if (depth > kMaxDepth) return false;
    ++p_;
    space();
    if (at(close)) {
      ++p_;
      return true;
    }
    for (;;) {
      const char* keyStart = p_ + 1;
      const char* keyEnd = p_;
      if (keyed) {
        if (!at('"') || !string()) return false;
        keyEnd = p_ - 1;  // the closing quote
        space();
        if (!at(':')) return false;
        ++p_;
        space();
      }
      const char* valueStart = p_;
      if (!value(depth)) return false;
      if (keyed && depth == 1 && top_ != nullptr) {
        top_->push_back({std::string_view(keyStart, static_cast<std::size_t>(keyEnd - keyStart)),
                         std::string_view(valueStart, static_cast<std::size_t>(p_ - valueStart))});
      }
      space();
      if (at(close)) {
        ++p_;
        return true;
      }
      if (!at(',')) return false;
      ++p_;
      space();
    }
  }

  bool word(std::string_view w) {
    if (static_cast<std::size_t>(end_ - p_) < w.size() || std::string_view(p_, w.size()) != w) {
      return false;
    }
    p_ += w.size();
    return true;
  }

  bool number() {
    if (at('-')) ++p_;
    if (at('0')) {
      ++p_;
    } else {
      if (!digit()) return false;
      digits();
    }
    if (at('.')) {
      ++p_;
      if (!digit()) return false;
      digits();
    }
    if (at('e') || at('E')) {
      ++p_;
      if (at('+') || at('-')) ++p_;
      if (!digit()) return false;
      digits();
    }
    return true;
  }

  bool string() {
    ++p_;
    while (p_ != end_) {
      const auto c = static_cast<unsigned char>(*p_);
      if (c == '"') {
        ++p_;
        return true;
      }
      if (c < 0x20) return false;
      if (c == '\\') {
        if (!escape()) return false;
      } else if (c < 0x80) {
        ++p_;
      } else if (!utf8()) {
        return false;
      }
    }
    return false;
  }

  bool escape() {
    ++p_;
    if (p_ == end_) return false;
    const char e = *p_++;
    switch (e) {
      case '"':
      case '\\':
      case '/':
      case 'b':
      case 'f':
      case 'n':
      case 'r':
      case 't':
        return true;
      case 'u':
        for (int i = 0; i < 4; ++i, ++p_) {
          if (p_ == end_ || !std::isxdigit(static_cast<unsigned char>(*p_))) return false;
        }
        return true;
      default:
        return false;
    }
  }

  // One multi-byte UTF-8 sequence: no overlong forms, no surrogates, nothing above U+10FFFF.
  bool utf8() {
    const auto lead = static_cast<unsigned char>(*p_);
    int more = 0;
    std::uint32_t code = 0;
    std::uint32_t least = 0;
    if (lead >= 0xC2 && lead <= 0xDF) {
      more = 1, code = lead & 0x1Fu, least = 0x80;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      more = 2, code = lead & 0x0Fu, least = 0x800;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      more = 3, code = lead & 0x07u, least = 0x10000;
    } else {
      return false;
    }
    ++p_;
    for (int i = 0; i < more; ++i, ++p_) {
      if (p_ == end_ || (static_cast<unsigned char>(*p_) & 0xC0u) != 0x80u) return false;
      code = (code << 6) | (static_cast<unsigned char>(*p_) & 0x3Fu);
    }
    return code >= least && code <= 0x10FFFF && (code < 0xD800 || code > 0xDFFF);
  }

  const char* p_;
  const char* end_;
  std::vector<Member>* top_;  // collects the top-level members when set
};

}  // namespace

bool wellFormed(std::string_view text) {
  return Checker(text).document();
}

std::optional<std::vector<Member>> objectMembers(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos || text[first] != '{') return std::nullopt;
  std::vector<Member> members;
  if (!Checker(text, &members).document()) return std::nullopt;
  return members;
}

bool valid(std::string_view text) {
  if (wellFormed(text)) return true;
  try {
    parse(text);
    return true;
  } catch (...) {
    return false;
  }
}

std::string stringify(const Poco::Dynamic::Var& value) {
  std::ostringstream out;
  Poco::JSON::Stringifier::condense(value, out);
  return out.str();
}

}  // namespace warren::json
