#include "text/Segments.h"

#include "text/Entities.h"
#include "text/Unicode.h"
#include "text/Utf8.h"
#include "text/WordLists.h"

#include <unicode/brkiter.h>
#include <unicode/ubrk.h>
#include <unicode/utext.h>

#include <algorithm>
#include <memory>
#include <set>
#include <stdexcept>
#include <string>

namespace common::text {
namespace {

// A break iterator over the caller's UTF-8 bytes, so boundaries are byte offsets.
class Breaker {
 public:
  Breaker(std::string_view utf8, bool sentence, std::string_view language) {
    UErrorCode status = U_ZERO_ERROR;
    std::string name = language.empty() ? std::string("und") : std::string(language);
    if (sentence) name += "@ss=standard";
    const icu::Locale locale(name.c_str());
    it_.reset(sentence ? icu::BreakIterator::createSentenceInstance(locale, status)
                       : icu::BreakIterator::createWordInstance(locale, status));
    if (U_SUCCESS(status)) {
      text_ = utext_openUTF8(nullptr, utf8.data(), static_cast<int64_t>(utf8.size()), &status);
    }
    if (U_SUCCESS(status)) it_->setText(text_, status);
    if (U_FAILURE(status)) {
      if (text_ != nullptr) utext_close(text_);
      throw std::runtime_error(std::string("ICU break iterator failed: ") + u_errorName(status));
    }
  }
  ~Breaker() { utext_close(text_); }
  Breaker(const Breaker&) = delete;
  Breaker& operator=(const Breaker&) = delete;

  icu::BreakIterator& operator*() { return *it_; }
  icu::BreakIterator* operator->() { return it_.get(); }

 private:
  std::unique_ptr<icu::BreakIterator> it_;
  UText* text_ = nullptr;
};

bool isSpaceAt(std::string_view s, std::size_t offset, std::size_t& next) {
  next = offset;
  return isWhitespace(decodeUtf8(s, next));
}

Segment trimmed(std::string_view s, std::size_t begin, std::size_t end) {
  std::size_t next = 0;
  while (begin < end && isSpaceAt(s, begin, next)) begin = next;
  while (end > begin) {
    std::size_t start = end - 1;
    while (start > begin && (static_cast<unsigned char>(s[start]) & 0xC0) == 0x80) --start;
    if (!isSpaceAt(s, start, next)) break;
    end = start;
  }
  return {s.substr(begin, end - begin), begin};
}

// ICU calls "SUMMER50" a number (its last characters are digits); a word that starts with a
// letter is a word.
WordKind kindOf(int32_t status, std::string_view word) {
  if (status >= UBRK_WORD_IDEO) return WordKind::Ideographic;
  if (status >= UBRK_WORD_KANA) return WordKind::Kana;
  if (status >= UBRK_WORD_LETTER) return WordKind::Letter;
  std::size_t first = 0;
  return isLetter(decodeUtf8(word, first)) ? WordKind::Letter : WordKind::Number;
}

bool splitsElisions(std::string_view language) {
  return language == "fr" || language == "it" || language == "ca";
}

// Position just past an elision apostrophe ("l'", "qu'", "dell'"), or 0 when there is none.
std::size_t elisionEnd(std::string_view word) {
  for (std::size_t i = 1; i < word.size() && i <= 5; ++i) {
    if (word[i] == '\'') return i + 1;
    if (word.compare(i, 3, "\xE2\x80\x99") == 0) return i + 3;  // U+2019
  }
  return 0;
}

// True when `sentence` ends with an abbreviation such as "Dr." that ICU's suppressions miss.
bool endsWithAbbreviation(std::string_view sentence) {
  static const std::set<std::string, std::less<>> abbreviations = [] {
    const auto& list = wordListSection("abbreviations", "titles");
    return std::set<std::string, std::less<>>(list.begin(), list.end());
  }();
  if (sentence.empty() || sentence.back() != '.') return false;
  std::size_t start = sentence.size() - 1;
  while (start > 0 && sentence[start - 1] != ' ' && sentence[start - 1] != '\n' &&
         sentence[start - 1] != '(') {
    --start;
  }
  return abbreviations.count(lookupForm(sentence.substr(start))) > 0;
}

}  // namespace

std::vector<Segment> sentences(std::string_view utf8, std::string_view language) {
  std::vector<Segment> out;
  if (utf8.empty()) return out;
  Breaker it(utf8, true, language);
  // ICU would end a sentence at the "?" of "https://ex.com/a?b=c".
  std::vector<EntityMatch> links = findUrls(utf8);
  addEntitiesUnlessOverlapping(links, findEmails(utf8));
  std::sort(links.begin(), links.end(),
            [](const EntityMatch& a, const EntityMatch& b) { return a.offset < b.offset; });
  std::size_t nextLink = 0;  // boundaries come in order: one pass over the links
  const auto insideLink = [&](std::size_t at) {
    while (nextLink < links.size() && links[nextLink].offset + links[nextLink].length <= at) {
      ++nextLink;
    }
    return nextLink < links.size() && at > links[nextLink].offset;
  };
  int32_t start = it->first();
  bool join = false;  // the previous sentence ended inside a link or after an abbreviation
  for (int32_t end = it->next(); end != icu::BreakIterator::DONE; start = end, end = it->next()) {
    Segment s = trimmed(utf8, static_cast<std::size_t>(start), static_cast<std::size_t>(end));
    if (s.text.empty()) continue;
    if (join) {
      Segment& last = out.back();
      last.text = utf8.substr(last.offset, s.offset + s.text.size() - last.offset);
    } else {
      out.push_back(s);
    }
    const std::string_view raw =
        utf8.substr(static_cast<std::size_t>(start), static_cast<std::size_t>(end - start));
    join = insideLink(static_cast<std::size_t>(end)) ||
           (endsWithAbbreviation(s.text) && raw.find('\n') == std::string_view::npos);
  }
  return out;
}

std::vector<Word> words(std::string_view utf8, std::string_view language) {
  std::vector<Word> out;
  if (utf8.empty()) return out;
  Breaker it(utf8, false, language);
  const bool elisions = splitsElisions(language);
  int32_t start = it->first();
  for (int32_t end = it->next(); end != icu::BreakIterator::DONE; start = end, end = it->next()) {
    const int32_t status = it->getRuleStatus();
    if (status < UBRK_WORD_NONE_LIMIT) continue;
    const auto offset = static_cast<std::size_t>(start);
    std::string_view word = utf8.substr(offset, static_cast<std::size_t>(end - start));
    const WordKind kind = kindOf(status, word);
    const std::size_t cut = elisions && kind == WordKind::Letter ? elisionEnd(word) : 0;
    if (cut > 0 && cut < word.size()) {
      out.push_back({word.substr(0, cut), offset, kind});
      out.push_back({word.substr(cut), offset + cut, kind});
    } else {
      out.push_back({word, offset, kind});
    }
  }
  return out;
}

}  // namespace common::text
