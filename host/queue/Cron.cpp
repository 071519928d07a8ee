// A port of cron-parser 5.10.0 (CronExpressionParser, CronExpression.next, CronDate) and of the
// parts of luxon 3.7 DateTime arithmetic it relies on (plus / set / startOf / endOf with the
// zone offset guess of luxon's fixOffset). The structure follows the JavaScript closely on
// purpose: cron-parser's DST behaviour is the product of these exact steps, so "equivalent"
// rewrites would drift from it. JavaScript names are cited in comments.
#include "queue/Cron.h"

#include <algorithm>
#include <array>
#include <bitset>
#include <charconv>
#include <cmath>
#include <limits>
#include <random>
#include <utility>
#include <vector>

#include "queue/TimeZone.h"

namespace warren::queue {

using calendar::floorDiv;

// ---- Parsed representation -------------------------------------------------------------------

struct Cron::Fields {
  std::string pattern;
  // Sorted values as cron-parser keeps them (duplicate zeros survive its duplicate check).
  std::vector<int> second, minute, hour, month;
  std::bitset<60> secondSet, minuteSet;
  std::bitset<24> hourSet;
  std::bitset<13> monthSet;
  std::size_t hourCount = 0;  // hour.values.length: 24 disables the DST bookkeeping

  std::bitset<32> daySet;  // day-of-month numbers
  bool dayWildcard = false;
  bool dayHasLast = false;

  std::bitset<8> weekdaySet;  // 0..7 (7 never matches, as in cron-parser)
  bool weekdayWildcard = false;
  bool weekdayHasLast = false;
  std::bitset<7> lastWeekdays;  // weekdays matched by the 'L' form (first digit of each value % 7)
  double nthDay = 0;            // from '#', 0 = none
};

namespace {

// ---- Pattern parsing (CronExpressionParser) -------------------------------------------------

enum class Unit { Second, Minute, Hour, DayOfMonth, Month, DayOfWeek };

struct Constraints {
  int min;
  int max;
  bool lastChar;  // 'L' allowed (CronField.chars)
  const char* name;
};

constexpr Constraints kSecond{0, 59, false, "second"};
constexpr Constraints kMinute{0, 59, false, "minute"};
constexpr Constraints kHour{0, 23, false, "hour"};
constexpr Constraints kDayOfMonth{1, 31, true, "day-of-month"};
constexpr Constraints kMonth{1, 12, false, "month"};
constexpr Constraints kDayOfWeek{0, 7, true, "day-of-week"};

constexpr std::array<int, 12> kDaysInMonth{31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
constexpr int kLoopLimit = 10000;
constexpr std::int64_t kBig = 1'000'000'000'000'000;  // saturation for absurd digit strings

// A field value: a number, or a text such as "L" / "5L".
struct Value {
  bool isText = false;
  std::int64_t number = 0;
  std::string text;
  std::string str() const { return isText ? text : std::to_string(number); }
  bool operator==(const Value& o) const {
    return isText == o.isText && (isText ? text == o.text : number == o.number);
  }
};

bool isDigit(char c) {
  return c >= '0' && c <= '9';
}

// JavaScript parseInt(s, 10); nullopt = NaN. Digits saturate (only compared with small ranges).
std::optional<std::int64_t> parseIntJs(const std::string& s) {
  std::size_t i = 0;
  while (i < s.size() && (s[i] == ' ' || (s[i] >= '\t' && s[i] <= '\r'))) ++i;
  bool negative = false;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) negative = s[i++] == '-';
  if (i >= s.size() || !isDigit(s[i])) return std::nullopt;
  std::int64_t v = 0;
  for (; i < s.size() && isDigit(s[i]); ++i) v = std::min(kBig, v * 10 + (s[i] - '0'));
  return negative ? -v : v;
}

// JavaScript Number(s) (`+s`); NaN for anything that is not a JavaScript numeric literal.
double numberJs(const std::string& s) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  if (s.empty()) return 0;
  if (s.size() > 2 && s[0] == '0' && std::string("xXoObB").find(s[1]) != std::string::npos) {
    const int base = (s[1] == 'x' || s[1] == 'X') ? 16 : (s[1] == 'o' || s[1] == 'O') ? 8 : 2;
    double v = 0;
    for (std::size_t i = 2; i < s.size(); ++i) {
      const char c = static_cast<char>(s[i] | 0x20);
      const int d = isDigit(s[i]) ? s[i] - '0' : (c >= 'a' && c <= 'f') ? c - 'a' + 10 : 99;
      if (d >= base) return nan;
      v = v * base + d;
    }
    return v;
  }
  std::size_t i = 0;
  double sign = 1;
  if (s[i] == '+' || s[i] == '-') sign = s[i++] == '-' ? -1 : 1;
  if (s.compare(i, std::string::npos, "Infinity") == 0) {
    return sign * std::numeric_limits<double>::infinity();
  }
  const std::size_t begin = i;
  std::size_t digits = 0;
  while (i < s.size() && isDigit(s[i])) ++i, ++digits;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && isDigit(s[i])) ++i, ++digits;
  }
  if (digits == 0) return nan;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    if (i >= s.size() || !isDigit(s[i])) return nan;
    while (i < s.size() && isDigit(s[i])) ++i;
  }
  if (i != s.size()) return nan;
  double v = 0;  // from_chars: locale-independent, unlike strtod
  const auto r = std::from_chars(s.data() + begin, s.data() + s.size(), v);
  if (r.ec == std::errc::result_out_of_range) {
    v = s.find_first_of("eE") != std::string::npos && s[s.find_first_of("eE") + 1] == '-'
            ? 0
            : std::numeric_limits<double>::infinity();
  }
  return sign * v;
}

