#include "Utf8.h"

#include <algorithm>

namespace analyze {
namespace {

bool continuation(char c) {
  return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

}  // namespace

std::size_t characters(std::string_view utf8) {
  return static_cast<std::size_t>(
      std::count_if(utf8.begin(), utf8.end(), [](char c) { return !continuation(c); }));
}

std::string firstCharacters(std::string_view utf8, std::size_t limit) {
  std::size_t seen = 0;
  for (std::size_t at = 0; at < utf8.size(); ++at) {
    if (continuation(utf8[at])) continue;
    if (seen == limit) return std::string(utf8.substr(0, at));
    ++seen;
  }
  return std::string(utf8);
}

}  // namespace analyze
