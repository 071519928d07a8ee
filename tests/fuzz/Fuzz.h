// Helpers shared by the fuzz targets: the input as text, split into parts, and a loud failure
// when an invariant of the code under test does not hold (libFuzzer then keeps the input).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

namespace warren::fuzz {

inline std::string_view text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// The parts between `separator` bytes, at most `limit` (the last one keeps the rest).
inline std::vector<std::string> split(std::string_view input, char separator,
                                      std::size_t limit = SIZE_MAX) {
  std::vector<std::string> parts;
  while (parts.size() + 1 < limit) {
    const auto at = input.find(separator);
    if (at == std::string_view::npos) break;
    parts.emplace_back(input.substr(0, at));
    input.remove_prefix(at + 1);
  }
  parts.emplace_back(input);
  return parts;
}

// Prints what did not hold and aborts: the fuzzer reports a crash and writes the input out.
[[noreturn]] inline void violated(const std::string& what) {
  std::fprintf(stderr, "\nfuzz invariant violated: %s\n", what.c_str());
  std::abort();
}

inline void check(bool holds, const char* what) {
  if (!holds) violated(what);
}

}  // namespace warren::fuzz
