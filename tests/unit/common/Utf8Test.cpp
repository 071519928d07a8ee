#include "text/Utf8.h"

#include <gtest/gtest.h>

namespace common::text {
namespace {

TEST(Utf8, ValidTextIsValid) {
  EXPECT_TRUE(isValidUtf8(""));
  EXPECT_TRUE(isValidUtf8("plain ascii"));
  EXPECT_TRUE(isValidUtf8("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80"));
}

TEST(Utf8, IllFormedSequencesAreInvalid) {
  EXPECT_FALSE(isValidUtf8("\xC3"));              // truncated
  EXPECT_FALSE(isValidUtf8("\xC0\xAF"));          // overlong "/"
  EXPECT_FALSE(isValidUtf8("\xED\xA0\x80"));      // UTF-16 surrogate
  EXPECT_FALSE(isValidUtf8("\xF4\x90\x80\x80"));  // past U+10FFFF
  EXPECT_FALSE(isValidUtf8("\xFF"));
}

TEST(Utf8, RepairReplacesEachMaximalInvalidSubpart) {
  EXPECT_EQ(repairUtf8("ok"), "ok");
  EXPECT_EQ(repairUtf8("a\xFF"
                       "b"),
            "a\xEF\xBF\xBD"
            "b");
  // "\xE2\x82" is the start of a three-byte sequence cut short: one U+FFFD for both bytes.
  EXPECT_EQ(repairUtf8("x\xE2\x82y"), "x\xEF\xBF\xBDy");
  // An overlong pair is two invalid bytes: two replacements (Unicode's recommended practice).
  EXPECT_EQ(repairUtf8("\xC0\xAF"), "\xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_TRUE(isValidUtf8(repairUtf8("\xF0\x9F\x98")));
}

TEST(Utf8, DecodesAndEncodesCodePoints) {
  const std::string text = "a\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80";
  std::size_t offset = 0;
  EXPECT_EQ(decodeUtf8(text, offset), U'a');
  EXPECT_EQ(decodeUtf8(text, offset), U'\u00E9');
  EXPECT_EQ(decodeUtf8(text, offset), U'\u20AC');
  EXPECT_EQ(decodeUtf8(text, offset), U'\U0001F600');
  EXPECT_EQ(offset, text.size());
  std::string out;
  for (char32_t cp : {U'a', U'\u00E9', U'\u20AC', U'\U0001F600'}) appendUtf8(out, cp);
  EXPECT_EQ(out, text);
  EXPECT_EQ(codePointCount(text), 4u);
}

}  // namespace
}  // namespace common::text
