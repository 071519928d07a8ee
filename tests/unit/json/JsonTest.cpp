// The allocation-free JSON syntax check that guards job data and plugin results: it must agree
// with JSON.parse (what a Node reader runs on the stored text) on what is a JSON text.
#include "json/Json.h"

#include <gtest/gtest.h>

#include <string>

namespace warren::test {
namespace {

TEST(JsonWellFormed, AcceptsEveryKindOfValue) {
  for (const char* text :
       {"{}", "[]", "0", "-0", "12.5e-3", "1E+2", "true", "false", "null", "\"\"",
        " \t\r\n{\"a\": [1, {\"b\": null}], \"c\": \"d\"}\n", "[[[]]]", "\"\\u00e9\\n\\\"\\/\"",
        "\"h\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"", "-123456789012345678901234567890"}) {
    EXPECT_TRUE(json::wellFormed(text)) << text;
    EXPECT_TRUE(json::valid(text)) << text;
  }
}

TEST(JsonWellFormed, RefusesWhatJsonParseRefuses) {
  for (const char* text :
       {"",         " ",     "{",          "{\"a\":}", "{\"a\" 1}",   "{a:1}",
        "[1,]",     "[1 2]", "01",         "1.",       ".5",          "1e",
        "+1",       "-",     "tru",        "nul",      "True",        "NaN",
        "Infinity", "'x'",   "\"abc",      "\"a\\x\"", "\"\\u12g4\"", "\"tab\there\"",
        "{} {}",    "[1]x",  "{\"a\":1,}", "/*c*/1"}) {
    EXPECT_FALSE(json::wellFormed(text)) << text;
    EXPECT_FALSE(json::valid(text)) << text;
  }
}

TEST(JsonWellFormed, RefusesMalformedUtf8InStrings) {
  for (const char* text : {"\"\xff\"", "\"\xc3\"", "\"\xc0\xaf\"", "\"\xed\xa0\x80\"",
                           "\"\xf4\x90\x80\x80\"", "\"\xe2\x82\""}) {
    EXPECT_FALSE(json::wellFormed(text)) << text;
  }
}

TEST(JsonWellFormed, NestingIsBounded) {
  EXPECT_TRUE(json::wellFormed(std::string(512, '[') + std::string(512, ']')));
  EXPECT_FALSE(json::wellFormed(std::string(513, '[') + std::string(513, ']')));
}

TEST(JsonWellFormed, AZeroByteInsideTheTextIsNotIgnored) {
  EXPECT_FALSE(json::wellFormed(std::string("{}\0", 3)));
  EXPECT_FALSE(json::wellFormed(std::string("\"a\0b\"", 5)));
}

TEST(JsonObjectMembers, GivesTheTopLevelKeysAndValueTexts) {
  const auto members = json::objectMembers(
      R"( {"attempts": 3, "backoff":{"type":"fixed","delay":5}, "a\"b" : [1, 2] ,"s":"x"} )");
  ASSERT_TRUE(members);
  ASSERT_EQ(members->size(), 4u);
  EXPECT_EQ((*members)[0].key, "attempts");
  EXPECT_EQ((*members)[0].value, "3");
  EXPECT_EQ((*members)[1].key, "backoff");
  EXPECT_EQ((*members)[1].value, R"({"type":"fixed","delay":5})");
  EXPECT_EQ((*members)[2].key, R"(a\"b)");
  EXPECT_EQ((*members)[2].value, "[1, 2]");
  EXPECT_EQ((*members)[3].value, R"("x")");
  EXPECT_FALSE(json::objectMembers("[1]"));
  EXPECT_FALSE(json::objectMembers("{\"a\":}"));
  EXPECT_TRUE(json::objectMembers(" {} ")->empty());
}

}  // namespace
}  // namespace warren::test
