// Every post the generator makes fits its platform by that platform's own rule (the rules
// themselves are tested in plugins/common/platform): the local templates for every platform and
// variant, and over-long drafts a model could write, repaired, for texts with emoji sequences,
// CJK and URLs. Repairs never cut inside a word.
#include "Fixtures.h"

#include "Checks.h"
#include "Compose.h"
#include "Local.h"
#include "Repair.h"

#include "platform/Platform.h"
#include "text/Segments.h"

#include <gtest/gtest.h>

#include <set>

namespace warren::test {
namespace {

using common::Json;
using common::platform::Platform;
using generate::Layout;

const Platform kPlatforms[] = {Platform::X,        Platform::Bluesky, Platform::Mastodon,
                               Platform::LinkedIn, Platform::Threads, Platform::Instagram,
                               Platform::Facebook};

// What the plugin does with a draft offline: compose, check, repair what fails.
generate::Composed settle(const std::string& text, const Layout& layout,
                          const generate::CheckRules& rules) {
  generate::Composed composed = generate::compose(text, layout);
  if (!generate::check(composed, layout, rules).empty()) {
    composed = generate::compose(generate::repair(composed.text, layout, rules).text, layout);
  }
  return composed;
}

void expectFits(const generate::Composed& post, const Layout& layout, const std::string& what) {
  ASSERT_FALSE(post.parts.empty()) << what;
  EXPECT_TRUE(post.splitError.empty()) << what << ": " << post.splitError;
  EXPECT_LE(post.parts.size(), layout.maxParts) << what;
  for (const std::string& part : post.parts) {
    const auto length = common::platform::measure(part, layout.rules);
    EXPECT_TRUE(length.fits()) << what << ": " << length.value << " " << length.rule << " of "
                               << length.limit << ", " << length.bytes << " bytes: " << part;
  }
}

// Every word of `result` (its thread numbers and ellipsis aside) is a whole word of `original`.
void expectWholeWords(const std::string& original, const std::string& result,
                      const std::string& what) {
  std::set<std::string> words;
  for (const auto& w : common::text::words(original)) words.insert(std::string(w.text));
  for (const auto& w : common::text::words(result)) {
    const std::string word(w.text);
    const bool number = word.find_first_not_of("0123456789") == std::string::npos;
    EXPECT_TRUE(number || words.count(word)) << what << ": '" << word << "' was cut\n" << result;
  }
}

class GenerateFit : public ::testing::TestWithParam<Platform> {};

TEST_P(GenerateFit, LocalDraftsOfEveryMaterialFit) {
  const Layout layout = generate::layoutFor(GetParam(), 500, 4, true);
  for (const Json& analysis : {bakeryAnalysis(), emojiAnalysis(), cjkAnalysis()}) {
    const generate::Source source = generate::sourceFromAnalysis(analysis);
    const generate::BrandProfile brand = bakeryBrand();
    const generate::CheckRules rules{brand, source.language};
    const generate::LocalContext context{source, brand, layout, true};
    for (std::size_t index = 0; index < 6; ++index) {
      const std::string what = std::string(common::platform::platformName(GetParam())) + " " +
                               source.language + " #" + std::to_string(index);
      const generate::Composed post = settle(generate::localDraft(context, index), layout, rules);
      expectFits(post, layout, what);
      const auto problems = generate::check(post, layout, rules);
      for (const auto& problem : problems) {
        EXPECT_NE(problem.check, generate::Check::length) << what << ": " << problem.message;
      }
    }
  }
}

TEST_P(GenerateFit, OverLongDraftsAreRepairedToFitWithWholeWords) {
  const Layout layout = generate::layoutFor(GetParam(), 500, 4, true);
  const generate::BrandProfile brand = bakeryBrand();
  for (const Json& analysis : {bakeryAnalysis(), emojiAnalysis(), cjkAnalysis()}) {
    const generate::Source source = generate::sourceFromAnalysis(analysis);
    // A model that wrote far too much: the material again and again, then the hashtags.
    std::string block = source.summary + " ";
    for (const std::string& point : source.keyPoints) block += point + " ";
    const std::size_t budget = layout.rules.limit * (layout.maxParts + 1);
    const std::size_t blocks = budget / common::platform::measure(block, layout.rules).value + 1;
    std::string text;
    for (std::size_t i = 0; i < blocks; ++i) text += block;
    text += "\n\nCome and taste it!\n\n#LyonBakery";
    const generate::CheckRules rules{brand, ""};
    const generate::Composed before = generate::compose(text, layout);
    ASSERT_FALSE(generate::check(before, layout, rules).empty());
    const generate::Repaired repaired = generate::repair(text, layout, rules);
    const generate::Composed post = generate::compose(repaired.text, layout);
    const std::string what =
        std::string(common::platform::platformName(GetParam())) + " " + source.language;
    expectFits(post, layout, what);
    EXPECT_TRUE(generate::check(post, layout, rules).empty())
        << what << ": " << generate::describe(generate::check(post, layout, rules));
    ASSERT_FALSE(repaired.repairs.empty());
    EXPECT_EQ(repaired.repairs.back().rfind("shortened", 0), 0u) << repaired.repairs.back();
    // The call to action and the required hashtag stay at the end.
    const std::string& last = post.parts.back();
    const std::size_t action = last.find("Come and taste it!");
    EXPECT_NE(action, std::string::npos) << what << ": " << last;
    EXPECT_GT(last.find("#LyonBakery"), action) << what << ": " << last;
    expectWholeWords(generate::compose(text, layout).text, repaired.text, what);
  }
}

std::string nameOf(const ::testing::TestParamInfo<Platform>& param) {
  return std::string(common::platform::platformName(param.param));
}

INSTANTIATE_TEST_SUITE_P(EveryPlatform, GenerateFit, ::testing::ValuesIn(kPlatforms), nameOf);

TEST(GenerateLayout, AThreadIsSplitAtSentencesAndNumbered) {
  const Layout layout = generate::layoutFor(Platform::X, 500, 4, true);
  const std::string text =
      "Our bakery opens a second shop in Lyon this spring, right by the river and the old "
      "bridge. Fresh sourdough comes out of the oven every morning at seven, and the first "
      "loaves sell out fast. On Sundays we bake croissants for the whole neighbourhood, with "
      "butter from the farm next door. The new shop has a small terrace facing the river.";
  const generate::Composed post = generate::compose(text, layout);
  ASSERT_EQ(post.parts.size(), 2u);
  EXPECT_EQ(post.parts[0],
            "Our bakery opens a second shop in Lyon this spring, right by the river and the old "
            "bridge. Fresh sourdough comes out of the oven every morning at seven, and the first "
            "loaves sell out fast. 1/2");
  EXPECT_EQ(post.parts[1].substr(post.parts[1].size() - 4), " 2/2");
  expectFits(post, layout, "x thread");
}

TEST(GenerateLayout, PlatformsWithoutThreadsAreNeverSplit) {
  const Layout layout = generate::layoutFor(Platform::LinkedIn, 500, 4, true);
  EXPECT_EQ(layout.maxParts, 1u);
  const generate::Composed post = generate::compose(std::string(3100, 'a') + " b", layout);
  EXPECT_EQ(post.parts.size(), 1u);
  EXPECT_FALSE(post.whole.fits());
}

TEST(GenerateLayout, MastodonUsesTheInstanceLimit) {
  const Layout layout = generate::layoutFor(Platform::Mastodon, 100, 1, true);
  EXPECT_EQ(layout.rules.limit, 100u);
  const std::string url =
      "https://example.com/a/very/long/path/that/counts/as/twenty-three/characters/anyway";
  const std::string text = "Fresh sourdough every morning at " + url + " and more bread.";
  const generate::Composed post = generate::compose(text, layout);
  EXPECT_EQ(post.whole.value, text.size() - url.size() + 23);  // the URL counts 23
  EXPECT_TRUE(post.whole.fits());
}

}  // namespace
}  // namespace warren::test
