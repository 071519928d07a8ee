// The key rules every backend enforces, with the exact refusals a plugin author reads.
#include <gtest/gtest.h>

#include "Helpers.h"
#include "storage/Keys.h"

namespace warren::storage {
namespace {

using test::expectError;

void refused(const std::string& key, const std::string& message) {
  expectError([&] { validateKey(key); }, ErrorKind::invalid, message);
}

TEST(StorageKeys, AcceptsRelativeUtf8Paths) {
  for (const std::string key :
       {"a", "videos/2024/clip.mp4", "a b+c~(1).txt", "\xC3\xBC\xE2\x82\xAC/\xF0\x9F\x8E\xAC",
        "...", "a/.hidden", ".warrenish/x", "x/.warren"}) {
    EXPECT_NO_THROW(validateKey(key)) << key;
  }
  EXPECT_NO_THROW(validateKey(std::string(1024, 'k')));
}

TEST(StorageKeys, RefusesKeysThatLeaveTheStore) {
  refused("../escape", "key \"../escape\" has a '..' segment (keys may not leave the store)");
  refused("a/../../b", "key \"a/../../b\" has a '..' segment (keys may not leave the store)");
  refused("a/..", "key \"a/..\" has a '..' segment (keys may not leave the store)");
  refused("/etc/passwd",
          "key \"/etc/passwd\" starts with '/' (keys are relative, like \"videos/a.mp4\")");
  refused("./a", "key \"./a\" has a '.' segment");
}

TEST(StorageKeys, RefusesMalformedKeys) {
  refused("", "key is empty");
  refused("a//b", "key \"a//b\" has an empty segment ('//' or a trailing '/')");
  refused("a/", "key \"a/\" has an empty segment ('//' or a trailing '/')");
  refused(std::string("a\0b", 3), "key \"a\\x00b\" contains a NUL byte");
  refused("a\nb", "key \"a\\x0Ab\" contains a control character (0x0A)");
  refused("a\xC3", "key \"a\\xC3\" is not valid UTF-8");
  refused("\xC0\xAF", "key \"\\xC0\\xAF\" is not valid UTF-8");           // overlong '/'
  refused("\xED\xA0\x80", "key \"\\xED\\xA0\\x80\" is not valid UTF-8");  // a surrogate
  refused(".warren/meta/x", "key \".warren/meta/x\" starts with the reserved segment '.warren'");
  const std::string longKey(1025, 'k');
  expectError([&] { validateKey(longKey); }, ErrorKind::invalid,
              "key \"" + std::string(200, 'k') + "...\" is longer than 1024 bytes (1025)");
}

TEST(StorageKeys, PrefixesMayBeEmptyOrEndWithASlash) {
  EXPECT_NO_THROW(validatePrefix(""));
  EXPECT_NO_THROW(validatePrefix("videos/"));
  expectError([] { validatePrefix("/videos"); }, ErrorKind::invalid,
              "prefix \"/videos\" starts with '/' (keys are relative, like \"videos/a.mp4\")");
  expectError([] { validatePrefix(std::string("a\0", 2)); }, ErrorKind::invalid,
              "prefix \"a\\x00\" contains a NUL byte");
}

TEST(StorageKeys, QuotedEscapesWhatCannotBePrinted) {
  EXPECT_EQ(inQuotes("a\"b\\c\td"), "\"a\\\"b\\\\c\\x09d\"");
  EXPECT_EQ(inQuotes("\xC3\xBC\xFF"), "\"\xC3\xBC\\xFF\"");
}

}  // namespace
}  // namespace warren::storage
