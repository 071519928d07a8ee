// Keywords and key phrases of a Document.
//
// Keywords are ranked by TextRank: content words (by stem, so "rate" and "rates" are one node)
// are linked when they occur within four content words of each other in a sentence, and
// PageRank (damping 0.85) over that graph scores each word by how central it is. Key phrases
// follow RAKE's candidates (runs of content words between stopwords and punctuation, at most
// four words; names, dates and numbers are edges too), trimmed of weak edge words (and of
// English participles at the edges; a whole name is kept as it is), scored by the
// mean TextRank score of their words times sqrt(words) times 1 + ln(occurrences); a phrase
// inside a better one is dropped. Adverbs, dates and numbers are never keywords. Both are
// deterministic: ties keep text order.
#pragma once

#include "text/Document.h"

#include <cstddef>
#include <string>
#include <vector>

namespace common::text {

struct Keyword {
  std::string text;  // the form most often written (sentence-initial capitals count half)
  double score;      // 0..1, the best is 1
};

struct Keyphrase {
  std::string text;   // as first written
  double score;       // 0..1, the best is 1
  std::size_t count;  // occurrences
};

// TextRank score of each word of the document (0 for words that are not content words).
std::vector<double> textRank(const Document& doc);

std::vector<Keyword> rankKeywords(const Document& doc, const std::vector<double>& wordScores,
                                  std::size_t max);
std::vector<Keyphrase> rankKeyphrases(const Document& doc, const std::vector<double>& wordScores,
                                      std::size_t max);

// Convenience for other plugins: key phrases of plain text (language detected unless given).
std::vector<Keyphrase> extractKeyphrases(std::string_view utf8, std::string_view language = {},
                                         std::size_t max = 10);

}  // namespace common::text
