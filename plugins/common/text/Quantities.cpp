// Numbers, money and dates (findQuantities in Entities.h).
#include "text/Entities.h"

#include "text/Segments.h"
#include "text/Unicode.h"
#include "text/Utf8.h"
#include "text/WordLists.h"

#include <algorithm>
#include <cctype>
#include <set>

namespace common::text {
namespace {

using WordSet = std::set<std::string, std::less<>>;

const WordSet& calendarSet(std::string_view section) {
  static const auto load = [](std::string_view name) {
    const auto& list = wordListSection("calendar", name);
    return WordSet(list.begin(), list.end());
  };
  static const WordSet months = load("months"), weekdays = load("weekdays"),
                       moneyWords = load("money words"), magnitudes = load("magnitudes");
  if (section == "months") return months;
  if (section == "weekdays") return weekdays;
  if (section == "money words") return moneyWords;
  return magnitudes;
}

bool isDigitChar(char c) {
  return c >= '0' && c <= '9';
}

std::size_t digitsAt(std::string_view s, std::size_t at) {
  std::size_t n = 0;
  while (at + n < s.size() && isDigitChar(s[at + n])) ++n;
  return n;
}

// "2025-03-12", "12/03/2025", "12.03.25" starting at `at`; 0 when none.
std::size_t numericDateAt(std::string_view s, std::size_t at) {
  const std::size_t a = digitsAt(s, at);
  if (a == 0 || at + a >= s.size()) return 0;
  const char sep = s[at + a];
  if (sep != '-' && sep != '/' && sep != '.') return 0;
  const std::size_t b = digitsAt(s, at + a + 1);
  const std::size_t bEnd = at + a + 1 + b;
  if (b == 0 || b > 2 || bEnd >= s.size() || s[bEnd] != sep) return 0;
  const std::size_t c = digitsAt(s, bEnd + 1);
  const bool iso = a == 4 && b == 2 && c == 2 && sep == '-';
  const bool dayFirst = a <= 2 && (c == 2 || c == 4);
  if (!iso && !dayFirst) return 0;
  const std::size_t end = bEnd + 1 + c;
  if (end < s.size() &&
      (isDigitChar(s[end]) || (s[end] == sep && end + 1 < s.size() && isDigitChar(s[end + 1])))) {
    return 0;
  }
  return end - at;
}

std::vector<EntityMatch> numericDates(std::string_view s) {
  std::vector<EntityMatch> out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (!isDigitChar(s[i]) ||
        (i > 0 && (isDigitChar(s[i - 1]) || std::isalpha(static_cast<unsigned char>(s[i - 1]))))) {
      continue;
    }
    if (const std::size_t n = numericDateAt(s, i); n > 0) {
      out.push_back({i, n, "date"});
      i += n;
    }
  }
  return out;
}

// Only spaces (and the given punctuation) between two byte offsets.
bool gapIs(std::string_view s, std::size_t from, std::size_t to, std::string_view allowed) {
  if (from > to) return false;
  for (std::size_t i = from; i < to; ++i) {
    if (s[i] != ' ' && allowed.find(s[i]) == std::string_view::npos) return false;
  }
  return to - from <= 2;
}

bool isShortNumber(const Word& w, std::size_t maxDigits) {
  return w.kind == WordKind::Number && w.text.size() <= maxDigits &&
         digitsAt(w.text, 0) == w.text.size();
}

class QuantityScanner {
 public:
  QuantityScanner(std::string_view s, std::string_view language)
      : s_(s), words_(words(s, language)) {
    for (const auto& w : words_) folded_.push_back(lookupForm(w.text));
  }

  // Dates first (their numbers are theirs), then money and plain numbers; in text order.
  std::vector<EntityMatch> scan() {
    std::vector<EntityMatch> out = numericDates(s_);
    for (std::size_t k = 0; k < words_.size(); ++k) {
      std::vector<EntityMatch> found;
      if (calendarSet("weekdays").count(folded_[k]) > 0) {
        found.push_back({words_[k].offset, words_[k].text.size(), "date"});
      } else if (calendarSet("months").count(folded_[k]) > 0) {
        if (auto date = monthDate(k); date.length > 0) found.push_back(date);
      }
      addEntitiesUnlessOverlapping(out, found);
    }
    for (std::size_t k = 0; k < words_.size(); ++k) {
      if (words_[k].kind == WordKind::Number && !partOfName(k)) {
        addEntitiesUnlessOverlapping(out, {numberOrMoney(k)});
      }
    }
    return out;
  }

