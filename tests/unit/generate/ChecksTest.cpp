// The checks a draft passes before it is accepted, each with the reason the job gives.
#include "Fixtures.h"

#include "Checks.h"
#include "Compose.h"

#include <gtest/gtest.h>

namespace warren::test {
namespace {

using common::platform::Platform;
using generate::Check;

std::vector<generate::Problem> problemsOf(const std::string& text, Platform platform,
                                          const generate::BrandProfile& brand,
                                          const std::string& language = "en",
                                          std::size_t maxParts = 4) {
  const generate::Layout layout = generate::layoutFor(platform, 500, maxParts, true);
  return generate::check(generate::compose(text, layout), layout, {brand, language});
}

std::string described(const std::string& text, Platform platform,
                      const generate::BrandProfile& brand, const std::string& language = "en") {
  return generate::describe(problemsOf(text, platform, brand, language));
}

const char* const kGood =
    "Our bakery opens a second shop in Lyon this spring. Come and taste it! #LyonBakery";

TEST(GenerateChecks, AGoodDraftPasses) {
  EXPECT_EQ(described(kGood, Platform::X, bakeryBrand()), "");
  EXPECT_EQ(described(kGood, Platform::LinkedIn, bakeryBrand()), "");
}

TEST(GenerateChecks, LengthByThePlatformsRule) {
  generate::BrandProfile brand;
  // 165 CJK characters weigh 330 on X (more than 280) but are 165 graphemes on Bluesky.
  std::string cjk;
  for (int i = 0; i < 15; ++i) cjk += "我们的面包店开设分店。";
  EXPECT_EQ(described(cjk, Platform::X, brand, ""), "");  // a thread of two
  EXPECT_EQ(problemsOf(cjk, Platform::X, brand, "", 1).front().message,
            "length: 330 x-weighted, more than 280");
  EXPECT_EQ(described(cjk, Platform::Bluesky, brand, ""), "");
  EXPECT_EQ(described(std::string(3001, 'a'), Platform::LinkedIn, brand, ""),
            "length: 3001 linkedin-escaped-characters, more than 3000");
  // Too long for the thread budget: five posts' worth of sentences.
  std::string longer;
  for (int i = 0; i < 40; ++i) longer += "Fresh sourdough comes out of the oven at seven. ";
  EXPECT_EQ(described(longer, Platform::X, brand),
            "length: 1919 x-weighted needs a thread of 8 posts, more than max_thread_parts 4 (280 "
            "each)");
  // Bluesky's bytes: 300 graphemes of 4-byte emoji... within 300 graphemes, over 3000 bytes? No:
  // 290 family emoji are 290 graphemes and 7250 bytes.
  std::string family;
  for (int i = 0; i < 290; ++i)
    family += "\xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x91\xA7";
  EXPECT_EQ(problemsOf(family, Platform::Bluesky, brand, "", 1).front().message,
            "length: 5220 UTF-8 bytes, more than 3000");
}

TEST(GenerateChecks, BannedWordsAsWholeWordsAndInHashtags) {
  const generate::BrandProfile brand = bakeryBrand();
  EXPECT_EQ(described("Cheap bread for all. Come and taste it! #LyonBakery", Platform::X, brand),
            "banned word 'cheap'");
  EXPECT_EQ(described("So CHEAP! Come and taste it! #LyonBakery", Platform::X, brand),
            "banned word 'cheap'");
  EXPECT_EQ(described("Cheapside market opens. Come and taste it! #LyonBakery", Platform::X, brand),
            "");
  EXPECT_EQ(described("Our new loaf. Come and taste it! #LyonBakery #GuaranteedFresh", Platform::X,
                      brand),
            "banned word 'guaranteed'");
  generate::BrandProfile phrase = brand;
  phrase.bannedWords = {"best in town"};
  EXPECT_EQ(described("The best in town! #LyonBakery", Platform::X, phrase),
            "banned word 'best in town'");
  EXPECT_EQ(described("Our loaf. #LyonBakery #BestInTown", Platform::X, phrase),
            "banned word 'best in town'");
}

TEST(GenerateChecks, HashtagsRequiredBannedAndThePlatformsHabit) {
  const generate::BrandProfile brand = bakeryBrand();
  EXPECT_EQ(described("Our bakery opens in Lyon this spring.", Platform::X, brand),
            "missing required hashtag #LyonBakery");
  EXPECT_EQ(described("Our bakery opens in Lyon this spring. #lyonbakery", Platform::X, brand), "");
  EXPECT_EQ(described("Our bakery opens in Lyon. #LyonBakery #sale", Platform::X, brand),
            "banned hashtag #sale");
  EXPECT_EQ(described("Our bakery opens in Lyon. #LyonBakery #Bread #Lyon", Platform::X, brand),
            "hashtags: 3, more than x's 2");
  EXPECT_EQ(
      described("Our bakery opens in Lyon. #LyonBakery #Bread #Lyon", Platform::Mastodon, brand),
      "");
  EXPECT_EQ(described("Our bakery opens in Lyon. #LyonBakery #Bread", Platform::Threads, brand),
            "hashtags: 2, more than threads's 1");
}

TEST(GenerateChecks, EmojiByTheBrandsPolicy) {
  generate::BrandProfile brand;
  const std::string text =
      "Fresh bread \xF0\x9F\x8D\x9E every morning \xE2\x98\x95 with a smile "
      "\xF0\x9F\x98\x80 and more.";
  brand.emoji = generate::EmojiPolicy::none;
  EXPECT_EQ(described(text, Platform::X, brand), "emoji: 3, the brand's policy is none");
  brand.emoji = generate::EmojiPolicy::few;
  EXPECT_EQ(described(text, Platform::X, brand),
            "emoji: 3, more than the 2 of the brand's policy few");
  brand.emoji = generate::EmojiPolicy::any;
  EXPECT_EQ(described(text, Platform::X, brand), "");
}

TEST(GenerateChecks, TheLanguageWhenItCanBeTold) {
  generate::BrandProfile brand;
  const std::string german =
      "Unsere Bäckerei eröffnet in diesem Frühling eine zweite Filiale in Lyon. Jeden Morgen um "
      "sieben Uhr kommt frisches Sauerteigbrot aus dem Ofen.";
  EXPECT_EQ(described(german, Platform::LinkedIn, brand, "fr"),
            "language: the draft is in de, not fr");
  EXPECT_EQ(described(german, Platform::LinkedIn, brand, "de-AT"), "");
  EXPECT_EQ(described(german, Platform::LinkedIn, brand, ""), "");
  // Too short to tell: not a failure.
  EXPECT_EQ(described("Bonjour!", Platform::X, brand, "en"), "");
}

TEST(GenerateChecks, AnEmptyDraft) {
  EXPECT_EQ(described("  \n ", Platform::X, bakeryBrand()), "text: empty");
}

TEST(GenerateChecks, ProseLeavesOutLinksMentionsAndHashtags) {
  // Each of them becomes one space.
  EXPECT_EQ(generate::proseOf("See https://example.com/a and @alice #Tag now"),
            "See   and     now");
  EXPECT_EQ(generate::primaryLanguage("pt-BR"), "pt");
}

}  // namespace
}  // namespace warren::test
