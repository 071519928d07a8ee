#include "text/Segments.h"
#include "text/Unicode.h"

#include <gtest/gtest.h>

namespace common::text {
namespace {

TEST(Unicode, NfcComposesCombiningMarks) {
  EXPECT_EQ(nfc("e\xCC\x81"), "\xC3\xA9");  // e + U+0301 -> é
  EXPECT_EQ(nfc("already \xC3\xA9"), "already \xC3\xA9");
}

TEST(Unicode, CaseFoldingAndLowerCase) {
  EXPECT_EQ(foldCase("Stra\xC3\x9F"
                     "e"),
            foldCase("STRASSE"));
  EXPECT_EQ(toLower("\xC3\x89LAN"), "\xC3\xA9lan");
  EXPECT_EQ(capitalizeFirst("\xC3\xA9lan"), "\xC3\x89lan");
}

TEST(Unicode, GraphemeClustersKeepEmojiSequencesWhole) {
  EXPECT_EQ(graphemeCount(""), 0u);
  EXPECT_EQ(graphemeCount("abc"), 3u);
  EXPECT_EQ(graphemeCount("e\xCC\x81"), 1u);  // e + combining acute
  // 👩‍👩‍👧‍👦 (7 code points), 👍🏽 (skin tone), 🇫🇷 (flag), 1️⃣
  // (keycap)
  EXPECT_EQ(graphemeCount("\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x91\xA7"
                          "\xE2\x80\x8D\xF0\x9F\x91\xA6"),
            1u);
  EXPECT_EQ(graphemeCount("\xF0\x9F\x91\x8D\xF0\x9F\x8F\xBD"), 1u);
  EXPECT_EQ(graphemeCount("\xF0\x9F\x87\xAB\xF0\x9F\x87\xB7"), 1u);
  EXPECT_EQ(graphemeCount("1\xEF\xB8\x8F\xE2\x83\xA3"), 1u);
  EXPECT_EQ(graphemeCount("\xE4\xBD\xA0\xE5\xA5\xBD"), 2u);  // 你好
  const auto bounds = graphemeBoundaries(
      "a\xF0\x9F\x87\xAB\xF0\x9F\x87\xB7"
      "b");
  EXPECT_EQ(bounds, (std::vector<std::size_t>{0, 1, 9, 10}));
}

TEST(Unicode, EmojiClustersAreTellFromText) {
  EXPECT_TRUE(isEmojiCluster("\xF0\x9F\x98\x80"));                  // 😀
  EXPECT_TRUE(isEmojiCluster("\xF0\x9F\x91\x8D\xF0\x9F\x8F\xBD"));  // 👍🏽
  EXPECT_TRUE(isEmojiCluster("\xF0\x9F\x87\xAB\xF0\x9F\x87\xB7"));  // 🇫🇷
  EXPECT_TRUE(isEmojiCluster("1\xEF\xB8\x8F\xE2\x83\xA3"));         // 1️⃣
  EXPECT_TRUE(isEmojiCluster("\xC2\xA9\xEF\xB8\x8F"));              // ©️
  EXPECT_TRUE(isEmojiCluster("\xE2\x9D\xA4\xEF\xB8\x8F"));          // ❤️
  EXPECT_FALSE(isEmojiCluster("\xC2\xA9"));                         // © as text
  EXPECT_FALSE(isEmojiCluster("1"));
  EXPECT_FALSE(isEmojiCluster("a"));
  EXPECT_FALSE(isEmojiCluster("\xE4\xBD\xA0"));  // 你
}

TEST(Unicode, StripsDiacriticsForMatchingOnly) {
  EXPECT_EQ(stripDiacritics("Cr\xC3\xA8me br\xC3\xBBl\xC3\xA9"
                            "e"),
            "Creme brulee");
}

TEST(Segments, SentencesKeepAbbreviationsAndBreakAtLines) {
  const auto s = sentences("Dr. Smith met Mrs. Jones today. Was he late? No!\nNew line here", "en");
  ASSERT_EQ(s.size(), 4u);
  EXPECT_EQ(s[0].text, "Dr. Smith met Mrs. Jones today.");
  EXPECT_EQ(s[1].text, "Was he late?");
  EXPECT_EQ(s[2].text, "No!");
  EXPECT_EQ(s[3].text, "New line here");
  EXPECT_EQ(s[3].offset, 49u);
}

TEST(Segments, LinksDoNotEndSentences) {
  const auto s = sentences("See https://ex.com/a?b=c. And mail a.b@ex.com now. Done.", "en");
  ASSERT_EQ(s.size(), 3u);
  EXPECT_EQ(s[0].text, "See https://ex.com/a?b=c.");
}

TEST(Segments, WordsSkipPunctuationAndSplitFrenchElisions) {
  const auto w = words("Don't panic: 3.5 million people!", "en");
  ASSERT_EQ(w.size(), 5u);
  EXPECT_EQ(w[0].text, "Don't");
  EXPECT_EQ(w[2].text, "3.5");
  EXPECT_EQ(w[2].kind, WordKind::Number);
  const auto fr = words(
      "l'\xC3\xA9"
      "conomie d'abord",
      "fr");
  ASSERT_EQ(fr.size(), 4u);
  EXPECT_EQ(fr[0].text, "l'");
  EXPECT_EQ(fr[1].text,
            "\xC3\xA9"
            "conomie");
  EXPECT_EQ(fr[1].offset, 2u);
  EXPECT_EQ(words("SUMMER50", "en")[0].kind, WordKind::Letter);
}

TEST(Segments, JapaneseIsCutWithoutSpaces) {
  const auto w = words(
      "\xE4\xBB\x8A\xE6\x97\xA5\xE3\x81\xAF\xE8\x89\xAF\xE3\x81\x84\xE5\xA4\xA9"
      "\xE6\xB0\x97\xE3\x81\xA7\xE3\x81\x99",
      "ja");  // 今日は良い天気です
  EXPECT_GE(w.size(), 4u);
  EXPECT_EQ(w[0].text, "\xE4\xBB\x8A\xE6\x97\xA5");  // 今日
}

}  // namespace
}  // namespace common::text
