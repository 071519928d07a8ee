// The local templates: filled from the analysis, deterministic, varied per index.
#include "Fixtures.h"

#include "Local.h"
#include "Media.h"

#include "job/Failure.h"

#include <gtest/gtest.h>

#include <set>

namespace warren::test {
namespace {

using common::Json;
using common::platform::Platform;

std::string draft(Platform platform, std::size_t index, const Json& analysis = bakeryAnalysis(),
                  const generate::BrandProfile& brand = bakeryBrand()) {
  const generate::Source source = generate::sourceFromAnalysis(analysis);
  const generate::Layout layout = generate::layoutFor(platform, 500, 4, true);
  return generate::localDraft({source, brand, layout, true}, index);
}

TEST(GenerateLocal, ASummarySentenceTheCallToActionTheLinkAndHashtags) {
  EXPECT_EQ(draft(Platform::X, 0),
            "Our bakery opens a second shop in Lyon this spring.\n\nCome and taste it! "
            "https://example.com/blog/lyon-shop\n\n#LyonBakery #SecondShop");
}

TEST(GenerateLocal, LongFormPlatformsListTwoMorePoints) {
  EXPECT_EQ(draft(Platform::LinkedIn, 0),
            "Our bakery opens a second shop in Lyon this spring.\n\n"
            "\xE2\x80\xA2 Fresh sourdough comes out of the oven every morning at seven.\n"
            "\xE2\x80\xA2 On Sundays we bake croissants for the whole neighbourhood.\n\n"
            "Come and taste it! https://example.com/blog/lyon-shop\n\n"
            "#LyonBakery #SecondShop #Bakery #Sourdough #Shop");
}

TEST(GenerateLocal, InstagramGetsNoLink) {
  EXPECT_EQ(draft(Platform::Instagram, 0).find("https://"), std::string::npos);
}

TEST(GenerateLocal, TheSameIndexGivesTheSameDraftAndEachIndexAnother) {
  std::set<std::string> seen;
  for (std::size_t index = 0; index < 8; ++index) {
    EXPECT_EQ(draft(Platform::Bluesky, index), draft(Platform::Bluesky, index));
    seen.insert(draft(Platform::Bluesky, index));
  }
  EXPECT_EQ(seen.size(), 8u);
  // The leads go round the material's sentences, then each gets a second sentence.
  EXPECT_EQ(draft(Platform::X, 1).rfind("Fresh sourdough comes out", 0), 0u);
  EXPECT_EQ(draft(Platform::X, 4)
                .rfind("Our bakery opens a second shop in Lyon this spring. "
                       "Fresh sourdough",
                       0),
            0u)
      << draft(Platform::X, 4);
}

TEST(GenerateLocal, HashtagsRequiredFirstBannedNeverAndRotated) {
  generate::BrandProfile brand = bakeryBrand();
  brand.bannedHashtags = {"#SecondShop"};
  const generate::Source source = generate::sourceFromAnalysis(bakeryAnalysis());
  const generate::Layout layout = generate::layoutFor(Platform::Mastodon, 500, 4, true);
  const generate::LocalContext context{source, brand, layout, true};
  EXPECT_EQ(generate::localHashtags(context, 0),
            (std::vector<std::string>{"#LyonBakery", "#Bakery", "#Sourdough", "#Shop", "#Lyon"}));
  EXPECT_EQ(generate::localHashtags(context, 1),
            (std::vector<std::string>{"#LyonBakery", "#Sourdough", "#Shop", "#Lyon", "#Bakery"}));
}

TEST(GenerateLocal, AnAnalysisWithNothingToSay) {
  try {
    draft(Platform::X, 0, Json{{"topics", {"bread"}}});
    FAIL() << "no refusal";
  } catch (const common::job::Unrecoverable& e) {
    EXPECT_STREQ(e.what(), "the analysis has no summary or key points to write a post from");
  }
}

TEST(GenerateMedia, TheAnalysedImageWithItsDescriptionOrSummary) {
  Json analysis = bakeryAnalysis();
  analysis["source"] = {{"kind", "image"}, {"key", "uploads/shop.jpg"}};
  analysis["media"] = {{"type", "image"}, {"description", "A shop front with a striped awning."}};
  generate::Media media = generate::mediaFor(generate::sourceFromAnalysis(analysis), std::nullopt);
  EXPECT_EQ(media.keys, std::vector<std::string>{"uploads/shop.jpg"});
  EXPECT_EQ(media.altTexts, std::vector<std::string>{"A shop front with a striped awning."});
  analysis["media"].erase("description");
  media = generate::mediaFor(generate::sourceFromAnalysis(analysis), std::nullopt);
  EXPECT_EQ(media.altTexts,
            std::vector<std::string>{"Our bakery opens a second shop in Lyon this spring."});
}

TEST(GenerateMedia, OtherKeysGetADefaultNamingTheContent) {
  const generate::Media media = generate::mediaFor(generate::sourceFromAnalysis(bakeryAnalysis()),
                                                   std::vector<std::string>{"a/b.jpg", "c.mp4"});
  EXPECT_EQ(media.altTexts,
            (std::vector<std::string>{"Image about second shop", "Video about second shop"}));
  EXPECT_TRUE(generate::mediaFor(generate::sourceFromAnalysis(bakeryAnalysis()), std::nullopt)
                  .keys.empty());
  EXPECT_EQ(generate::maxMedia(Platform::X), 4u);
}

TEST(GenerateMedia, ALongDescriptionIsCutBetweenWords) {
  Json analysis = bakeryAnalysis();
  analysis["source"] = {{"kind", "image"}, {"key", "k.png"}};
  std::string description;
  for (int i = 0; i < 200; ++i) description += "striped ";
  analysis["media"] = {{"type", "image"}, {"description", description}};
  const auto alt =
      generate::mediaFor(generate::sourceFromAnalysis(analysis), std::nullopt).altTexts.front();
  EXPECT_LE(alt.size(), generate::kMaxAltText + 3);
  EXPECT_EQ(alt.substr(alt.size() - 10), "striped\xE2\x80\xA6");
}

}  // namespace
}  // namespace warren::test
