// The offline analysis of a text (the analyze plugin's "local" method): deterministic — the
// same input gives the same output on any machine with the same Debian packages — with no
// network and no model. See README.md beside this file for the rules of each field.
#pragma once

#include "job/Failure.h"
#include "text/Keyphrases.h"
#include "text/Readability.h"
#include "text/Sentiment.h"

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace common::text {

struct Entity {
  std::string text;
  std::string type;  // person|organization|place|other|url|mention|hashtag|email|number|money|date
};

struct TextAnalysis {
  std::string language;                // ISO 639-1, "und" when unknown
  double languageConfidence;           // 0..1
  std::string summary;                 // extractive: 1-3 sentences of the text, in text order
  std::vector<std::string> keyPoints;  // up to 5 key sentences (clauses for a one-sentence text)
  std::vector<std::string> topics;     // up to 5 key phrases
  std::vector<Keyword> keywords;       // up to AnalyzeOptions::maxKeywords, TextRank
  std::vector<Entity> entities;        // in text order, each (text, type) once
  std::string tone;  // informative|promotional|conversational|formal|urgent|inspirational|humorous
  Sentiment sentiment;
  Readability readability;
  std::string audience;               // general|professional|technical|young
  std::vector<std::string> hashtags;  // "#CamelCase" from topics then keywords, max 5
  std::vector<std::string>
      contentWarnings;     // violence|self-harm|sexual|drugs|alcohol|gambling|death
  std::size_t characters;  // grapheme clusters of the NFC text
  std::size_t words;
  std::size_t sentences;
};

struct AnalyzeOptions {
  // ISO 639-1 the caller believes the text is in: boosts that language in detection and is
  // used when detection cannot tell; a reliable detection of another language wins.
  std::string languageHint;
  std::size_t maxKeywords = 10;
};

// Thrown for text that cannot be analysed (empty or only white space): retrying cannot help.
class TextError : public job::Unrecoverable {
 public:
  using job::Unrecoverable::Unrecoverable;
};

// Analyses UTF-8 text; ill-formed UTF-8 is repaired (U+FFFD) first, then NFC-normalised.
// Throws TextError("text is empty") for empty or blank text.
TextAnalysis analyze(std::string_view utf8, const AnalyzeOptions& options = {});

}  // namespace common::text
