// Capitalised spans named person, organization, place or other (findNames in Entities.h).
#include "text/Entities.h"

#include "text/Segments.h"
#include "text/Unicode.h"
#include "text/Utf8.h"
#include "text/WordLists.h"

#include <algorithm>
#include <set>

namespace common::text {
namespace {

using WordSet = std::set<std::string, std::less<>>;

WordSet sectionSet(std::string_view file, std::string_view section) {
  const auto& list = wordListSection(file, section);
  return WordSet(list.begin(), list.end());
}

struct Cues {
  WordSet organization = sectionSet("entities", "organization");
  WordSet place = sectionSet("entities", "place");
  WordSet placeBefore = sectionSet("entities", "place before");
  WordSet title = sectionSet("entities", "title");
  WordSet speech = sectionSet("entities", "speech");
  WordSet connector = sectionSet("entities", "connector");
  WordSet months = sectionSet("calendar", "months");
  WordSet weekdays = sectionSet("calendar", "weekdays");
};

const Cues& cues() {
  static const Cues c;
  return c;
}

struct Token {
  Word word;
  std::string folded;
  bool capitalised = false;
  bool acronym = false;
  bool sentenceStart = false;
  bool taken = false;
};

class NameScanner {
 public:
  NameScanner(std::string_view s, std::string_view language, const std::vector<EntityMatch>& taken)
      : s_(s), language_(language) {
    std::set<std::size_t> starts;
    for (const auto& sentence : sentences(s, language)) starts.insert(sentence.offset);
    std::vector<EntityMatch> claimed = taken;  // sorted, so one pass finds each word's
    std::sort(claimed.begin(), claimed.end(),
              [](const EntityMatch& a, const EntityMatch& b) { return a.offset < b.offset; });
    std::size_t next = 0;
    for (const auto& w : words(s, language)) {
      Token t{w, lookupForm(w.text)};
      std::size_t first = 0;
      const char32_t cp = decodeUtf8(w.text, first);
      t.capitalised = w.kind == WordKind::Letter && isUpper(cp);
      t.acronym = t.capitalised && allUpper(w.text) && codePointCount(w.text) >= 2 &&
                  codePointCount(w.text) <= 6 && !isCommonWord(t.folded);
      t.sentenceStart = starts.count(w.offset) > 0;
      while (next < claimed.size() && claimed[next].offset + claimed[next].length <= w.offset) {
        ++next;
      }
      t.taken = next < claimed.size() && claimed[next].offset < w.offset + w.text.size();
      tokens_.push_back(std::move(t));
    }
    for (const auto& t : tokens_) {
      if (t.capitalised && !t.sentenceStart) capitalisedMidSentence_.insert(t.folded);
      if (!t.capitalised) lowercase_.insert(t.folded);
    }
  }

  std::vector<EntityMatch> scan() {
    std::vector<EntityMatch> out;
    for (std::size_t k = 0; k < tokens_.size();) {
      if (!startsName(k)) {
        ++k;
        continue;
      }
      std::size_t last = k;
      for (std::size_t next = k + 1; next < tokens_.size(); ++next) {
        if (!glued(next - 1, next)) break;
        if (isNamePart(next)) {
          last = next;
        } else if (!(cues().connector.count(tokens_[next].folded) > 0 &&
                     next + 1 < tokens_.size() && isNamePart(next + 1) && glued(next, next + 1))) {
          break;
        }
      }
      addSpan(k, last, out);
      k = last + 1;
    }
    return out;
  }

 private:
  static bool allUpper(std::string_view w) {
    for (std::size_t i = 0; i < w.size();) {
      const char32_t cp = decodeUtf8(w, i);
      if (isLetter(cp) && !isUpper(cp)) return false;
    }
    return true;
  }

  // A capitalised word that is a stopword or a tone cue ("SALE", "NOW") is emphasis.
  bool isCommonWord(const std::string& folded) const {
    if (isStopword(folded, language_)) return true;
    for (const auto& section : wordList("style")) {
      if (section.name.find(' ') == std::string::npos) continue;
      const std::string lang = section.name.substr(section.name.find(' ') + 1);
      if (lang != language_ && lang != "en") continue;
      if (std::find(section.entries.begin(), section.entries.end(), folded) !=
          section.entries.end()) {
        return true;
      }
    }
    return false;
  }

