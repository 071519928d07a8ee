// Small helpers of the storage unit tests.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <string>

#include "storage/Store.h"

namespace warren::storage::test {

// Runs `fn`, expecting a StorageError of `kind` whose text is exactly `message`.
inline void expectError(const std::function<void()>& fn, ErrorKind kind,
                        const std::string& message) {
  try {
    fn();
    ADD_FAILURE() << "no error; expected: " << message;
  } catch (const StorageError& e) {
    EXPECT_EQ(errorKindName(e.kind()), errorKindName(kind)) << e.what();
    EXPECT_EQ(std::string(e.what()), message);
  }
}

}  // namespace warren::storage::test
