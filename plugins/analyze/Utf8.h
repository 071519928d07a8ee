// Counting and cutting UTF-8 text by characters (Unicode code points), never inside one.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace analyze {

std::size_t characters(std::string_view utf8);
// At most `limit` characters of `utf8`.
std::string firstCharacters(std::string_view utf8, std::size_t limit);

}  // namespace analyze
