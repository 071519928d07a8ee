// The word lists in data/ (our own; embedded at build time) and the stopword check.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace common::text {

struct WordListSection {
  std::string name;                  // the text between [ and ], e.g. "en" or "violence en"
  std::vector<std::string> entries;  // in file order; '_' in the file stands for a space
};

// The sections of data/<file>.txt, parsed once. Throws std::logic_error for an unknown file.
const std::vector<WordListSection>& wordList(std::string_view file);

// The entries of one section, or an empty list when the file has no such section.
const std::vector<std::string>& wordListSection(std::string_view file, std::string_view section);

// True for a function word of `language` (ISO 639-1); `foldedWord` is case-folded (foldCase)
// with U+2019 written as an apostrophe. Languages without a list have no stopwords.
bool isStopword(std::string_view foldedWord, std::string_view language);
bool hasStopwords(std::string_view language);

// Case-folds a word for list lookups: foldCase plus the typographic apostrophe as "'".
std::string lookupForm(std::string_view word);

}  // namespace common::text