  bool isNamePart(std::size_t k) const {
    const Token& t = tokens_[k];
    if (t.capitalised && allUpper(t.word.text) && codePointCount(t.word.text) >= 2 && !t.acronym) {
      return false;
    }
    return t.capitalised && !t.taken && cues().months.count(t.folded) == 0 &&
           cues().weekdays.count(t.folded) == 0 && (codePointCount(t.word.text) > 1 || isTitle(k));
  }
  bool startsName(std::size_t k) const {
    return isNamePart(k) && (!isStopword(tokens_[k].folded, language_) || tokens_[k].acronym);
  }
  // "Lagarde said", "Lagarde, a déclaré": a speech verb next, or after one auxiliary.
  bool speechAfter(std::size_t last) const {
    for (std::size_t k = last + 1; k < tokens_.size() && k <= last + 2; ++k) {
      if (cues().speech.count(tokens_[k].folded) > 0) return true;
      if (!isStopword(tokens_[k].folded, language_)) return false;
    }
    return false;
  }
  bool isTitle(std::size_t k) const {
    return k < tokens_.size() && cues().title.count(tokens_[k].folded) > 0;
  }

  // Only a space, a hyphen or (after a title such as "Dr") ". " between two tokens.
  bool glued(std::size_t a, std::size_t b) const {
    const std::size_t from = tokens_[a].word.offset + tokens_[a].word.text.size();
    const std::string_view gap = s_.substr(from, tokens_[b].word.offset - from);
    return gap == " " || gap == "-" || (gap == ". " && isTitle(a));
  }

  void addSpan(std::size_t first, std::size_t last, std::vector<EntityMatch>& out) const {
    // Titles split a span: "ECB President Christine Lagarde" = organization + person.
    std::size_t from = first;
    bool titled = first > 0 && isTitle(first - 1) && glued(first - 1, first);
    for (std::size_t k = first; k <= last; ++k) {
      if (!isTitle(k)) continue;
      if (k > from) classify(from, k - 1, titled, out);
      from = k + 1, titled = true;
    }
    if (from <= last) classify(from, last, titled, out);
  }

  void classify(std::size_t first, std::size_t last, bool titled,
                std::vector<EntityMatch>& out) const {
    // A sentence's first word joins a name only when it is one itself: "Shares of Apple Inc."
    // and "Later Apple" start at "Apple".
    if (first < last && tokens_[first].sentenceStart && !tokens_[first].acronym &&
        capitalisedMidSentence_.count(tokens_[first].folded) == 0 &&
        (lowercase_.count(tokens_[first].folded) > 0 ||
         cues().connector.count(tokens_[first + 1].folded) > 0)) {
      ++first;
    }
    while (first <= last && cues().connector.count(tokens_[first].folded) > 0) ++first;
    while (last > first && cues().connector.count(tokens_[last].folded) > 0) --last;
    if (first > last) return;
    const bool single = first == last;
    const Token& head = tokens_[first];
    bool organization = false, place = false;
    for (std::size_t k = first; k <= last; ++k) {
      organization = organization || cues().organization.count(tokens_[k].folded) > 0;
      place = place || cues().place.count(tokens_[k].folded) > 0;
    }
    const bool acronyms = single && head.acronym;
    const bool speaks = speechAfter(last);
    const bool placed = first > 0 && cues().placeBefore.count(tokens_[first - 1].folded) > 0 &&
                        !tokens_[first - 1].capitalised;
    const bool cued = organization || place || titled || speaks || acronyms;
    if (single && head.sentenceStart && !head.acronym &&
        capitalisedMidSentence_.count(head.folded) == 0) {
      return;
    }
    if (language_ == "de" && single && !cued) return;
    std::string type = "other";
    if (organization || acronyms) {
      type = "organization";
    } else if (place || (placed && !titled)) {
      type = "place";
    } else if (titled || speaks) {
      type = "person";
    }
    const std::size_t start = head.word.offset;
    const std::size_t end = tokens_[last].word.offset + tokens_[last].word.text.size();
    out.push_back({start, end - start, type});
  }

  std::string_view s_;
  std::string language_;
  std::vector<Token> tokens_;
  std::set<std::string> capitalisedMidSentence_;
  std::set<std::string> lowercase_;  // words also written in lower case
};

}  // namespace

std::vector<EntityMatch> findNames(std::string_view utf8, std::string_view language,
                                   const std::vector<EntityMatch>& taken) {
  return NameScanner(utf8, language, taken).scan();
}

}  // namespace common::text