// parseInt(String(number)): the integer part, or for the exponent forms JavaScript prints
// ("5.9e+213", "5e-7") the leading digit.
std::optional<std::int64_t> parseIntOfNumber(double number) {
  if (!std::isfinite(number)) return std::nullopt;
  const double a = std::abs(number);
  // Past int64 (JavaScript still prints all digits below 1e21) the value is out of every
  // field's range anyway: clamp instead of a cast whose result is undefined.
  if (a >= 9.2e18 && a < 1e21) {
    return number < 0 ? std::numeric_limits<std::int64_t>::min()
                      : std::numeric_limits<std::int64_t>::max();
  }
  if (a == 0 || (a >= 1e-6 && a < 1e21)) return static_cast<std::int64_t>(std::trunc(number));
  std::array<char, 64> buf{};
  const auto r =
      std::to_chars(buf.data(), buf.data() + buf.size(), a, std::chars_format::scientific);
  if (r.ec != std::errc()) return std::nullopt;
  const std::int64_t digit = buf[0] - '0';
  return number < 0 ? -digit : digit;
}

std::vector<std::string> split(const std::string& s, char sep) {  // String.prototype.split
  std::vector<std::string> out;
  std::size_t begin = 0;
  for (;;) {
    const std::size_t end = s.find(sep, begin);
    out.push_back(s.substr(begin, end == std::string::npos ? end : end - begin));
    if (end == std::string::npos) return out;
    begin = end + 1;
  }
}

// seededRandom (utils/random.js): mulberry32, seeded by xfnv1a over UTF-16 code units.
class Mulberry32 {
 public:
  explicit Mulberry32(std::uint32_t seed) : state_(seed) {}
  double next() {
    state_ += 0x6d2b79f5U;
    std::uint32_t t = state_;
    t = (t ^ (t >> 15)) * (t | 1U);
    t ^= t + (t ^ (t >> 7)) * (t | 61U);
    return static_cast<double>(t ^ (t >> 14)) / 4294967296.0;
  }

 private:
  std::uint32_t state_;
};

std::uint32_t xfnv1a(const std::string& utf8) {
  std::uint32_t h = 2166136261U;
  auto mix = [&h](std::uint32_t unit) {
    h ^= unit;
    h *= 16777619U;
  };
  for (std::size_t i = 0; i < utf8.size();) {
    const auto lead = static_cast<unsigned char>(utf8[i]);
    const std::size_t len = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
    if (len == 1 || i + len > utf8.size()) {
      mix(lead);
      ++i;
      continue;
    }
    std::uint32_t cp = lead & (0x7FU >> len);
    for (std::size_t k = 1; k < len; ++k) {
      cp = (cp << 6) | (static_cast<unsigned char>(utf8[i + k]) & 0x3FU);
    }
    if (cp >= 0x10000) {  // a surrogate pair in JavaScript's UTF-16
      mix(0xD800U + ((cp - 0x10000U) >> 10));
      mix(0xDC00U + ((cp - 0x10000U) & 0x3FFU));
    } else {
      mix(cp);
    }
    i += len;
  }
  return h;
}

class PatternParser {
 public:
  explicit PatternParser(const std::string& pattern) : pattern_(pattern) {}

  [[noreturn]] void fail(const std::string& reason) const {
    throw CronError("invalid cron pattern '" + pattern_ + "': " + reason);
  }
  [[noreturn]] void fail(const Constraints& c, const std::string& raw,
                         const std::string& reason) const {
    fail(std::string(c.name) + " field '" + raw + "': " + reason);
  }

  // #parseField: aliases, character check, wildcards, H, then the list / range / step syntax.
  std::vector<Value> parseField(Unit unit, const std::string& raw, const std::string& input,
                                const Constraints& c, double randomValue) const {
    std::string value = input;
    if (unit == Unit::Month || unit == Unit::DayOfWeek) value = replaceAliases(value, c, raw);
    if (!validChars(value, unit)) fail(c, raw, "invalid characters");
    value = replaceWildcards(value, c);
    value = replaceHashed(value, c, raw, randomValue);
    // Text around an H(a-b) / H/n form ("H(1-5)x") gets here too, and is taken apart with
    // parseInt / Number semantics like cron-parser does ("3)1" in day-of-week is 3).
    return parseSequence(unit, value, c, raw);
  }

  // #parseNthDay
  std::pair<std::string, double> parseNthDay(const std::string& raw) const {
    const auto atoms = split(raw, '#');
    if (atoms.size() <= 1) return {atoms[0], 0};
    const double nth = numberJs(atoms.back());
    if (raw.find_first_of(",-/") != std::string::npos) {
      fail(kDayOfWeek, raw, "'#' cannot be combined with ',', '-' or '/'");
    }
    if (!(atoms.size() <= 2 && !std::isnan(nth) && nth >= 1 && nth <= 5)) {
      fail(kDayOfWeek, raw, "the occurrence after '#' must be 1 to 5");
    }
    return {atoms[0], nth};
  }

