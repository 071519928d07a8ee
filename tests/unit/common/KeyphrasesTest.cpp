#include "Fixtures.h"
#include "text/Keyphrases.h"
#include "text/Language.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace common::text {
namespace {

std::vector<std::string> texts(const std::vector<Keyword>& keywords) {
  std::vector<std::string> out;
  for (const auto& k : keywords) out.push_back(k.text);
  return out;
}

bool has(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

TEST(Keyphrases, EnglishNewsKeywordsAndPhrases) {
  const Document doc = prepareDocument(fixtures::kEnglishNews, "en");
  const auto scores = textRank(doc);
  const auto keywords = rankKeywords(doc, scores, 10);
  ASSERT_EQ(keywords.size(), 10u);
  EXPECT_EQ(keywords[0].text, "inflation");
  EXPECT_DOUBLE_EQ(keywords[0].score, 1.0);
  const auto all = texts(keywords);
  const auto top4 = std::vector<std::string>(all.begin(), all.begin() + 4);
  EXPECT_TRUE(has(top4, "rates")) << ::testing::PrintToString(top4);
  EXPECT_TRUE(has(top4, "euro")) << ::testing::PrintToString(top4);
  for (std::size_t k = 1; k < keywords.size(); ++k) {
    EXPECT_LE(keywords[k].score, keywords[k - 1].score);
  }
  std::vector<std::string> phrases;
  for (const auto& p : rankKeyphrases(doc, scores, 5)) phrases.push_back(p.text);
  EXPECT_EQ(phrases[0], "inflation");
  EXPECT_TRUE(has(phrases, "interest rates")) << ::testing::PrintToString(phrases);
  EXPECT_TRUE(has(phrases, "European Central Bank")) << ::testing::PrintToString(phrases);
  // Stopwords, numbers and adverbs are never keywords.
  for (const char* never : {"the", "2%", "calmly", "Thursday"}) {
    EXPECT_FALSE(has(texts(rankKeywords(doc, scores, 100)), never)) << never;
  }
}

TEST(Keyphrases, FrenchNewsKeywords) {
  const Document doc = prepareDocument(fixtures::kFrenchNews, "fr");
  const auto scores = textRank(doc);
  const auto top = texts(rankKeywords(doc, scores, 3));
  EXPECT_EQ(top[0], "inflation");
  EXPECT_TRUE(has(top, "hausse")) << ::testing::PrintToString(top);
  EXPECT_TRUE(has(top, "taux")) << ::testing::PrintToString(top);
  std::vector<std::string> phrases;
  for (const auto& p : rankKeyphrases(doc, scores, 5)) phrases.push_back(p.text);
  EXPECT_TRUE(has(phrases, "taux")) << ::testing::PrintToString(phrases);
  EXPECT_TRUE(has(phrases, "Christine Lagarde")) << ::testing::PrintToString(phrases);
  EXPECT_FALSE(has(phrases, "l'inflation"));
}

TEST(Keyphrases, StemsGroupInflectedForms) {
  const Document doc = prepareDocument(
      "Connections matter. A connected team builds connections. Teams connect ideas.", "en");
  const auto keywords = rankKeywords(doc, textRank(doc), 10);
  const auto list = texts(keywords);
  EXPECT_EQ(std::count_if(list.begin(), list.end(),
                          [](const std::string& k) {
                            return k.rfind("connect", 0) == 0 || k.rfind("Connect", 0) == 0;
                          }),
            1);
  EXPECT_EQ(list[0], "connections");
}

TEST(Keyphrases, ConvenienceDetectsTheLanguage) {
  const auto phrases = extractKeyphrases(fixtures::kEnglishNews);
  ASSERT_FALSE(phrases.empty());
  EXPECT_EQ(phrases[0].text, "inflation");
  EXPECT_EQ(phrases[0].count, 3u);
}

}  // namespace
}  // namespace common::text
