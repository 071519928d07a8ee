// Readability by the formula made for each language, on syllables counted as the larger of
// two estimates: the hyphenation points libhyphen finds with the hyphen-* dictionaries (which
// skip breaks near word edges) and the vowel groups of the word under the language's rules
// (English silent final "e" and "-ed"; Spanish, Italian and Portuguese strong-vowel hiatus and
// accented weak vowels; German, Dutch and French vowel groups, French silent final "e"/"es").
// German uses vowel groups alone: its dictionary takes seconds to load, and German writes
// diphthongs as the vowel pairs the groups already join.
//
//   en flesch            206.835 - 1.015 WPS - 84.6 SPW
//   es fernandez-huerta  206.84 - 60 SPW - 1.02 (100 / WPS)
//   fr kandel-moles      207 - 1.015 WPS - 73.6 SPW
//   de amstad            180 - WPS - 58.5 SPW
//   it flesch-vacca      206 - 65 SPW - WPS
//   pt flesch-martins    248.835 - 1.015 WPS - 84.6 SPW
//   nl flesch-douma      206.835 - 0.93 WPS - 77 SPW
//   other alphabetic     flesch (English weights, vowel-group syllables)
//   other scripts        "none": no score (CJK and the like have no syllable-based formula)
//
// WPS = words per sentence, SPW = syllables per word; words are letter words (not numbers,
// links or addresses). Levels on the 0..100 scale: >= 90 very easy, 80 easy, 70 fairly easy,
// 60 standard, 50 fairly difficult, 30 difficult, below very difficult.
#pragma once

#include "text/Document.h"

#include <cstddef>
#include <string>
#include <string_view>

namespace common::text {

struct Readability {
  double score;                // unclamped, one decimal
  std::string scale;           // see above
  std::string level;           // very easy .. very difficult, "unknown" for scale "none"
  double wordsPerSentence;     // two decimals
  double syllablesPerWord;     // two decimals
  std::string syllableSource;  // "hyphenation+vowels", "vowels" (no dictionary), "none"
};

// Syllables of one case-folded word.
std::size_t countSyllables(std::string_view foldedWord, std::string_view language);

// True when the hyphenation dictionary of `language` was found (/usr/share/hyphen: en, es,
// fr, it, pt, nl).
bool hasHyphenationDictionary(std::string_view language);

Readability readabilityOf(const Document& doc);

}  // namespace common::text
