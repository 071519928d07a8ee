#include "Fixtures.h"
#include "text/Analyze.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace common::text {
namespace {

bool has(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

TEST(Analyze, EnglishNewsParagraph) {
  const TextAnalysis a = analyze(fixtures::kEnglishNews);
  EXPECT_EQ(a.language, "en");
  EXPECT_GE(a.languageConfidence, 0.9);
  EXPECT_EQ(a.sentences, 4u);
  EXPECT_EQ(a.words, 72u);
  EXPECT_EQ(a.characters, std::string(fixtures::kEnglishNews).size());  // ASCII: one per byte
  ASSERT_EQ(a.keywords.size(), 10u);
  EXPECT_EQ(a.keywords[0].text, "inflation");
  EXPECT_TRUE(has(a.topics, "interest rates"));
  EXPECT_EQ(a.summary,
            "The European Central Bank raised interest rates by a quarter point on Thursday, its "
            "tenth consecutive increase, as inflation in the euro zone remains stubbornly high.");
  EXPECT_EQ(a.keyPoints.size(), 4u);
  EXPECT_EQ(a.tone, "informative");
  EXPECT_EQ(a.sentiment.label, "neutral");
  EXPECT_EQ(a.readability.scale, "flesch");
  EXPECT_TRUE(has(a.hashtags, "#InterestRates"));
  EXPECT_TRUE(has(a.hashtags, "#Inflation"));
  EXPECT_LE(a.hashtags.size(), 5u);
  const auto person = std::find_if(a.entities.begin(), a.entities.end(),
                                   [](const Entity& e) { return e.text == "Christine Lagarde"; });
  ASSERT_NE(person, a.entities.end());
  EXPECT_EQ(person->type, "person");
  EXPECT_TRUE(a.contentWarnings.empty());
}

TEST(Analyze, SummaryAndKeyPointsComeFromTheText) {
  const std::string text = std::string(fixtures::kFrenchNews) + " " + fixtures::kFrenchNews +
                           " Les march\xC3\xA9s ont r\xC3\xA9"
                           "agi calmement. Le dollar recule.";
  const TextAnalysis a = analyze(text);
  EXPECT_EQ(a.language, "fr");
  EXPECT_EQ(a.readability.scale, "kandel-moles");
  ASSERT_FALSE(a.summary.empty());
  EXPECT_NE(text.find(a.summary.substr(0, a.summary.find('.') + 1)), std::string::npos);
  ASSERT_FALSE(a.keyPoints.empty());
  EXPECT_LE(a.keyPoints.size(), 5u);
  std::size_t last = 0;
  for (const auto& point : a.keyPoints) {
    const std::size_t at = text.find(point, last);
    ASSERT_NE(at, std::string::npos) << point;  // a sentence of the text, in text order
    last = at;
  }
}

TEST(Analyze, IsDeterministic) {
  const TextAnalysis a = analyze(fixtures::kEnglishNews), b = analyze(fixtures::kEnglishNews);
  EXPECT_EQ(a.summary, b.summary);
  EXPECT_EQ(a.topics, b.topics);
  ASSERT_EQ(a.keywords.size(), b.keywords.size());
  for (std::size_t k = 0; k < a.keywords.size(); ++k) {
    EXPECT_EQ(a.keywords[k].text, b.keywords[k].text);
    EXPECT_EQ(a.keywords[k].score, b.keywords[k].score);
  }
  EXPECT_EQ(a.hashtags, b.hashtags);
  EXPECT_EQ(a.sentiment.score, b.sentiment.score);
  EXPECT_EQ(a.readability.score, b.readability.score);
}

TEST(Analyze, EmptyTextIsRefused) {
  for (const char* blank : {"", "   \n\t ", "\xE2\x80\x8B"}) {
    try {
      analyze(blank);
      ADD_FAILURE() << "no exception for blank text";
    } catch (const TextError& e) {
      EXPECT_STREQ(e.what(), "text is empty");
    }
  }
  EXPECT_THROW(analyze(""), job::Unrecoverable);
}

TEST(Analyze, InvalidUtf8IsRepaired) {
  const TextAnalysis a = analyze("Great \xFF product, I love it!");
  EXPECT_EQ(a.sentiment.label, "positive");
  EXPECT_EQ(a.characters, 27u);  // the bad byte became one U+FFFD
}

TEST(Analyze, ShortTextTakesTheHint) {
  AnalyzeOptions options;
  options.languageHint = "es";
  EXPECT_EQ(analyze("ok", options).language, "es");
  EXPECT_EQ(analyze("ok").language, "und");
}

TEST(Analyze, PromotionalPostWithHashtagsAndLinks) {
  const TextAnalysis a = analyze(
      "Huge summer sale today only! Get 50% off all running shoes with code SUMMER50. Shop now "
      "at https://shop.example.com/sale?utm=1 #RunningShoes @runclub");
  EXPECT_EQ(a.tone, "promotional");
  std::vector<std::string> types;
  for (const auto& e : a.entities) types.push_back(e.type);
  EXPECT_TRUE(has(types, "url"));
  EXPECT_TRUE(has(types, "hashtag"));
  EXPECT_TRUE(has(types, "mention"));
  for (const auto& k : a.keywords) {
    EXPECT_EQ(k.text.find("utm"), std::string::npos);  // pieces of links are not keywords
    EXPECT_NE(k.text, "runclub");
  }
  for (const auto& tag : a.hashtags) {
    EXPECT_EQ(tag[0], '#');
    EXPECT_EQ(tag.find(' '), std::string::npos);
  }
}

TEST(Analyze, ContentWarningsAndAudience) {
  const TextAnalysis violent =
      analyze("Police said the gunman killed three people in the shooting before he was arrested.");
  EXPECT_EQ(violent.contentWarnings, (std::vector<std::string>{"violence"}));
  const TextAnalysis tech = analyze(
      "Our API now streams query results from the database server with lower latency; the SDK "
      "handles authentication and caching, and the deployment runs on Kubernetes.");
  EXPECT_EQ(tech.audience, "technical");
  // English cue words do not fire on German stopwords ("die" is not "dies").
  EXPECT_TRUE(
      analyze("Die Sonne schien und die Menschen waren freundlich.").contentWarnings.empty());
}

TEST(Analyze, OtherScriptsGetStatisticsButNeutralSentiment) {
  const TextAnalysis a = analyze(
      "\xE4\xBB\x8A\xE6\x97\xA5\xE3\x81\xAF\xE3\x81\xA8\xE3\x81\xA6\xE3"
      "\x82\x82\xE8\x89\xAF\xE3\x81\x84\xE5\xA4\xA9\xE6\xB0\x97\xE3\x81"
      "\xA7\xE3\x81\x99\xE3\x80\x82\xE5\x85\xAC\xE5\x9C\x92\xE3\x81\xA7"
      "\xE6\x95\xA3\xE6\xAD\xA9\xE3\x81\x97\xE3\x81\xBE\xE3\x81\x97\xE3"
      "\x81\x9F\xE3\x80\x82");
  EXPECT_EQ(a.language, "ja");
  EXPECT_EQ(a.sentences, 2u);
  EXPECT_EQ(a.sentiment.label, "neutral");
  EXPECT_EQ(a.readability.scale, "none");
  ASSERT_FALSE(a.keywords.empty());
  for (const auto& k : a.keywords) EXPECT_NE(k.text, "\xE3\x81\xA7");  // particle で
  EXPECT_FALSE(a.hashtags.empty());
}

}  // namespace
}  // namespace common::text
