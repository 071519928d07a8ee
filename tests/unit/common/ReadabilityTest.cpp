#include "text/Readability.h"

#include <gtest/gtest.h>

namespace common::text {
namespace {

Readability of(const char* text, const char* language) {
  return readabilityOf(prepareDocument(text, language));
}

TEST(Readability, CountsSyllables) {
  EXPECT_EQ(countSyllables("the", "en"), 1u);
  EXPECT_EQ(countSyllables("beautiful", "en"), 3u);
  EXPECT_EQ(countSyllables("university", "en"), 5u);
  EXPECT_EQ(countSyllables("government", "en"), 3u);
  EXPECT_EQ(countSyllables("announced", "en"), 2u);
  EXPECT_EQ(countSyllables("comprehensive", "en"), 4u);
  EXPECT_EQ(countSyllables("yesterday", "en"), 3u);
  EXPECT_EQ(countSyllables("coffee", "en"), 2u);
  EXPECT_EQ(countSyllables("table", "en"), 2u);
  EXPECT_EQ(countSyllables("jumped", "en"), 1u);
  EXPECT_EQ(countSyllables("econ\xC3\xB3mico", "es"), 5u);
  EXPECT_EQ(countSyllables("gobierno", "es"), 3u);
  EXPECT_EQ(countSyllables("pa\xC3\xADs", "es"), 2u);  // accented í breaks the diphthong
  EXPECT_EQ(countSyllables("a\xC3\xA9reo", "es"), 4u);
  EXPECT_EQ(countSyllables("bundesrepublik", "de"), 5u);
  EXPECT_EQ(countSyllables("n\xC3\xA3o", "pt"), 1u);
}

// Hand-computed: Flesch = 206.835 - 1.015 * words/sentences - 84.6 * syllables/words.
TEST(Readability, EnglishFleschMatchesHandComputedValues) {
  // 6 words, 6 syllables, 1 sentence: 206.835 - 6.09 - 84.6 = 116.145.
  const auto cat = of("The cat sat on the mat.", "en");
  EXPECT_EQ(cat.scale, "flesch");
  EXPECT_DOUBLE_EQ(cat.score, 116.1);
  EXPECT_EQ(cat.level, "very easy");
  EXPECT_DOUBLE_EQ(cat.wordsPerSentence, 6.0);
  EXPECT_DOUBLE_EQ(cat.syllablesPerWord, 1.0);
  EXPECT_EQ(cat.syllableSource, "hyphenation+vowels");
  // The(1) government(3) announced(2) a(1) comprehensive(4) plan(1) yesterday(3): 15 / 7.
  // 206.835 - 7.105 - 181.2857 = 18.444.
  const auto plan = of("The government announced a comprehensive plan yesterday.", "en");
  EXPECT_DOUBLE_EQ(plan.score, 18.4);
  EXPECT_EQ(plan.level, "very difficult");
  // 7 words, 8 syllables, 2 sentences: 206.835 - 3.5525 - 96.6857 = 106.597.
  const auto tea = of("I like tea. You like coffee too.", "en");
  EXPECT_DOUBLE_EQ(tea.score, 106.6);
  EXPECT_DOUBLE_EQ(tea.wordsPerSentence, 3.5);
}

TEST(Readability, EachLanguageHasItsFormula) {
  // Fernández-Huerta: El(1) ga-to(2) co-me(2) pes-ca-do(3): 4 words, 8 syllables, 1 sentence:
  // 206.84 - 60 * 2 - 1.02 * 100 / 4 = 61.34.
  const auto es = of("El gato come pescado.", "es");
  EXPECT_EQ(es.scale, "fernandez-huerta");
  EXPECT_DOUBLE_EQ(es.score, 61.3);
  EXPECT_EQ(es.level, "standard");
  EXPECT_EQ(of("Le chat dort.", "fr").scale, "kandel-moles");
  EXPECT_EQ(of("Die Katze schl\xC3\xA4"
               "ft.",
               "de")
                .scale,
            "amstad");
  EXPECT_EQ(of("Il gatto dorme.", "it").scale, "flesch-vacca");
  EXPECT_EQ(of("O gato dorme.", "pt").scale, "flesch-martins");
  const auto ja =
      of("\xE4\xBB\x8A\xE6\x97\xA5\xE3\x81\xAF\xE8\x89\xAF\xE3\x81\x84\xE5\xA4\xA9"
         "\xE6\xB0\x97\xE3\x81\xA7\xE3\x81\x99\xE3\x80\x82",
         "ja");
  EXPECT_EQ(ja.scale, "none");
  EXPECT_EQ(ja.level, "unknown");
}

TEST(Readability, LinksAndNumbersAreNotWords) {
  const auto r = of("The cat sat on the mat https://example.com/a/very/long/path 2024.", "en");
  EXPECT_DOUBLE_EQ(r.wordsPerSentence, 6.0);
  EXPECT_DOUBLE_EQ(r.syllablesPerWord, 1.0);
}

}  // namespace
}  // namespace common::text
