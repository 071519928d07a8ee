#include "json/SchemaEngine.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <vector>

namespace warren::json::engine {

namespace {

// A job's data is untrusted: bound what one search may cost (steps, and backtracking memory).
constexpr std::uint32_t kMatchLimit = 1'000'000;
constexpr std::uint32_t kHeapLimitKiB = 64 * 1024;

thread_local const Patterns* tActive = nullptr;

// JSON Schema patterns are ECMA 262 regular expressions: `$` only at the very end, \uXXXX
// escapes; PCRE2 reads the rest of their common subset the same way.
constexpr std::uint32_t kCompileOptions = PCRE2_UTF | PCRE2_DOLLAR_ENDONLY | PCRE2_ALT_BSUX;

}  // namespace

struct Patterns::Code {
  pcre2_code* code = nullptr;
  pcre2_match_context* context = nullptr;
  ~Code() {
    pcre2_match_context_free(context);
    pcre2_code_free(code);
  }
};

Patterns::Patterns() = default;
Patterns::~Patterns() = default;

void Patterns::add(const std::string& pattern) {
  if (codes_.count(pattern) != 0) return;
  int error = 0;
  PCRE2_SIZE offset = 0;
  auto code = std::make_unique<Code>();
  code->code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.data()), pattern.size(),
                             kCompileOptions, &error, &offset, nullptr);
  if (code->code == nullptr) {
    PCRE2_UCHAR reason[256];
    pcre2_get_error_message(error, reason, sizeof(reason));
    throw std::invalid_argument("pattern '" + pattern + "' is not a valid regular expression: " +
                                reinterpret_cast<const char*>(reason) + " at offset " +
                                std::to_string(offset));
  }
  code->context = pcre2_match_context_create(nullptr);
  if (code->context == nullptr) throw std::bad_alloc();
  pcre2_set_match_limit(code->context, kMatchLimit);
  pcre2_set_heap_limit(code->context, kHeapLimitKiB);
  codes_.emplace(pattern, std::move(code));
}

Patterns::Match Patterns::search(const std::string& pattern, std::string_view subject) const {
  const auto found = codes_.find(pattern);
  if (found == codes_.end()) return Match::undecided;
  const Code& code = *found->second;
  pcre2_match_data* data = pcre2_match_data_create(1, nullptr);
  if (data == nullptr) return Match::undecided;
  const int rc = pcre2_match(code.code, reinterpret_cast<PCRE2_SPTR>(subject.data()),
                             subject.size(), 0, 0, data, code.context);
  pcre2_match_data_free(data);
  if (rc >= 0) return Match::yes;
  if (rc == PCRE2_ERROR_NOMATCH) return Match::no;
  return Match::undecided;
}

ActivePatterns::ActivePatterns(const Patterns& patterns) : previous_(tActive) {
  tActive = &patterns;
}
ActivePatterns::~ActivePatterns() {
  tActive = previous_;
}
const Patterns* ActivePatterns::current() {
  return tActive;
}

std::string patternFailure(const std::string& pattern, Patterns::Match match) {
  if (match == Patterns::Match::undecided) {
    return "could not be matched against the pattern '" + pattern + "' within the match limit";
  }
  return "must match the pattern '" + pattern + "'";
}

namespace {

bool digits(std::string_view text, std::size_t from, std::size_t count) {
  if (from + count > text.size()) return false;
  for (std::size_t i = from; i < from + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
  }
  return true;
}

int number(std::string_view text, std::size_t from, std::size_t count) {
  int value = 0;
  for (std::size_t i = from; i < from + count; ++i) value = value * 10 + (text[i] - '0');
  return value;
}

// RFC 3339 full-date: YYYY-MM-DD, the day within its month.
bool fullDate(std::string_view text) {
  if (text.size() != 10 || !digits(text, 0, 4) || text[4] != '-' || !digits(text, 5, 2) ||
      text[7] != '-' || !digits(text, 8, 2)) {
    return false;
  }
  const int year = number(text, 0, 4);
  const int month = number(text, 5, 2);
  const int day = number(text, 8, 2);
  static constexpr int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12 || day < 1 || day > kDays[month - 1]) return false;
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month != 2 || day <= 28 || leap;
}

// RFC 3339 full-time: HH:MM:SS, optional fraction, then Z or an offset ±HH:MM.
bool fullTime(std::string_view text) {
  if (text.size() < 9 || !digits(text, 0, 2) || text[2] != ':' || !digits(text, 3, 2) ||
      text[5] != ':' || !digits(text, 6, 2)) {
    return false;
  }
  if (number(text, 0, 2) > 23 || number(text, 3, 2) > 59 || number(text, 6, 2) > 60) return false;
  std::size_t at = 8;
  if (text[at] == '.') {
    const std::size_t first = ++at;
    while (at < text.size() && text[at] >= '0' && text[at] <= '9') ++at;
    if (at == first) return false;
  }
  const std::string_view offset = text.substr(at);
  if (offset == "Z" || offset == "z") return true;
  return offset.size() == 6 && (offset[0] == '+' || offset[0] == '-') && digits(offset, 1, 2) &&
         offset[3] == ':' && digits(offset, 4, 2) && number(offset, 1, 2) <= 23 &&
         number(offset, 4, 2) <= 59;
}

}  // namespace

}  // namespace warren::json::engine

