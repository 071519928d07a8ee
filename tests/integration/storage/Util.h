// Helpers of the S3 integration tests.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <random>
#include <string>

#include "storage/Store.h"

namespace warren::storage::test {

// Runs `fn`, expecting a StorageError of `kind`; returns its text ("" when none was thrown).
inline std::string errorOf(const std::function<void()>& fn, ErrorKind kind) {
  try {
    fn();
    ADD_FAILURE() << "no error was thrown";
  } catch (const StorageError& e) {
    EXPECT_EQ(errorKindName(e.kind()), errorKindName(kind)) << e.what();
    return e.what();
  }
  return "";
}

// `size` bytes that differ from one offset to the next (so a part out of order shows).
inline std::string patternBytes(std::size_t size, unsigned seed) {
  std::mt19937 random(seed);
  std::string out(size, '\0');
  for (char& c : out) c = static_cast<char>(random() & 0xFF);
  return out;
}

inline bool startsWith(const std::string& text, const std::string& prefix) {
  return text.rfind(prefix, 0) == 0;
}

}  // namespace warren::storage::test