  // CronField constructor + validate(): sort, range / 'L' syntax / duplicate checks.
  std::vector<Value> validate(std::vector<Value> values, const Constraints& c,
                              const std::string& raw) const {
    if (values.empty()) fail(c, raw, "no values");
    std::stable_sort(values.begin(), values.end(), [](const Value& a, const Value& b) {
      if (!a.isText && !b.isText) return a.number < b.number;
      if (a.isText && b.isText) return a.text < b.text;
      return !a.isText;
    });
    for (const Value& v : values) {
      if (!v.isText) {
        if (v.number < c.min || v.number > c.max) {
          fail(c, raw,
               "value " + v.str() + " out of range " + std::to_string(c.min) + "-" +
                   std::to_string(c.max));
        }
        continue;
      }
      // charTest: /^\d{0,2}L$/
      const std::string& t = v.text;
      const bool ok = c.lastChar && !t.empty() && t.size() <= 3 && t.back() == 'L' &&
                      std::all_of(t.begin(), t.end() - 1, isDigit);
      if (!ok) fail(c, raw, "invalid value '" + t + "'");
    }
    // values.find((v, i) => values.indexOf(v) !== i): only the first duplicate counts, and a
    // duplicate 0 is falsy, so it passes ("0,0", "0,7" in day-of-week).
    for (std::size_t i = 0; i < values.size(); ++i) {
      const auto first = std::find(values.begin(), values.end(), values[i]);
      if (static_cast<std::size_t>(first - values.begin()) != i) {
        if (!values[i].isText && values[i].number == 0) break;
        fail(c, raw, "duplicate value " + values[i].str());
      }
    }
    return values;
  }

 private:
  std::string replaceAliases(const std::string& value, const Constraints& c,
                             const std::string& raw) const {
    static constexpr std::array<const char*, 12> kMonths{"jan", "feb", "mar", "apr", "may", "jun",
                                                         "jul", "aug", "sep", "oct", "nov", "dec"};
    static constexpr std::array<const char*, 7> kDays{"sun", "mon", "tue", "wed",
                                                      "thu", "fri", "sat"};
    auto isAlpha = [](char ch) { return (ch | 0x20) >= 'a' && (ch | 0x20) <= 'z'; };
    std::string out;
    for (std::size_t i = 0; i < value.size();) {
      if (i + 3 <= value.size() && isAlpha(value[i]) && isAlpha(value[i + 1]) &&
          isAlpha(value[i + 2])) {
        std::string name = value.substr(i, 3);
        for (char& ch : name) ch = static_cast<char>(ch | 0x20);
        int number = -1;
        for (std::size_t k = 0; k < kMonths.size(); ++k) {
          if (name == kMonths[k]) number = static_cast<int>(k) + 1;
        }
        for (std::size_t k = 0; k < kDays.size() && number < 0; ++k) {
          if (name == kDays[k]) number = static_cast<int>(k);
        }
        if (number < 0) fail(c, raw, "unknown name '" + value.substr(i, 3) + "'");
        out += std::to_string(number);
        i += 3;
      } else {
        out += value[i++];
      }
    }
    return out;
  }

  // Position after an H(a-b) / H/n form starting at `i` (at the 'H'), as the regex
  // /H(?:\((\d+)-(\d+)\))?(?:\/(\d+))?/ would match it.
  struct HashForm {
    std::size_t end = 0;
    std::string min, max, step;
  };
  static std::size_t digitsAt(const std::string& s, std::size_t i) {
    std::size_t j = i;
    while (j < s.size() && isDigit(s[j])) ++j;
    return j;
  }
  static HashForm matchHash(const std::string& s, std::size_t i) {
    HashForm f;
    std::size_t j = i + 1;
    if (j < s.size() && s[j] == '(') {
      const std::size_t a = digitsAt(s, j + 1);
      if (a > j + 1 && a < s.size() && s[a] == '-') {
        const std::size_t b = digitsAt(s, a + 1);
        if (b > a + 1 && b < s.size() && s[b] == ')') {
          f.min = s.substr(j + 1, a - j - 1);
          f.max = s.substr(a + 1, b - a - 1);
          j = b + 1;
        }
      }
    }
    if (j < s.size() && s[j] == '/') {
      const std::size_t d = digitsAt(s, j + 1);
      if (d > j + 1) {
        f.step = s.substr(j + 1, d - j - 1);
        j = d;
      }
    }
    f.end = j;
    return f;
  }

  // CronField.validChars: a plain character class, or anything around an H(a-b) / H/n form.
  static bool validChars(const std::string& value, Unit unit) {
    if (value.empty()) return false;
    bool plain = true;
    for (char ch : value) {
      const bool ok = isDigit(ch) || ch == '?' || ch == ',' || ch == '*' || ch == 'H' ||
                      ch == '/' || ch == '-' ||
                      (ch == 'L' && (unit == Unit::DayOfMonth || unit == Unit::DayOfWeek)) ||
                      (ch == '#' && unit == Unit::DayOfWeek);
      if (!ok) plain = false;
    }
    if (plain) return true;
    for (std::size_t i = 0; i < value.size(); ++i) {
      if (value[i] != 'H') continue;
      const HashForm f = matchHash(value, i);
      if (!f.min.empty() || !f.step.empty()) return true;
    }
    return false;
  }

  static std::string replaceWildcards(const std::string& value, const Constraints& c) {
    std::string out;
    for (char ch : value) {
      if (ch == '*' || ch == '?') {
        out += std::to_string(c.min) + "-" + std::to_string(c.max);
      } else {
        out += ch;
      }
    }
    return out;
  }

