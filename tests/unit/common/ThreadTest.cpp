#include "platform/Counting.h"
#include "platform/Repair.h"
#include "platform/Thread.h"
#include "text/Unicode.h"

#include <gtest/gtest.h>

#include <sstream>

namespace common::platform {
namespace {

const char* kLong =
    "Warren runs BullMQ jobs in C++ plugins. It takes jobs off the same queues as a Node worker "
    "and writes results back exactly as BullMQ would. Plugins are shared libraries loaded at run "
    "time, and each one declares its job types with JSON Schemas. The content plugins analyse "
    "material, write posts that fit each platform, embed them to avoid duplicates and publish "
    "them. Every step has an offline method, so the whole pipeline runs without a network. "
    "Read more at https://example.com/docs/warren?section=plugins#content today.";

std::vector<std::string> wordsOf(const std::string& text) {
  std::istringstream in(text);
  std::vector<std::string> out;
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

TEST(Thread, FittingTextIsOnePartWithoutNumber) {
  EXPECT_EQ(splitThread("Short post.", rulesFor(Platform::X)),
            (std::vector<std::string>{"Short post."}));
}

TEST(Thread, SplitsAtSentencesAndNumbersParts) {
  const Rules x = rulesFor(Platform::X);
  const auto parts = splitThread(kLong, x);
  ASSERT_GE(parts.size(), 2u);
  std::vector<std::string> rejoined;
  for (std::size_t k = 0; k < parts.size(); ++k) {
    EXPECT_TRUE(measure(parts[k], x).fits()) << parts[k];
    const std::string suffix = " " + std::to_string(k + 1) + "/" + std::to_string(parts.size());
    ASSERT_EQ(parts[k].substr(parts[k].size() - suffix.size()), suffix);
    const std::string body = parts[k].substr(0, parts[k].size() - suffix.size());
    EXPECT_EQ(body.back(), '.') << "part " << k << " ends mid-sentence: " << body;
    for (const auto& w : wordsOf(body)) rejoined.push_back(w);
  }
  EXPECT_EQ(rejoined, wordsOf(kLong));  // nothing lost, nothing cut inside a word
}

TEST(Thread, LongSentencesAreCutBetweenWordsAndKeepLinksWhole) {
  const Rules bsky = rulesFor(Platform::Bluesky);
  std::string sentence;
  for (int i = 0; i < 80; ++i) sentence += "word" + std::to_string(i) + " ";
  sentence += "https://example.com/" + std::string(60, 'p') + " #LastTag end.";
  const auto parts = splitThread(sentence, bsky, {false});
  ASSERT_GE(parts.size(), 2u);
  std::vector<std::string> rejoined;
  for (const auto& p : parts) {
    EXPECT_TRUE(measure(p, bsky).fits());
    for (const auto& w : wordsOf(p)) rejoined.push_back(w);
  }
  EXPECT_EQ(rejoined, wordsOf(sentence));
}

TEST(Thread, TextWithoutSpacesIsCutAtWordBoundaries) {
  std::string japanese;
  for (int i = 0; i < 40; ++i) {
    japanese +=
        "\xE4\xBB\x8A\xE6\x97\xA5\xE3\x81\xAF\xE8\x89\xAF\xE3\x81\x84\xE5\xA4\xA9\xE6\xB0"
        "\x97";  // 今日は良い天気 (no sentence end)
  }
  const Rules x = rulesFor(Platform::X);
  const auto parts = splitThread(japanese, x, {false});
  ASSERT_GE(parts.size(), 2u);
  std::string joined;
  for (const auto& p : parts) {
    EXPECT_TRUE(measure(p, x).fits());
    joined += p;
  }
  EXPECT_EQ(joined, japanese);
}

TEST(Thread, AWordLongerThanTheLimitIsRefused) {
  const std::string url = "https://example.com/" + std::string(400, 'a');
  EXPECT_THROW(splitThread(url + " tail", rulesFor(Platform::Bluesky)), PlatformError);
}

TEST(Repair, DropsTrailingSentencesFirst) {
  const Rules x = rulesFor(Platform::X);
  const std::string shortened = shortenToFit(kLong, x);
  EXPECT_TRUE(measure(shortened, x).fits());
  EXPECT_EQ(std::string(kLong).rfind(shortened, 0), 0u);  // a prefix of whole sentences
  EXPECT_EQ(shortened.back(), '.');
}

TEST(Repair, CutsWordsWithAnEllipsisCountedByTheRule) {
  const Rules x = rulesFor(Platform::X);
  std::string sentence;
  for (int i = 0; i < 100; ++i) sentence += "word ";
  sentence += "end.";
  const std::string shortened = shortenToFit(sentence, x);
  EXPECT_EQ(xWeightedLength(shortened), 276u);  // 55 words and 54 spaces: 274; "…" weighs 2
  EXPECT_EQ(shortened.substr(shortened.size() - 3), "\xE2\x80\xA6");
  EXPECT_EQ(shortened.substr(shortened.size() - 7, 4), "word");
}

TEST(Repair, KeepsTheSuffixAndNeverCutsGraphemesOrLinks) {
  const Rules bsky = rulesFor(Platform::Bluesky);
  std::string body;
  for (int i = 0; i < 60; ++i) body += "caf\xC3\xA9 \xF0\x9F\x91\x8D\xF0\x9F\x8F\xBD ";
  ShortenOptions options;
  options.keep = " #Coffee https://example.com/menu";
  const std::string shortened = shortenToFit(body, bsky, options);
  EXPECT_TRUE(measure(shortened, bsky).fits());
  EXPECT_EQ(shortened.substr(shortened.size() - options.keep.size()), options.keep);
  const std::string cut = shortened.substr(0, shortened.size() - options.keep.size() - 3);
  EXPECT_EQ(body.rfind(cut, 0), 0u);
  EXPECT_EQ(text::graphemeCount(cut + "x"), text::graphemeCount(cut) + 1);  // no broken cluster
  ASSERT_LT(cut.size(), body.size());
  EXPECT_EQ(body[cut.size()], ' ');  // the cut is at a word's end
}

TEST(Repair, RefusesWhenNothingFits) {
  ShortenOptions options;
  options.keep = " " + std::string(300, 'k');
  EXPECT_THROW(shortenToFit("Some words here.", rulesFor(Platform::X), options), PlatformError);
}

}  // namespace
}  // namespace common::platform