 private:
  bool wordIs(std::size_t k, std::string_view folded) const {
    return k < words_.size() && folded_[k] == folded;
  }
  std::size_t end(std::size_t k) const { return words_[k].offset + words_[k].text.size(); }
  bool adjacent(std::size_t a, std::size_t b, std::string_view punctuation = "") const {
    return b < words_.size() && gapIs(s_, end(a), words_[b].offset, punctuation);
  }

  // "COVID-19", "A380": a number glued to letters is part of a name.
  bool partOfName(std::size_t k) const {
    const std::size_t at = words_[k].offset;
    return at >= 2 && s_[at - 1] == '-' && std::isalpha(static_cast<unsigned char>(s_[at - 2]));
  }

  // "12 March 2025", "March 12, 2025", "12. März", "12 de marzo de 2025", "mars 2025".
  EntityMatch monthDate(std::size_t k) const {
    std::size_t first = k, last = k;
    if (k >= 1 && isShortNumber(words_[k - 1], 2) && adjacent(k - 1, k, ".")) {
      first = k - 1;
    } else if (k >= 2 && (wordIs(k - 1, "de")) && isShortNumber(words_[k - 2], 2)) {
      first = k - 2;
    }
    std::size_t next = k + 1;
    if (first == k && next < words_.size() && isShortNumber(words_[next], 2) && adjacent(k, next)) {
      last = next++;
    }
    if ((wordIs(next, "de") || wordIs(next, "del")) && next + 1 < words_.size()) ++next;
    if (next < words_.size() && isShortNumber(words_[next], 4) && words_[next].text.size() == 4 &&
        adjacent(next - 1, next, ",")) {
      last = next;
    }
    if (first == k && last == k) return {0, 0, "date"};
    return {words_[first].offset, end(last) - words_[first].offset, "date"};
  }

  EntityMatch numberOrMoney(std::size_t k) const {
    std::size_t start = words_[k].offset, stop = end(k);
    bool money = false;
    // A currency sign just before: "$5", "€ 2", "US$3", "R$ 10".
    std::size_t before = start;
    while (before > 0 && s_[before - 1] == ' ' && start - before < 1) --before;
    if (const std::size_t sign = currencySignBefore(before); sign > 0) {
      start = before - sign, money = true;
      while (start >= 1 && std::isupper(static_cast<unsigned char>(s_[start - 1])) &&
             words_[k].offset - start < 6) {
        --start;
      }
    }
    std::size_t last = k;
    if (adjacent(last, last + 1) && calendarSet("magnitudes").count(folded_[last + 1]) > 0) {
      ++last, stop = end(last);
    }
    if (!money) {
      std::size_t after = stop;
      if (after < s_.size() && s_[after] == ' ') ++after;
      if (const std::size_t sign = currencySignAt(after); sign > 0) {
        stop = after + sign, money = true;
      } else if (adjacent(last, last + 1) &&
                 calendarSet("money words").count(folded_[last + 1]) > 0) {
        stop = end(last + 1), money = true;
      }
    }
    if (!money) {
      if (stop < s_.size() && s_[stop] == '%') {
        ++stop;
      } else if (s_.compare(stop, 2, " %") == 0 || s_.compare(stop, 4, "\xC2\xA0%") == 0) {
        stop = s_.find('%', stop) + 1;
      }
    }
    return {start, stop - start, money ? "money" : "number"};
  }

  std::size_t currencySignAt(std::size_t at) const {
    for (std::string_view sign : {"$", "\xE2\x82\xAC", "\xC2\xA3", "\xC2\xA5", "\xE2\x82\xB9"}) {
      if (s_.compare(at, sign.size(), sign) == 0) return sign.size();
    }
    return 0;
  }
  std::size_t currencySignBefore(std::size_t at) const {
    for (std::string_view sign : {"$", "\xE2\x82\xAC", "\xC2\xA3", "\xC2\xA5", "\xE2\x82\xB9"}) {
      if (at >= sign.size() && s_.compare(at - sign.size(), sign.size(), sign) == 0) {
        return sign.size();
      }
    }
    return 0;
  }

  std::string_view s_;
  std::vector<Word> words_;
  std::vector<std::string> folded_;
};

}  // namespace

std::vector<EntityMatch> findQuantities(std::string_view utf8, std::string_view language) {
  return QuantityScanner(utf8, language).scan();
}

}  // namespace common::text