  // #parseHashed
  std::string replaceHashed(const std::string& value, const Constraints& c, const std::string& raw,
                            double randomValue) const {
    auto hashedValue = [randomValue](std::int64_t lo, std::int64_t hi) {
      return static_cast<std::int64_t>(std::floor(randomValue * static_cast<double>(hi - lo + 1))) +
             lo;
    };
    auto hashedRange = [&](std::int64_t lo, std::int64_t hi) {
      if (lo > hi) {
        fail(c, raw, "invalid range " + std::to_string(lo) + "-" + std::to_string(hi));
      }
      const std::int64_t rlo = std::max<std::int64_t>(lo, c.min);
      const std::int64_t rhi = std::min<std::int64_t>(hi, c.max);
      if (rlo > rhi) {
        fail(c, raw,
             "range " + std::to_string(lo) + "-" + std::to_string(hi) + " has no usable value");
      }
      return std::pair{rlo, rhi};
    };
    auto hashedStep = [&](std::int64_t lo, std::int64_t hi, std::int64_t step) {
      const auto offset =
          static_cast<std::int64_t>(std::floor(randomValue * static_cast<double>(step)));
      std::string out;
      for (std::int64_t i = (lo / step) * step + offset; i <= hi; i += step) {
        if (i >= lo) out += (out.empty() ? "" : ",") + std::to_string(i);
      }
      return out.empty() ? std::to_string(hashedValue(lo, hi)) : out;
    };
    auto positiveStep = [&](const std::string& text) {
      const std::int64_t step = *parseIntJs(text);
      if (step <= 0) fail(c, raw, "invalid step " + std::to_string(step) + ", must be positive");
      return step;
    };

    std::string out;
    for (std::size_t i = 0; i < value.size();) {
      if (value[i] != 'H') {
        out += value[i++];
        continue;
      }
      const HashForm f = matchHash(value, i);
      i = f.end;
      if (!f.min.empty() && !f.step.empty()) {
        const std::int64_t step = positiveStep(f.step);
        const auto [lo, hi] = hashedRange(*parseIntJs(f.min), *parseIntJs(f.max));
        out += hashedStep(lo, hi, step);
      } else if (!f.min.empty()) {
        const auto [lo, hi] = hashedRange(*parseIntJs(f.min), *parseIntJs(f.max));
        out += std::to_string(hashedValue(lo, hi));
      } else if (!f.step.empty()) {
        out += hashedStep(c.min, c.max, positiveStep(f.step));
      } else {
        out += std::to_string(hashedValue(c.min, c.max));
      }
    }
    return out;
  }

  // #parseSequence / #parseRepeat / #parseRange / #createRange
  std::vector<Value> parseSequence(Unit unit, const std::string& value, const Constraints& c,
                                   const std::string& raw) const {
    std::vector<Value> stack;
    for (const std::string& atom : split(value, ',')) {
      if (atom.empty()) fail(c, raw, "empty list element");
      const auto parts = split(atom, '/');
      if (parts.size() > 2) fail(c, raw, "invalid step syntax '" + atom + "'");
      std::string rangeText = atom;
      std::optional<std::int64_t> step = 1;
      if (parts.size() == 2) {
        rangeText = parts[0];
        if (rangeText.find('-') == std::string::npos) rangeText += "-" + std::to_string(c.max);
        step = parseIntJs(parts[1]);
      }
      const auto bounds = split(rangeText, '-');
      if (bounds.size() <= 1) {
        // `isNaN(+val) ? val : +val`, then handleResult.
        const double number = numberJs(rangeText);
        if (!std::isnan(number)) {
          // Non-integers only come from text around an H form (".H(1-9)", "H/7e31"). Day of
          // week keeps parseInt(String(number)); other fields would keep a value no date has
          // (cron-parser then mostly finds nothing), so such patterns are rejected here.
          const bool integer = number == std::trunc(number) && std::abs(number) <= 1e15;
          if (!integer && unit != Unit::DayOfWeek) {
            fail(c, raw, "invalid value '" + rangeText + "'");
          }
          const auto parsed = integer
                                  ? std::optional<std::int64_t>(static_cast<std::int64_t>(number))
                                  : parseIntOfNumber(number);
          if (!parsed) fail(c, raw, "invalid value '" + rangeText + "'");
          const std::int64_t v = *parsed;
          if (v < c.min || v > c.max) {
            fail(c, raw,
                 "value " + rangeText + " out of range " + std::to_string(c.min) + "-" +
                     std::to_string(c.max));
          }
          stack.push_back({false, unit == Unit::DayOfWeek ? v % 7 : v, {}});
        } else if (c.lastChar && rangeText.find('L') != std::string::npos) {
          stack.push_back({true, 0, rangeText});
        } else {
          const auto v = parseIntJs(rangeText);
          if (!v || *v < c.min || *v > c.max) {
            fail(c, raw, "invalid value '" + rangeText + "'");
          }
          // Day of week keeps parseInt's number; other fields keep the text, which fails
          // validation below as in cron-parser.
          if (unit == Unit::DayOfWeek) {
            stack.push_back({false, *v % 7, {}});
          } else {
            stack.push_back({true, 0, rangeText});
          }
        }
        continue;
      }
      const auto lo = parseIntJs(bounds[0]);
      const auto hi = parseIntJs(bounds[1]);
      if (!lo || !hi || *lo < c.min || *hi > c.max) {
        fail(c, raw,
             "range '" + rangeText + "' outside " + std::to_string(c.min) + "-" +
                 std::to_string(c.max));
      }
      if (*lo > *hi) fail(c, raw, "range '" + rangeText + "' has min > max");
      if (!step || *step <= 0) fail(c, raw, "invalid step (must be a positive integer)");
      std::vector<Value> range;
      if (unit == Unit::DayOfWeek && *hi % 7 == 0 && (*hi - *lo) % *step == 0) {
        range.push_back({false, 0, {}});
      }
      for (std::int64_t v = *lo; v <= *hi; v += *step) {
        const Value item{false, v, {}};
        if (std::find(range.begin(), range.end(), item) == range.end()) range.push_back(item);
      }
      stack.insert(stack.end(), range.begin(), range.end());
    }
    return stack;
  }

  const std::string& pattern_;
};

