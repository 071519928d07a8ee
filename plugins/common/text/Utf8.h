// UTF-8 basics every text routine starts from: validation, repair and code point access.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace common::text {

// True when `text` is well-formed UTF-8 (no overlongs, surrogates or code points past U+10FFFF).
bool isValidUtf8(std::string_view text);

// `text` with every ill-formed sequence replaced by U+FFFD (one per maximal invalid subpart, as
// the Unicode standard recommends); valid text comes back unchanged.
std::string repairUtf8(std::string_view text);

// Decodes the code point starting at `offset` of valid UTF-8 and advances `offset` past it.
char32_t decodeUtf8(std::string_view text, std::size_t& offset);

// Appends `codePoint` encoded as UTF-8.
void appendUtf8(std::string& out, char32_t codePoint);

// Number of code points of valid UTF-8.
std::size_t codePointCount(std::string_view text);

// Byte length of the UTF-8 sequence that starts with `lead` (1 for a stray byte).
std::size_t utf8SequenceLength(unsigned char lead);

}  // namespace common::text