namespace valijson {

namespace {

using JsonType = constraints::TypeConstraint::JsonType;

bool hasType(const warren::json::engine::Adapter& target, JsonType type) {
  switch (type) {
    case constraints::TypeConstraint::kAny:
      return true;
    case constraints::TypeConstraint::kArray:
      return target.isArray();
    case constraints::TypeConstraint::kBoolean:
      return target.isBool();
    case constraints::TypeConstraint::kInteger:
      return target.isInteger() ||
             (target.isDouble() && std::trunc(target.getDouble()) == target.getDouble());
    case constraints::TypeConstraint::kNull:
      return target.isNull();
    case constraints::TypeConstraint::kNumber:
      return target.isNumber();
    case constraints::TypeConstraint::kObject:
      return target.isObject();
    case constraints::TypeConstraint::kString:
      return target.isString();
  }
  return false;
}

const char* typeWords(JsonType type) {
  switch (type) {
    case constraints::TypeConstraint::kAny:
      return "any value";
    case constraints::TypeConstraint::kArray:
      return "an array";
    case constraints::TypeConstraint::kBoolean:
      return "a boolean";
    case constraints::TypeConstraint::kInteger:
      return "an integer";
    case constraints::TypeConstraint::kNull:
      return "null";
    case constraints::TypeConstraint::kNumber:
      return "a number";
    case constraints::TypeConstraint::kObject:
      return "an object";
    case constraints::TypeConstraint::kString:
      return "a string";
  }
  return "a value";
}

// "a string", "a string or null", "a string, a number or null".
std::string typeList(const std::vector<JsonType>& types) {
  std::string text;
  for (std::size_t i = 0; i < types.size(); ++i) {
    if (i > 0) text += i + 1 == types.size() ? " or " : ", ";
    text += typeWords(types[i]);
  }
  return text;
}

}  // namespace

template <>
bool ValidationVisitor<warren::json::engine::Adapter>::visit(
    const constraints::PatternConstraint& constraint) {
  using warren::json::engine::Patterns;
  if (!m_target.isString()) return true;
  const std::string pattern = constraint.getPattern<std::string::allocator_type>();
  const Patterns* patterns = warren::json::engine::ActivePatterns::current();
  const Patterns::Match match = patterns != nullptr ? patterns->search(pattern, m_target.asString())
                                                    : Patterns::Match::undecided;
  if (match == Patterns::Match::yes) return true;
  if (m_results) {
    m_results->pushError(m_context, warren::json::engine::patternFailure(pattern, match));
  }
  return false;
}

template <>
bool ValidationVisitor<warren::json::engine::Adapter>::visit(
    const constraints::FormatConstraint& constraint) {
  using namespace warren::json::engine;
  if (!m_target.isString()) return true;
  const std::string& format = constraint.getFormat();
  const std::string text = m_target.asString();
  const std::string_view view(text);
  bool valid = true;
  const char* expected = "";
  if (format == "date") {
    valid = fullDate(view);
    expected = "a date (YYYY-MM-DD)";
  } else if (format == "time") {
    valid = fullTime(view);
    expected = "a time (HH:MM:SS with Z or an offset such as +01:00)";
  } else if (format == "date-time") {
    valid = view.size() > 11 && fullDate(view.substr(0, 10)) &&
            (view[10] == 'T' || view[10] == 't') && fullTime(view.substr(11));
    expected = "a date-time (RFC 3339, e.g. 2026-12-07T23:10:00Z)";
  }
  // Other formats are annotations (draft 7 lets a validator ignore them), as in valijson.
  if (!valid && m_results) m_results->pushError(m_context, std::string("must be ") + expected);
  return valid;
}

template <>
bool ValidationVisitor<warren::json::engine::Adapter>::visit(
    const constraints::TypeConstraint& constraint) {
  std::vector<JsonType> types;
  constraint.applyToNamedTypes([&types](JsonType type) {
    types.push_back(type);
    return true;
  });
  // valijson keeps them in enum order; "a string or null" reads better than "null or a string".
  std::stable_partition(types.begin(), types.end(),
                        [](JsonType type) { return type != constraints::TypeConstraint::kNull; });
  for (const JsonType type : types) {
    if (hasType(m_target, type)) return true;
  }
  // Schema-valued types exist only in draft 3; the draft 7 parser never builds them.
  if (m_results) {
    m_results->pushError(m_context, types.empty() ? std::string("has no type the schema allows")
                                                  : "expected " + typeList(types));
  }
  return false;
}

}  // namespace valijson