bool isJsWhitespace(const std::string& s, std::size_t i, std::size_t& len) {
  const auto b = static_cast<unsigned char>(s[i]);
  len = 1;
  if (b == ' ' || (b >= '\t' && b <= '\r')) return true;
  auto at = [&](std::size_t k) {
    return i + k < s.size() ? static_cast<unsigned char>(s[i + k]) : 0U;
  };
  // U+00A0, U+1680, U+2000-200A, U+2028, U+2029, U+202F, U+205F, U+3000, U+FEFF (UTF-8).
  if (b == 0xC2 && at(1) == 0xA0) return len = 2, true;
  if (b == 0xE1 && at(1) == 0x9A && at(2) == 0x80) return len = 3, true;
  if (b == 0xE2 && at(1) == 0x80 &&
      ((at(2) >= 0x80 && at(2) <= 0x8A) || at(2) == 0xA8 || at(2) == 0xA9 || at(2) == 0xAF)) {
    return len = 3, true;
  }
  if (b == 0xE2 && at(1) == 0x81 && at(2) == 0x9F) return len = 3, true;
  if (b == 0xE3 && at(1) == 0x80 && at(2) == 0x80) return len = 3, true;
  if (b == 0xEF && at(1) == 0xBB && at(2) == 0xBF) return len = 3, true;
  return false;
}

// expression.trim().split(/\s+/): the runs of non-whitespace, or [""] when there are none.
std::vector<std::string> splitFields(const std::string& s) {
  std::vector<std::string> out;
  std::string current;
  for (std::size_t i = 0; i < s.size();) {
    std::size_t len = 1;
    if (isJsWhitespace(s, i, len)) {
      if (!current.empty()) out.push_back(std::move(current));
      current.clear();
    } else {
      current.append(s, i, len);
    }
    i += len;
  }
  if (!current.empty() || out.empty()) out.push_back(std::move(current));
  return out;
}

void fillNumbers(const std::vector<Value>& values, std::vector<int>& sorted, auto& set) {
  for (const Value& v : values) {
    sorted.push_back(static_cast<int>(v.number));
    set.set(static_cast<std::size_t>(v.number));
  }
}

// ---- luxon DateTime emulation ----------------------------------------------------------------

struct Civil {
  std::int64_t year = 1970;
  int month = 1, day = 1, hour = 0, minute = 0, second = 0, millisecond = 0;
};

// objToLocalTS: Date.UTC with its overflow normalisation (month 13, day 32, ...).
std::int64_t objToLocalTS(const Civil& c) {
  const std::int64_t monthIndex = c.month - 1;
  const std::int64_t year = c.year + floorDiv(monthIndex, 12);
  const int month = static_cast<int>(monthIndex - floorDiv(monthIndex, 12) * 12) + 1;
  const std::int64_t days = calendar::daysFromCivil(year, month, 1) + c.day - 1;
  return days * 86'400'000 + std::int64_t{c.hour} * 3'600'000 + std::int64_t{c.minute} * 60'000 +
         std::int64_t{c.second} * 1000 + c.millisecond;
}

// luxon's daysInMonth, which accepts month overflow (month 13 = January of the next year).
int luxonDaysInMonth(std::int64_t year, int month) {
  const std::int64_t yearShift = floorDiv(month - 1, 12);
  return calendar::daysInMonth(year + yearShift, static_cast<int>(month - yearShift * 12));
}

// An immutable-in-spirit luxon DateTime: `ts` plus its zone; offset and calendar fields derive
// from ts (luxon's clone() recomputes the offset whenever ts changes).
class LuxonDate {
 public:
  LuxonDate(std::int64_t ts, const TimeZone* zone) : zone_(zone) { setTs(ts); }

  std::int64_t ts() const { return ts_; }
  std::int32_t offset() const { return offset_; }
  const Civil& c() const { return c_; }
  int weekday() const {  // JS getDay(): Sunday = 0
    const std::int64_t days = floorDiv(ts_ + std::int64_t{offset_} * 1000, 86'400'000);
    return static_cast<int>(((days % 7) + 11) % 7);
  }

  // DateTime.set / startOf; nullopt keeps a field.
  void set(std::optional<int> day, std::optional<int> hour, std::optional<int> minute,
           std::optional<int> second, std::optional<int> millisecond) {
    Civil mixed = c_;
    if (day) mixed.day = *day;
    if (hour) mixed.hour = *hour;
    if (minute) mixed.minute = *minute;
    if (second) mixed.second = *second;
    if (millisecond) mixed.millisecond = *millisecond;
    if (!day) mixed.day = std::min(luxonDaysInMonth(mixed.year, mixed.month), mixed.day);
    setTs(fixOffset(objToLocalTS(mixed), offset_));
  }
  // DateTime.plus({months, days}) (adjustTime, calendar part)
  void plusCalendar(int months, int days) {
    Civil c = c_;
    c.month += months;
    c.day = std::min(c_.day, luxonDaysInMonth(c.year, c.month)) + days;
    setTs(fixOffset(objToLocalTS(c), offset_));
  }
  // DateTime.plus({hours|minutes|seconds|milliseconds}): the instant moves, offset follows.
  void plusMillis(std::int64_t ms) { setTs(ts_ + ms); }

 private:
  std::int32_t zoneOffset(std::int64_t ts) const { return zone_->offsetAt(floorDiv(ts, 1000)); }

