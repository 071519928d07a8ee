#include "text/Sentiment.h"

#include <gtest/gtest.h>

namespace common::text {
namespace {

Sentiment of(const char* text, const char* language) {
  return sentimentOf(prepareDocument(text, language));
}

TEST(Sentiment, ClearEnglishCases) {
  const auto love =
      of("I absolutely love this coffee maker. It is fast and makes the best espresso.", "en");
  EXPECT_EQ(love.label, "positive");
  EXPECT_GT(love.score, 0.6);
  const auto worst =
      of("The worst service ever: the delivery was late and the package was damaged.", "en");
  EXPECT_EQ(worst.label, "negative");
  EXPECT_LT(worst.score, -0.4);
  EXPECT_EQ(of("The meeting is on the third floor.", "en").label, "neutral");
  EXPECT_DOUBLE_EQ(of("The meeting is on the third floor.", "en").score, 0.0);
}

TEST(Sentiment, NegationAndBoosters) {
  EXPECT_EQ(of("This is not good.", "en").label, "negative");
  EXPECT_GT(of("This is very good.", "en").score, of("This is good.", "en").score);
  EXPECT_EQ(of("The food was great and the view was wonderful, but the service was terrible "
               "and the prices were awful.",
               "en")
                .label,
            "mixed");
}

TEST(Sentiment, InflectedFormsMatchByStem) {
  EXPECT_EQ(of("Customers loved the improvements.", "en").label, "positive");
}

TEST(Sentiment, OtherLexicons) {
  EXPECT_EQ(of("Es un producto excelente, estoy muy contento.", "es").label, "positive");
  EXPECT_EQ(of("El servicio fue terrible y no funciona.", "es").label, "negative");
  EXPECT_EQ(of("Ce film est magnifique, je suis ravi.", "fr").label, "positive");
  EXPECT_EQ(of("Ce n'est pas bon.", "fr").label, "negative");
  EXPECT_EQ(of("Das Essen war wirklich wunderbar.", "de").label, "positive");
  EXPECT_EQ(of("Das war eine schreckliche Erfahrung.", "de").label, "negative");
  EXPECT_EQ(of("O atendimento foi excelente e r\xC3\xA1pido.", "pt").label, "positive");
  EXPECT_EQ(of("Il servizio era pessimo.", "it").label, "negative");
}

TEST(Sentiment, LanguagesWithoutALexiconAreNeutral) {
  EXPECT_FALSE(hasSentimentLexicon("sv"));
  const auto sv = of("Det var en fantastisk dag.", "sv");
  EXPECT_EQ(sv.label, "neutral");
  EXPECT_DOUBLE_EQ(sv.score, 0.0);
}

}  // namespace
}  // namespace common::text
