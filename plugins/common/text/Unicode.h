// Unicode operations on UTF-8 through ICU: normalisation, case, graphemes and emoji.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace common::text {

// NFC (canonical composition): "e" + U+0301 becomes "é". Input must be valid UTF-8.
std::string nfc(std::string_view utf8);

// Full Unicode case folding for caseless comparison ("Straße" and "STRASSE" fold alike).
std::string foldCase(std::string_view utf8);

// Lower case by the rules of `language` (ISO 639-1; Turkish dotless i and the like).
std::string toLower(std::string_view utf8, std::string_view language = {});

// The first grapheme of `utf8` upper-cased (title case), the rest unchanged: "élan" -> "Élan".
std::string capitalizeFirst(std::string_view utf8, std::string_view language = {});

// Byte offsets of the extended grapheme cluster boundaries (UAX #29), from 0 to utf8.size()
// inclusive: a ZWJ emoji family, a flag, a keycap or "e" + U+0301 is one cluster.
std::vector<std::size_t> graphemeBoundaries(std::string_view utf8);
std::size_t graphemeCount(std::string_view utf8);

// Calls `visit(cluster)` for each grapheme cluster in order.
template <typename Visit>
void forEachGrapheme(std::string_view utf8, Visit&& visit) {
  const auto bounds = graphemeBoundaries(utf8);
  for (std::size_t i = 0; i + 1 < bounds.size(); ++i) {
    visit(utf8.substr(bounds[i], bounds[i + 1] - bounds[i]));
  }
}

// True when a grapheme cluster displays as an emoji: an emoji-presentation pictograph, a
// pictograph with U+FE0F, a ZWJ or skin-tone sequence, a flag (regional indicator pair or tag
// sequence) or a keycap. "©" alone and "1" are text; "©️" and "1️⃣" are emoji.
bool isEmojiCluster(std::string_view cluster);

// Code point classes (ICU properties).
bool isLetter(char32_t codePoint);
bool isUpper(char32_t codePoint);  // upper or title case letter
bool isDigit(char32_t codePoint);  // decimal digit of any script
bool isAlnum(char32_t codePoint);
bool isMark(char32_t codePoint);  // combining mark
bool isWhitespace(char32_t codePoint);
bool isIdeographic(
    char32_t codePoint);  // Han, Kana, Thai, Lao, Khmer, Myanmar: written without spaces

// Removes diacritics (NFD, drop combining marks, NFC): "Crème brûlée" -> "Creme brulee". For
// matching word lists written without accents; never for text shown to people.
std::string stripDiacritics(std::string_view utf8);

}  // namespace common::text