  void setTs(std::int64_t ts) {
    ts_ = ts;
    offset_ = zoneOffset(ts);
    const std::int64_t local = ts + std::int64_t{offset_} * 1000;
    const std::int64_t days = floorDiv(local, 86'400'000);
    const std::int64_t msOfDay = local - days * 86'400'000;
    const calendar::Date d = calendar::civilFromDays(days);
    c_ = {d.year,
          d.month,
          d.day,
          static_cast<int>(msOfDay / 3'600'000),
          static_cast<int>(msOfDay / 60'000 % 60),
          static_cast<int>(msOfDay / 1000 % 60),
          static_cast<int>(msOfDay % 1000)};
  }

  // fixOffset: `o` is luxon's guess (the current offset), which decides which of two repeated
  // wall times is chosen and where a skipped wall time lands.
  std::int64_t fixOffset(std::int64_t localTS, std::int32_t o) const {
    std::int64_t utcGuess = localTS - std::int64_t{o} * 1000;
    const std::int32_t o2 = zoneOffset(utcGuess);
    if (o == o2) return utcGuess;
    utcGuess -= std::int64_t{o2 - o} * 1000;
    const std::int32_t o3 = zoneOffset(utcGuess);
    if (o2 == o3) return utcGuess;
    return localTS - std::int64_t{std::min(o2, o3)} * 1000;
  }

  const TimeZone* zone_;
  std::int64_t ts_ = 0;
  std::int32_t offset_ = 0;
  Civil c_;
};

// ---- CronDate ----------------------------------------------------------------------------------

enum class TimeUnit { Second, Minute, Hour, Day, Month };
constexpr std::nullopt_t kKeep = std::nullopt;

class CronDate {
 public:
  CronDate(std::int64_t ts, const TimeZone* zone) : date_(ts, zone) {}

  std::int64_t getTime() const { return date_.ts(); }
  int getDate() const { return date_.c().day; }
  int getMonth() const { return date_.c().month - 1; }
  std::int64_t getFullYear() const { return date_.c().year; }
  int getHours() const { return date_.c().hour; }
  int getMinutes() const { return date_.c().minute; }
  int getSeconds() const { return date_.c().second; }
  int getMilliseconds() const { return date_.c().millisecond; }
  int getDay() const { return date_.weekday(); }
  std::int32_t getUTCOffset() const { return date_.offset(); }

  void setHours(int h) { date_.set(kKeep, h, kKeep, kKeep, kKeep); }
  void setMinutes(int m) { date_.set(kKeep, kKeep, m, kKeep, kKeep); }
  void setSeconds(int s) { date_.set(kKeep, kKeep, kKeep, s, kKeep); }
  void setMilliseconds(int ms) { date_.set(kKeep, kKeep, kKeep, kKeep, ms); }
  void setStartOfDay() { date_.set(kKeep, 0, 0, 0, 0); }
  void setEndOfDay() {  // endOf('day') = plus({days: 1}).startOf('day').minus(1)
    date_.plusCalendar(0, 1);
    setStartOfDay();
    date_.plusMillis(-1);
  }

  bool isLastDayOfMonth() const {
    const Civil& c = date_.c();
    if (c.month == 2) return c.day == kDaysInMonth[1] - (calendar::isLeapYear(c.year) ? 0 : 1);
    return c.day == kDaysInMonth[static_cast<std::size_t>(c.month - 1)];
  }
  bool isLastWeekdayOfMonth() const {
    const Civil& c = date_.c();
    const int lastDay = c.month == 2 ? kDaysInMonth[1] - (calendar::isLeapYear(c.year) ? 0 : 1)
                                     : kDaysInMonth[static_cast<std::size_t>(c.month - 1)];
    return c.day > lastDay - 7;
  }

  std::optional<int> dstStart, dstStartLandingHour, dstEnd;
  void clearDstStart() {
    dstStart.reset();
    dstStartLandingHour.reset();
  }

  // applyDateOperation (Add only: next() never subtracts)
  void add(TimeUnit unit, std::size_t hoursLength) {
    switch (unit) {
      case TimeUnit::Month:  // plus({months: 1}).startOf('month')
        date_.plusCalendar(1, 0);
        date_.set(1, 0, 0, 0, 0);
        return;
      case TimeUnit::Day:  // plus({days: 1}).startOf('day')
        date_.plusCalendar(0, 1);
        setStartOfDay();
        return;
      default:
        break;
    }
    const int previousHour = getHours();
    const std::int32_t previousOffset = getUTCOffset();
    if (unit == TimeUnit::Hour) {  // plus({hours: 1}).startOf('hour')
      date_.plusMillis(3'600'000);
      date_.set(kKeep, kKeep, 0, 0, 0);
    } else if (unit == TimeUnit::Minute) {  // plus({minutes: 1}).startOf('minute')
      date_.plusMillis(60'000);
      date_.set(kKeep, kKeep, kKeep, 0, 0);
    } else {  // plus({seconds: 1})
      date_.plusMillis(1000);
    }
    const int currentHour = getHours();
    const int advance = (currentHour - previousHour + 24) % 24;
    if (getUTCOffset() > previousOffset && advance >= 2) {
      if (hoursLength != 24) {
        dstStart = (previousHour + 1) % 24;
        dstStartLandingHour = currentHour;
      }
    } else if (advance == 0 && getMinutes() == 0 && getSeconds() == 0) {
      if (hoursLength != 24) dstEnd = currentHour;
    }
  }

 private:
  LuxonDate date_;
};

// ---- CronExpression.next ---------------------------------------------------------------------

class Search {
 public:
  explicit Search(const Cron::Fields& f) : f_(f) {}

  std::optional<std::int64_t> next(const CronDate& current, std::optional<std::int64_t> end) {
    const std::size_t hl = f_.hourCount;
    CronDate d = current;
    const std::int64_t startTimestamp = d.getTime();
    if (d.getMilliseconds() > 0) {
      d.setMilliseconds(0);
      d.add(TimeUnit::Second, hl);
    }
    int stepCount = 0;
    while (++stepCount < kLoopLimit) {
      if (end && d.getTime() > *end) return std::nullopt;  // #validateTimeSpan
      if (!matchDayOfMonth(d)) {
        d.add(TimeUnit::Day, hl);
        continue;
      }
      if (!f_.monthSet.test(static_cast<std::size_t>(d.getMonth() + 1))) {
        d.add(TimeUnit::Month, hl);
        continue;
      }
      if (!matchHour(d)) continue;
      if (!f_.minuteSet.test(static_cast<std::size_t>(d.getMinutes()))) {
        moveToNextMinute(d);
        continue;
      }
      if (!f_.secondSet.test(static_cast<std::size_t>(d.getSeconds()))) {
        moveToNextSecond(d);
        continue;
      }
      if (startTimestamp == d.getTime()) {
        d.add(TimeUnit::Second, hl);
        continue;
      }
      break;
    }
    if (stepCount >= kLoopLimit) return std::nullopt;  // "loop limit exceeded"
    return d.getTime();
  }

