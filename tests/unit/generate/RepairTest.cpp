// Deterministic repair: what each failing check gets, and that nothing is cut inside a word.
#include "Fixtures.h"

#include "Checks.h"
#include "Compose.h"
#include "Repair.h"

#include <gtest/gtest.h>

namespace warren::test {
namespace {

using common::platform::Platform;

generate::Repaired repaired(const std::string& text, Platform platform,
                            const generate::BrandProfile& brand, std::size_t maxParts = 4) {
  const generate::Layout layout = generate::layoutFor(platform, 500, maxParts, true);
  return generate::repair(text, layout, {brand, "en"});
}

TEST(GenerateRepair, BannedHashtagsGoAndRequiredOnesAreAdded) {
  const auto r =
      repaired("Fresh bread today. Come and taste it! #Sale #Bread", Platform::X, bakeryBrand());
  EXPECT_EQ(r.text, "Fresh bread today. Come and taste it! #Bread #LyonBakery");
  EXPECT_EQ(r.repairs, (std::vector<std::string>{"removed banned hashtag #Sale",
                                                 "added required hashtag #LyonBakery"}));
}

TEST(GenerateRepair, ARequiredHashtagGoesOnItsOwnLineAfterProse) {
  const auto r = repaired("Fresh bread today.", Platform::Mastodon, bakeryBrand());
  EXPECT_EQ(r.text, "Fresh bread today.\n\n#LyonBakery");
}

TEST(GenerateRepair, SentencesWithABannedWordAreDropped) {
  const auto r =
      repaired("Fresh bread today. Cheap croissants too. Come and taste it!\n\n#LyonBakery",
               Platform::X, bakeryBrand());
  EXPECT_EQ(r.text, "Fresh bread today. Come and taste it!\n\n#LyonBakery");
  EXPECT_EQ(r.repairs, (std::vector<std::string>{"dropped 1 sentence with a banned word"}));
  // When every sentence holds one, nothing is dropped: the check reports it.
  const auto all = repaired("Cheap bread. #LyonBakery", Platform::X, bakeryBrand());
  EXPECT_EQ(all.text, "Cheap bread. #LyonBakery");
}

TEST(GenerateRepair, HashtagsBeyondTheHabitGoFromTheEnd) {
  const auto r =
      repaired("Fresh bread today. #Bread #LyonBakery #Lyon #Morning", Platform::X, bakeryBrand());
  EXPECT_EQ(r.text, "Fresh bread today. #Bread #LyonBakery");
  EXPECT_EQ(r.repairs, (std::vector<std::string>{"removed hashtag #Lyon (x takes 2)",
                                                 "removed hashtag #Morning (x takes 2)"}));
}

TEST(GenerateRepair, EmojiBeyondThePolicy) {
  generate::BrandProfile brand;
  brand.emoji = generate::EmojiPolicy::few;
  const std::string text =
      "Bread \xF0\x9F\x8D\x9E coffee \xE2\x98\x95 smiles \xF0\x9F\x98\x80 family "
      "\xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x91\xA7 end.";
  const auto r = repaired(text, Platform::X, brand);
  EXPECT_EQ(r.text, "Bread \xF0\x9F\x8D\x9E coffee \xE2\x98\x95 smiles family end.");
  EXPECT_EQ(r.repairs, (std::vector<std::string>{"removed 2 emoji (the brand's policy is few)"}));
}

TEST(GenerateRepair, TooLongForOnePostDropsSentencesThenWordsKeepingTheEnd) {
  generate::BrandProfile brand = bakeryBrand();
  std::string text = "Our bakery opens a second shop in Lyon this spring.";
  for (int i = 0; i < 10; ++i) text += " Fresh sourdough comes out of the oven every morning.";
  text += " Come and taste it! https://example.com/lyon #LyonBakery";
  const auto r = repaired(text, Platform::X, brand, 1);
  const generate::Layout layout = generate::layoutFor(Platform::X, 500, 1, true);
  EXPECT_TRUE(common::platform::measure(r.text, layout.rules).fits());
  EXPECT_EQ(r.text.rfind("Our bakery opens a second shop in Lyon this spring.", 0), 0u) << r.text;
  EXPECT_NE(r.text.find(" Come and taste it! https://example.com/lyon #LyonBakery"),
            std::string::npos)
      << r.text;
  EXPECT_EQ(r.repairs, (std::vector<std::string>{"shortened to fit x's 280 (x-weighted)"}));
  // One endless sentence is cut after a whole word, with an ellipsis.
  std::string sentence = "Our bakery";
  for (int i = 0; i < 60; ++i) sentence += " opens";
  const auto cut = repaired(sentence + ". #LyonBakery", Platform::X, brand, 1);
  EXPECT_NE(cut.text.find("opens\xE2\x80\xA6 #LyonBakery"), std::string::npos) << cut.text;
  EXPECT_TRUE(common::platform::measure(cut.text, layout.rules).fits());
}

TEST(GenerateRepair, TooLongForAThreadBecomesTheLongestThreadAllowed) {
  std::string text;
  for (int i = 0; i < 40; ++i) text += "Fresh sourdough comes out of the oven at seven. ";
  text += "#LyonBakery";
  const generate::Layout layout = generate::layoutFor(Platform::X, 500, 3, true);
  const auto r = generate::repair(text, layout, {bakeryBrand(), "en"});
  const generate::Composed post = generate::compose(r.text, layout);
  EXPECT_EQ(post.parts.size(), 3u);
  EXPECT_EQ(r.repairs, (std::vector<std::string>{"shortened to a thread of 3 posts of 280 "
                                                 "(x-weighted)"}));
  EXPECT_NE(post.parts.back().find("#LyonBakery 3/3"), std::string::npos) << post.parts.back();
}

TEST(GenerateRepair, MentionsThePlatformCannotTakeLoseTheirAt) {
  EXPECT_EQ(generate::adaptMentions("Thanks @alice and @bob.bsky.social!", Platform::Bluesky),
            "Thanks alice and @bob.bsky.social!");
  EXPECT_EQ(generate::adaptMentions("Thanks @alice!", Platform::LinkedIn), "Thanks alice!");
  EXPECT_EQ(generate::adaptMentions("Thanks @alice!", Platform::X), "Thanks @alice!");
  EXPECT_EQ(generate::adaptMentions("Mail a@b.example", Platform::LinkedIn), "Mail a@b.example");
}

TEST(GenerateRepair, TidyWhiteSpace) {
  EXPECT_EQ(generate::tidy("  a  b \t c \n\n\n\n d  \n e "), "a b c\n\nd\ne");
  EXPECT_EQ(generate::tidy("bad \xFF byte"), "bad \xEF\xBF\xBD byte");
}

}  // namespace
}  // namespace warren::test
