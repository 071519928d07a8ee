// Lexicon sentiment (data/sentiment.txt, our own lists for en, es, fr, de, pt, it).
//
// Each word found in the language's lexicon (as written, else by stem) adds its valence
// (-3..3), multiplied by a booster just before it ("very" 1.5) and by -0.75 when a negator
// stands within the three words before it in the same sentence ("not good" is mildly negative).
// With P the positive and N the negative total, score = (P - N) / (P + N + 2), in -1..1.
// Label: mixed when both P and N are at least 2 and the smaller is at least half the larger;
// else positive at score >= 0.15, negative at <= -0.15, neutral in between. Languages without
// a lexicon are neutral (score 0).
#pragma once

#include "text/Document.h"

#include <string>

namespace common::text {

struct Sentiment {
  double score;       // -1..1
  std::string label;  // negative|neutral|positive|mixed
};

bool hasSentimentLexicon(std::string_view language);
Sentiment sentimentOf(const Document& doc);

}  // namespace common::text