 private:
  static std::optional<int> nearestAbove(const std::vector<int>& values, int current) {
    for (int v : values) {
      if (v > current) return v;
    }
    return std::nullopt;
  }

  bool matchDayOfMonth(const CronDate& d) const {
    const bool matchedDom = (f_.daySet.test(static_cast<std::size_t>(d.getDate()))) ||
                            (f_.dayHasLast && d.isLastDayOfMonth());
    const int weekday = d.getDay();
    const bool nthOk = f_.nthDay <= 0 || std::ceil(d.getDate() / 7.0) == f_.nthDay;
    const bool matchedDow = (f_.weekdaySet.test(static_cast<std::size_t>(weekday)) && nthOk) ||
                            (f_.weekdayHasLast && d.isLastWeekdayOfMonth() &&
                             f_.lastWeekdays.test(static_cast<std::size_t>(weekday)));
    if (!f_.dayWildcard && !f_.weekdayWildcard && (matchedDom || matchedDow)) return true;
    if (matchedDom && f_.weekdayWildcard) return true;
    if (f_.dayWildcard && !f_.weekdayWildcard && matchedDow) return true;
    return false;
  }

  // #checkDstTransition
  bool isDstTransitionDay(const CronDate& d) {
    const std::array<std::int64_t, 3> key{d.getFullYear(), d.getMonth(), d.getDate()};
    if (dstDayKey_ && *dstDayKey_ == key) return dstDay_;
    CronDate startOfDay = d;
    startOfDay.setStartOfDay();
    CronDate endOfDay = d;
    endOfDay.setEndOfDay();
    dstDayKey_ = key;
    dstDay_ = startOfDay.getUTCOffset() != endOfDay.getUTCOffset();
    return dstDay_;
  }

  // #matchHour (forward)
  bool matchHour(CronDate& d) {
    const std::size_t hl = f_.hourCount;
    const int currentHour = d.getHours();
    const bool isMatch = f_.hourSet.test(static_cast<std::size_t>(currentHour));
    const bool isDstEnd = d.dstEnd && *d.dstEnd == currentHour;
    if (d.dstStart && d.dstStartLandingHour && *d.dstStartLandingHour == currentHour) {
      for (int skipped = *d.dstStart; skipped != currentHour; skipped = (skipped + 1) % 24) {
        if (f_.hourSet.test(static_cast<std::size_t>(skipped))) return true;
      }
    }
    if (isDstEnd) {
      d.dstEnd.reset();
      d.add(TimeUnit::Hour, hl);
      return false;
    }
    if (isMatch) return true;
    d.clearDstStart();
    const auto nextHour = nearestAbove(f_.hour, currentHour);
    if (!nextHour) {
      d.add(TimeUnit::Day, hl);
      return false;
    }
    if (isDstTransitionDay(d)) {
      const int steps = *nextHour - currentHour;
      for (int i = 0; i < steps; ++i) {
        d.add(TimeUnit::Hour, hl);
        if (d.getHours() >= *nextHour) break;
      }
    } else {
      d.setHours(*nextHour);
    }
    d.setMinutes(f_.minute.front());
    d.setSeconds(f_.second.front());
    return false;
  }

  void moveToNextMinute(CronDate& d) const {
    if (const auto m = nearestAbove(f_.minute, d.getMinutes())) {
      d.setMinutes(*m);
      d.setSeconds(f_.second.front());
      return;
    }
    d.add(TimeUnit::Hour, f_.hourCount);
    d.setMinutes(f_.minute.front());
    d.setSeconds(f_.second.front());
  }

  void moveToNextSecond(CronDate& d) const {
    if (const auto s = nearestAbove(f_.second, d.getSeconds())) {
      d.setSeconds(*s);
      return;
    }
    d.add(TimeUnit::Minute, f_.hourCount);
    d.setSeconds(f_.second.front());
  }

