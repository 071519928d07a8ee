// Sentences and words of UTF-8 text by ICU's break iterators (UAX #29 with the language's
// tailoring), as views into the caller's text with their byte offsets.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

namespace common::text {

struct Segment {
  std::string_view text;  // trimmed of surrounding white space
  std::size_t offset;     // byte offset of text in the input
};

// Sentences; abbreviations such as "Dr." or "e.g." do not end one (ICU's "ss=standard"
// suppressions for the language, plus data/abbreviations.txt), nor does the "?" or "." inside
// a link; a line break always does (lists, headlines).
std::vector<Segment> sentences(std::string_view utf8, std::string_view language = {});

enum class WordKind { Letter, Number, Kana, Ideographic };

struct Word {
  std::string_view text;
  std::size_t offset;
  WordKind kind;
};

// Words (letters, numbers, kana, ideographs; never spaces, punctuation or emoji). Chinese and
// Japanese are cut with ICU's dictionaries. For French and Italian an elided article or pronoun
// is its own word: "l'économie" -> "l'", "économie".
std::vector<Word> words(std::string_view utf8, std::string_view language = {});

}  // namespace common::text
