// Extractive summary and key points: sentences of the text itself, never rewritten.
//
// Each sentence scores the mean TextRank score of its distinct content words times the square
// root of their number (rewarding sentences that cover many central words without favouring
// sheer length); the first sentence gets 15 % more (news leads); sentences under four words or
// over sixty are halved. The summary takes the best 1 (texts up to four sentences), 2 (up to
// ten) or 3 sentences, shown in text order.
#pragma once

#include "text/Document.h"

#include <string>
#include <vector>

namespace common::text {

// Score of each sentence of `doc` (see above).
std::vector<double> scoreSentences(const Document& doc, const std::vector<double>& wordScores);

// Indexes of the best `count` sentences, in text order.
std::vector<std::size_t> bestSentences(const std::vector<double>& scores, std::size_t count);

std::string summarize(const Document& doc, const std::vector<double>& sentenceScores);

// Up to five key sentences in text order; a text of one sentence gives its clauses (split at
// ";", ":" and dashes) when it has several.
std::vector<std::string> keyPoints(const Document& doc, const std::vector<double>& sentenceScores);

}  // namespace common::text
