// A text prepared once for the analyses: its sentences and words, each word case-folded,
// stemmed and marked as stopword or content word. Keyphrases, summary, sentiment and style all
// read this, so the text is segmented once.
#pragma once

#include "text/Entities.h"
#include "text/Segments.h"

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace common::text {

struct DocumentWord {
  std::string_view text;  // as written
  std::string folded;     // lookupForm(text)
  std::string stem;       // Snowball stem of folded (folded itself without a stemmer)
  std::size_t offset;     // bytes into Document::text
  std::size_t sentence;   // index into Document::sentences
  WordKind kind;
  bool stopword;
  bool masked;             // inside a link, an e-mail address or a mention (not prose)
  bool name;               // inside a capitalised name (person, organization, place, other)
  bool content;            // may be a keyword: not a stopword, not a number, not inside a link,
                           // address or mention, and at least two letters (or an ideograph)
  bool phraseBreakBefore;  // punctuation (or a sentence start) separates it from the previous
};

struct Document {
  std::string text;      // valid UTF-8, NFC
  std::string language;  // ISO 639-1 or "und"
  std::vector<Segment> sentences;
  std::vector<DocumentWord> words;
  std::vector<EntityMatch> entities;
};

// Prepares valid NFC `text` (see repairUtf8 and nfc) in `language`. The Document owns a copy
// of the text; views in it point into Document::text.
Document prepareDocument(std::string text, std::string language);

}  // namespace common::text