  const Cron::Fields& f_;
  std::optional<std::array<std::int64_t, 3>> dstDayKey_;
  bool dstDay_ = false;
};

std::string predefined(const std::string& pattern) {
  static const std::array<std::pair<const char*, const char*>, 10> kPredefined{{
      {"@yearly", "0 0 0 1 1 *"},
      {"@annually", "0 0 0 1 1 *"},
      {"@monthly", "0 0 0 1 * *"},
      {"@weekly", "0 0 0 * * 0"},
      {"@daily", "0 0 0 * * *"},
      {"@hourly", "0 0 * * * *"},
      {"@minutely", "0 * * * * *"},
      {"@secondly", "* * * * * *"},
      {"@weekdays", "0 0 0 * * 1-5"},
      {"@weekends", "0 0 0 * * 0,6"},
  }};
  for (const auto& [name, expansion] : kPredefined) {
    if (pattern == name) return expansion;
  }
  return pattern;
}

}  // namespace

// ---- Cron ------------------------------------------------------------------------------------

Cron Cron::parse(const std::string& pattern) {
  std::random_device device;
  return parseWithRandom(pattern, static_cast<std::uint32_t>(device()));
}

Cron Cron::parse(const std::string& pattern, const std::string& hashSeed) {
  if (hashSeed.empty()) return parse(pattern);
  return parseWithRandom(pattern, xfnv1a(hashSeed));
}

Cron Cron::parseWithRandom(const std::string& pattern, std::uint32_t seed) {
  const PatternParser p(pattern);
  std::string expression = predefined(pattern);
  if (expression.empty()) expression = "0 * * * * *";
  std::vector<std::string> atoms = splitFields(expression);
  if (atoms.size() > 6) {
    p.fail("too many fields (" + std::to_string(atoms.size()) + ", at most 6)");
  }
  static const std::array<const char*, 5> kDefaults{"0", "*", "*", "*", "*"};
  atoms.insert(atoms.begin(), kDefaults.begin(),
               kDefaults.begin() + static_cast<std::ptrdiff_t>(6 - atoms.size()));

  Mulberry32 rand(seed);  // one draw per field, in cron-parser's order
  std::array<double, 6> random{};
  for (double& r : random) r = rand.next();

  const std::vector<Value> second = p.validate(
      p.parseField(Unit::Second, atoms[0], atoms[0], kSecond, random[0]), kSecond, atoms[0]);
  const std::vector<Value> minute = p.validate(
      p.parseField(Unit::Minute, atoms[1], atoms[1], kMinute, random[1]), kMinute, atoms[1]);
  const std::vector<Value> hour =
      p.validate(p.parseField(Unit::Hour, atoms[2], atoms[2], kHour, random[2]), kHour, atoms[2]);
  const std::vector<Value> monthRaw =
      p.parseField(Unit::Month, atoms[4], atoms[4], kMonth, random[3]);
  std::vector<Value> dayRaw =
      p.parseField(Unit::DayOfMonth, atoms[3], atoms[3], kDayOfMonth, random[4]);
  const auto [weekdayText, nth] = p.parseNthDay(atoms[5]);
  const std::vector<Value> weekday =
      p.validate(p.parseField(Unit::DayOfWeek, atoms[5], weekdayText, kDayOfWeek, random[5]),
                 kDayOfWeek, atoms[5]);

  // CronDayOfMonth.fromMonth: with a single month, drop days that month never has (unless that
  // leaves nothing).
  if (monthRaw.size() == 1 && !monthRaw[0].isText) {
    const int dim = kDaysInMonth[static_cast<std::size_t>(monthRaw[0].number - 1)];
    std::vector<Value> kept;
    for (const Value& v : dayRaw) {
      if (v.isText || v.number <= dim) kept.push_back(v);
    }
    if (!kept.empty()) dayRaw = std::move(kept);
  }
  const std::vector<Value> day = p.validate(dayRaw, kDayOfMonth, atoms[3]);
  const std::vector<Value> month = p.validate(monthRaw, kMonth, atoms[4]);
  for (const Value& v : weekday) {
    if (v.isText && v.text == "L") {
      p.fail(kDayOfWeek, atoms[5], "'L' needs a weekday in front of it (e.g. 5L)");
    }
  }

  auto f = std::make_shared<Fields>();
  f->pattern = pattern;
  fillNumbers(second, f->second, f->secondSet);
  fillNumbers(minute, f->minute, f->minuteSet);
  fillNumbers(hour, f->hour, f->hourSet);
  fillNumbers(month, f->month, f->monthSet);
  f->hourCount = hour.size();

  auto hasL = [](const std::string& raw, const std::vector<Value>& values) {
    return raw.find('L') != std::string::npos ||
           std::any_of(values.begin(), values.end(),
                       [](const Value& v) { return v.isText && v.text == "L"; });
  };
  for (const Value& v : day) {
    if (!v.isText) f->daySet.set(static_cast<std::size_t>(v.number));
  }
  f->dayWildcard = atoms[3] == "*" || atoms[3] == "?";
  f->dayHasLast = hasL(atoms[3], day);
  for (const Value& v : weekday) {
    if (!v.isText) f->weekdaySet.set(static_cast<std::size_t>(v.number));
    // #isLastWeekdayOfMonthMatch: parseInt(String(value).charAt(0)) % 7, for every value.
    const std::string text = v.str();
    if (isDigit(text[0])) f->lastWeekdays.set(static_cast<std::size_t>((text[0] - '0') % 7));
  }
  f->weekdayWildcard = atoms[5] == "*" || atoms[5] == "?";
  f->weekdayHasLast = hasL(atoms[5], weekday);
  f->nthDay = nth;

  // CronFieldCollection: an explicit day that the only month never has is an error, unless
  // 'L' or a restricted day of week can still match.
  if (f->month.size() == 1 && !f->dayHasLast && f->weekdayWildcard) {
    const Value& first = day.front();
    const std::int64_t firstDay = first.isText ? parseIntJs(first.text).value_or(99) : first.number;
    if (!(firstDay <= kDaysInMonth[static_cast<std::size_t>(f->month[0] - 1)])) {
      p.fail(std::string(kDayOfMonth.name) + " field '" + atoms[3] + "': month " +
             std::to_string(f->month[0]) + " never has day " + std::to_string(firstDay));
    }
  }
  return Cron(std::move(f));
}

const std::string& Cron::pattern() const {
  return fields_->pattern;
}

std::optional<std::int64_t> Cron::next(std::int64_t afterMs, const std::string& tz,
                                       std::int64_t endMs) const {
  const std::shared_ptr<const TimeZone> zone = tz.empty() ? TimeZone::utc() : TimeZone::locate(tz);
  // CronExpression constructor: a current date past endDate is clamped to endDate.
  std::optional<std::int64_t> end;
  if (endMs != 0) end = endMs;
  const std::int64_t start = end && afterMs > *end ? *end : afterMs;
  Search search(*fields_);
  return search.next(CronDate(start, zone.get()), end);
}

}  // namespace warren::queue
