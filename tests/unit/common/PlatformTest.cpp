#include "platform/Counting.h"
#include "platform/Detect.h"
#include "platform/Hashtags.h"
#include "platform/LittleText.h"
#include "platform/Platform.h"

#include <gtest/gtest.h>

namespace common::platform {
namespace {

const std::string kFamily =  // 👩‍👩‍👧‍👦: 7 code points, 25 bytes, one grapheme
    "\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x91\xA7\xE2\x80\x8D\xF0\x9F"
    "\x91\xA6";
const std::string kThumbTone = "\xF0\x9F\x91\x8D\xF0\x9F\x8F\xBD";  // 👍🏽
const std::string kFlag = "\xF0\x9F\x87\xAB\xF0\x9F\x87\xB7";       // 🇫🇷
const std::string kKeycap = "1\xEF\xB8\x8F\xE2\x83\xA3";            // 1️⃣
const std::string kSmile = "\xF0\x9F\x98\x80";                      // 😀
const std::string kNiHao = "\xE4\xBD\xA0\xE5\xA5\xBD";              // 你好

std::string repeat(const std::string& s, std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out += s;
  return out;
}

TEST(Platform, NamesAndRules) {
  EXPECT_EQ(parsePlatform("X"), Platform::X);
  EXPECT_EQ(parsePlatform("twitter"), Platform::X);
  EXPECT_EQ(parsePlatform("Bluesky"), Platform::Bluesky);
  EXPECT_EQ(parsePlatform("myspace"), std::nullopt);
  EXPECT_EQ(platformName(Platform::LinkedIn), "linkedin");
  EXPECT_EQ(rulesFor(Platform::X).limit, 280u);
  EXPECT_EQ(rulesFor(Platform::Bluesky).byteLimit, 3000u);
  EXPECT_EQ(rulesFor(Platform::Mastodon).limit, 500u);
  EXPECT_EQ(rulesFor(Platform::Mastodon, {1000}).limit, 1000u);
  EXPECT_EQ(rulesFor(Platform::LinkedIn).limit, 3000u);
  EXPECT_EQ(rulesFor(Platform::Threads).limit, 500u);
  EXPECT_EQ(rulesFor(Platform::Instagram).limit, 2200u);
  EXPECT_EQ(rulesFor(Platform::Instagram).maxHashtags, 30u);
  EXPECT_EQ(rulesFor(Platform::Facebook).limit, 63206u);
}

TEST(Counting, XWeightsCodePointsEmojiAndUrls) {
  EXPECT_EQ(xWeightedLength("hello"), 5u);
  EXPECT_EQ(xWeightedLength(kNiHao), 4u);
  EXPECT_EQ(xWeightedLength(kSmile), 2u);
  EXPECT_EQ(xWeightedLength(kFamily), 2u);
  EXPECT_EQ(xWeightedLength(kThumbTone), 2u);
  EXPECT_EQ(xWeightedLength(kFlag), 2u);
  EXPECT_EQ(xWeightedLength(kKeycap), 2u);
  EXPECT_EQ(xWeightedLength("\xC2\xA9"), 1u);      // © without U+FE0F is text, weight 1
  EXPECT_EQ(xWeightedLength("e\xCC\x81"), 1u);     // NFC: é
  EXPECT_EQ(xWeightedLength("\xE2\x80\x99"), 1u);  // ’ U+2019 is in a weight-1 range
  EXPECT_EQ(xWeightedLength("\xE2\x80\xA6"), 2u);  // … U+2026 is not
  EXPECT_EQ(xWeightedLength("https://example.com/path/to/a/page?x=1&y=two#top"), 23u);
  EXPECT_EQ(xWeightedLength("Read https://example.com/a?b=c now"), 5u + 23u + 4u);
  EXPECT_EQ(xWeightedLength("see example.com"), 4u + 23u);
  EXPECT_EQ(xWeightedLength("a.b"), 3u);
}

TEST(Counting, XBoundaryAt280) {
  const Rules x = rulesFor(Platform::X);
  EXPECT_TRUE(measure(std::string(280, 'a'), x).fits());
  EXPECT_FALSE(measure(std::string(281, 'a'), x).fits());
  EXPECT_TRUE(measure(repeat(kNiHao, 70), x).fits());  // 140 CJK = 280
  EXPECT_FALSE(measure(repeat(kNiHao, 70) + "a", x).fits());
  EXPECT_TRUE(measure(repeat(kFamily, 140), x).fits());
  EXPECT_FALSE(measure(repeat(kFamily, 141), x).fits());
  const Length l =
      measure(std::string(256, 'a') + " https://example.com/" + std::string(100, 'p'), x);
  EXPECT_EQ(l.value, 280u);
  EXPECT_EQ(l.rule, "x-weighted");
  EXPECT_TRUE(l.fits());
}

TEST(Counting, BlueskyGraphemesAndBytes) {
  const Rules bsky = rulesFor(Platform::Bluesky);
  EXPECT_EQ(blueskyGraphemes(kFamily + "e\xCC\x81" + kFlag), 3u);
  EXPECT_TRUE(measure(std::string(300, 'a'), bsky).fits());
  EXPECT_FALSE(measure(std::string(301, 'a'), bsky).fits());
  const Length emoji = measure(repeat(kFamily, 120), bsky);  // 120 graphemes, 3000 bytes
  EXPECT_EQ(emoji.value, 120u);
  EXPECT_EQ(emoji.bytes, 3000u);
  EXPECT_TRUE(emoji.fits());
  const Length over = measure(repeat(kFamily, 121), bsky);  // 121 graphemes but 3025 bytes
  EXPECT_FALSE(over.fits());
  // Links count in full on Bluesky.
  EXPECT_EQ(measure("https://example.com/" + std::string(100, 'p'), bsky).value, 120u);
}

TEST(Counting, MastodonUrlsAndMentions) {
  EXPECT_EQ(mastodonLength("@alice@example.social hi"), 6u + 3u);
  EXPECT_EQ(mastodonLength("@bob hi"), 7u);
  EXPECT_EQ(mastodonLength("see https://example.com/" + std::string(100, 'p') + " ok"),
            4u + 23u + 3u);
  EXPECT_EQ(mastodonLength("see example.com"), 15u);  // no scheme: plain text on Mastodon
  EXPECT_EQ(mastodonLength(kFamily), 7u);             // code points
  const Rules m = rulesFor(Platform::Mastodon);
  EXPECT_TRUE(measure(std::string(500, 'a'), m).fits());
  EXPECT_FALSE(measure(std::string(501, 'a'), m).fits());
  EXPECT_TRUE(measure(std::string(501, 'a'), rulesFor(Platform::Mastodon, {1000})).fits());
}

TEST(Counting, LinkedInCountsAfterEscaping) {
  EXPECT_EQ(escapeLittleText("a (b) [c] {d} <e> *f* ~g~ h|i \\ @j #tag k_l"),
            "a \\(b\\) \\[c\\] \\{d\\} \\<e\\> \\*f\\* \\~g\\~ h\\|i \\\\ \\@j #tag k\\_l");
  EXPECT_EQ(escapeLittleText("#my_tag", true), "#my_tag");
  EXPECT_EQ(escapeLittleText("#tag", false), "\\#tag");
  EXPECT_EQ(linkedinLength("(x)"), 5u);
  const Rules li = rulesFor(Platform::LinkedIn);
  EXPECT_TRUE(measure(std::string(3000, 'a'), li).fits());
  EXPECT_FALSE(measure(std::string(2999, 'a') + "(", li).fits());
}

TEST(Counting, ThreadsCountsEmojiBytes) {
  EXPECT_EQ(threadsLength("hi " + kSmile), 3u + 4u);
  EXPECT_EQ(threadsLength(kFamily), 25u);
  EXPECT_EQ(threadsLength(kNiHao), 2u);
  const Rules t = rulesFor(Platform::Threads);
  EXPECT_TRUE(measure(std::string(496, 'a') + kSmile, t).fits());
  EXPECT_FALSE(measure(std::string(497, 'a') + kSmile, t).fits());
}

TEST(Counting, InstagramAndFacebookCountCodePoints) {
  EXPECT_EQ(measure(kFamily, rulesFor(Platform::Instagram)).value, 7u);
  EXPECT_TRUE(measure(std::string(63206, 'a'), rulesFor(Platform::Facebook)).fits());
  EXPECT_FALSE(measure(std::string(63207, 'a'), rulesFor(Platform::Facebook)).fits());
}

TEST(Detect, MentionsByPlatformHabit) {
  const std::string text =
      "hi @alice.bsky.social @bob@mastodon.social @carol_1234567890123 @dave.dev";
  const auto names = [&](Platform p) {
    std::vector<std::string> out;
    for (const auto& m : findMentions(text, p)) out.push_back(m.text);
    return out;
  };
  using List = std::vector<std::string>;
  EXPECT_EQ(names(Platform::Bluesky), (List{"@alice.bsky.social", "@dave.dev"}));
  EXPECT_EQ(names(Platform::Mastodon),
            (List{"@alice", "@bob@mastodon.social", "@carol_1234567890123", "@dave"}));
  EXPECT_EQ(names(Platform::X), (List{"@alice", "@bob", "@dave"}));  // 15 characters at most
  EXPECT_EQ(names(Platform::Instagram),
            (List{"@alice.bsky.social", "@bob", "@carol_1234567890123", "@dave.dev"}));
  EXPECT_TRUE(names(Platform::LinkedIn).empty());
}

TEST(Detect, LinksByPlatform) {
  const std::string text = "a https://ex.com/p?q=1 b example.org c";
  EXPECT_EQ(findLinks(text, Platform::X).size(), 2u);
  EXPECT_EQ(findLinks(text, Platform::Mastodon).size(), 1u);
  EXPECT_EQ(findLinks(text, Platform::Mastodon)[0].text, "https://ex.com/p?q=1");
  EXPECT_EQ(findLinks(text, Platform::Mastodon)[0].byteStart, 2u);
  EXPECT_EQ(findLinks(text, Platform::Mastodon)[0].byteEnd, 22u);
}

TEST(Detect, BlueskyFacetsUseUtf8ByteOffsets) {
  // The fact sheet's example: mention 3-21, link 22-36, tag 37-41.
  const auto facets = blueskyFacets("Hi @alice.bsky.social https://ex.com #tag");
  ASSERT_EQ(facets.size(), 3u);
  EXPECT_EQ(facets[0].type, "app.bsky.richtext.facet#mention");
  EXPECT_EQ(facets[0].value, "alice.bsky.social");
  EXPECT_EQ(facets[0].byteStart, 3u);
  EXPECT_EQ(facets[0].byteEnd, 21u);
  EXPECT_EQ(facets[1].type, "app.bsky.richtext.facet#link");
  EXPECT_EQ(facets[1].value, "https://ex.com");
  EXPECT_EQ(facets[1].byteStart, 22u);
  EXPECT_EQ(facets[1].byteEnd, 36u);
  EXPECT_EQ(facets[2].type, "app.bsky.richtext.facet#tag");
  EXPECT_EQ(facets[2].value, "tag");
  EXPECT_EQ(facets[2].byteStart, 37u);
  EXPECT_EQ(facets[2].byteEnd, 41u);
}

TEST(Detect, BlueskyFacetsAfterMultibyteCharacters) {
  // "café " is 6 bytes, the family emoji 25, then a space: "#caf\u00e9" starts at byte 32.
  const std::string text = "caf\xC3\xA9 " + kFamily + " #caf\xC3\xA9 example.com/x";
  const auto facets = blueskyFacets(text);
  ASSERT_EQ(facets.size(), 2u);
  EXPECT_EQ(facets[0].value, "caf\xC3\xA9");
  EXPECT_EQ(facets[0].byteStart, 32u);
  EXPECT_EQ(facets[0].byteEnd, 38u);
  EXPECT_EQ(facets[1].value, "https://example.com/x");  // a bare domain gets its scheme
  EXPECT_EQ(facets[1].byteStart, 39u);
  EXPECT_EQ(facets[1].byteEnd, 52u);
  EXPECT_EQ(text.substr(facets[1].byteStart, facets[1].byteEnd - facets[1].byteStart),
            "example.com/x");
}

TEST(Hashtags, FormattedPerPlatformCaps) {
  const std::vector<std::string> phrases = {"machine learning",
                                            "\xC3\xA9"
                                            "conomie verte",
                                            "rock'n'roll!",
                                            "2024",
                                            "machine learning",
                                            "open source"};
  EXPECT_EQ(formatHashtags(phrases, rulesFor(Platform::Instagram)),
            (std::vector<std::string>{"#MachineLearning",
                                      "#\xC3\x89"
                                      "conomieVerte",
                                      "#Rocknroll", "#OpenSource"}));
  EXPECT_EQ(formatHashtags(phrases, rulesFor(Platform::X)).size(), 2u);
  EXPECT_EQ(formatHashtags(phrases, rulesFor(Platform::Threads)),
            (std::vector<std::string>{"#MachineLearning"}));
}

}  // namespace
}  // namespace common::platform
