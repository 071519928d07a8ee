#include "text/Document.h"

#include "text/Stemmer.h"
#include "text/Utf8.h"
#include "text/WordLists.h"

#include <utility>

namespace common::text {
namespace {

// Words inside these are not prose: their pieces never become keywords.
bool masks(const EntityMatch& e) {
  return e.type == "url" || e.type == "email" || e.type == "mention";
}
// Words inside these are prose but poor keywords ("Thursday", "2%").
bool isQuantity(const EntityMatch& e) {
  return e.type == "date" || e.type == "number" || e.type == "money";
}
bool isName(const EntityMatch& e) {
  return e.type == "person" || e.type == "organization" || e.type == "place" || e.type == "other";
}

bool endsWith(std::string_view word, std::string_view suffix) {
  return word.size() >= suffix.size() &&
         word.compare(word.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// French adverb endings (nouns in "-ement" such as "gouvernement" are left alone).
bool isFrenchAdverb(std::string_view folded) {
  static const char* const kEndings[] = {"amment",   "emment",   "alement", "ilement",  "uellement",
                                         "iquement", "eusement", "ivement", "ièrement", "ément"};
  if (folded.size() < 8 || folded == "élément" || folded == "éléments") return false;
  for (const char* ending : kEndings) {
    if (endsWith(folded, ending)) return true;
  }
  return false;
}

// Adverbs make poor keywords and split key phrases: English "-ly" (not "family", "supply"...),
// French "-amment", "-ément"... and the Romance "-mente".
bool isAdverb(std::string_view folded, std::string_view language) {
  if (language == "fr") return isFrenchAdverb(folded);
  static const char* const kNotAdverbs[] = {
      "family", "assembly", "anomaly",  "monopoly",  "supply",  "reply",  "rally",
      "italy",  "july",     "ally",     "belly",     "jelly",   "bully",  "holy",
      "only",   "early",    "daily",    "weekly",    "monthly", "yearly", "apply",
      "imply",  "comply",   "multiply", "butterfly", "lily",    "emily",  "sally"};
  if (language == "en" && folded.size() >= 5 && endsWith(folded, "ly")) {
    for (const char* word : kNotAdverbs) {
      if (folded == word) return false;
    }
    return true;
  }
  const bool romance = language == "es" || language == "it" || language == "pt";
  return romance && folded.size() >= 8 && endsWith(folded, "mente");
}

// Japanese kana-only words are particles and endings ("で", "した"); a lone Han character is
// most often a function word in Chinese ("的", "了").
bool isFunctionScript(const Word& w) {
  if (w.kind != WordKind::Kana && w.kind != WordKind::Ideographic) return false;
  std::size_t count = 0;
  bool hiragana = true;
  for (std::size_t i = 0; i < w.text.size(); ++count) {
    const char32_t cp = decodeUtf8(w.text, i);
    hiragana = hiragana && ((cp >= 0x3040 && cp <= 0x309F) || cp == 0x30FC);
  }
  return hiragana || (w.kind == WordKind::Ideographic && count == 1);
}

// Anything but spaces and in-word joiners between two words separates phrases.
bool separates(std::string_view gap) {
  for (const char c : gap) {
    if (c != ' ' && c != '-' && c != '\t') return true;
  }
  return false;
}

}  // namespace

Document prepareDocument(std::string text, std::string language) {
  Document doc;
  doc.text = std::move(text);
  doc.language = std::move(language);
  const std::string_view s = doc.text;
  const std::string_view lang = doc.language == "und" ? std::string_view() : doc.language;
  doc.sentences = sentences(s, lang);
  doc.entities = findEntities(s, lang);
  std::vector<std::pair<std::size_t, std::size_t>> masked, quantities, names;
  std::vector<std::size_t> nameEdges;  // offsets where a name starts or ends
  for (const auto& e : doc.entities) {
    if (masks(e)) masked.emplace_back(e.offset, e.offset + e.length);
    if (isQuantity(e)) quantities.emplace_back(e.offset, e.offset + e.length);
    if (isName(e)) {
      names.emplace_back(e.offset, e.offset + e.length);
      nameEdges.push_back(e.offset), nameEdges.push_back(e.offset + e.length);
    }
  }
  const auto inside = [](const auto& ranges, std::size_t& next, std::size_t offset) {
    while (next < ranges.size() && ranges[next].second <= offset) ++next;
    return next < ranges.size() && offset >= ranges[next].first;
  };
  std::size_t nextQuantity = 0, nextName = 0, nextEdge = 0;
  Stemmer stemmer(lang);
  std::size_t sentence = 0, previousEnd = 0, nextMask = 0;
  for (const auto& w : words(s, lang)) {
    bool newSentence = false;
    while (sentence + 1 < doc.sentences.size() && w.offset >= doc.sentences[sentence + 1].offset) {
      ++sentence, newSentence = true;
    }
    DocumentWord d{w.text,
                   lookupForm(w.text),
                   {},
                   w.offset,
                   sentence,
                   w.kind,
                   false,
                   false,
                   false,
                   false,
                   doc.words.empty() || newSentence ||
                       separates(s.substr(previousEnd, w.offset - previousEnd))};
    d.stem = stemmer.stem(d.folded);
    d.stopword = isStopword(d.folded, lang);
    const bool inEntity = inside(masked, nextMask, w.offset);
    const bool quantity = inside(quantities, nextQuantity, w.offset);
    bool nameEdge = false;
    while (nextEdge < nameEdges.size() && nameEdges[nextEdge] <= w.offset) {
      nameEdge = nameEdge || nameEdges[nextEdge] >= previousEnd;
      ++nextEdge;
    }
    const bool longEnough =
        w.kind == WordKind::Ideographic || w.kind == WordKind::Kana || codePointCount(w.text) >= 2;
    d.masked = inEntity;
    d.name = inside(names, nextName, w.offset);
    d.content = !d.stopword && !inEntity && !quantity && w.kind != WordKind::Number && longEnough &&
                !isAdverb(d.folded, lang) && !isFunctionScript(w);
    if (inEntity || nameEdge) d.phraseBreakBefore = true;
    previousEnd = w.offset + w.text.size();
    doc.words.push_back(std::move(d));
  }
  return doc;
}

}  // namespace common::text
