// The offline model warren-hash-1: near-duplicate posts score high, unrelated ones low, and
// the vectors are deterministic unit vectors.
#include "vector/HashEmbedder.h"

#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

namespace common::vector {
namespace {

double similarity(const HashEmbedder& embedder, const std::string& a, const std::string& b) {
  return cosine(embedder.embed(a), embedder.embed(b));
}

const char* const kLaunch =
    "Our spring collection is here! Lightweight linen shirts, breathable chinos and sandals made "
    "for long city walks. Shop the full range online and in stores from Friday. #SpringStyle "
    "#Linen";

struct Pair {
  const char* what;
  std::string a;
  std::string b;
};

std::vector<Pair> nearDuplicates() {
  return {
      {"sentences reordered", kLaunch,
       "Shop the full range online and in stores from Friday. Lightweight linen shirts, "
       "breathable chinos and sandals made for long city walks. Our spring collection is here! "
       "#SpringStyle #Linen"},
      {"a hashtag changed", kLaunch,
       "Our spring collection is here! Lightweight linen shirts, breathable chinos and sandals "
       "made for long city walks. Shop the full range online and in stores from Friday. "
       "#SpringStyle #NewIn"},
      {"case, punctuation and an emoji", kLaunch,
       "OUR SPRING COLLECTION IS HERE 🌸 lightweight linen shirts, breathable chinos, and sandals "
       "made for long city walks... shop the full range online & in stores from Friday "
       "#springstyle #linen"},
      {"a few words changed", kLaunch,
       "Our new spring collection has arrived! Lightweight linen shirts, breathable chinos and "
       "sandals made for long walks in the city. Shop the whole range online and in stores from "
       "Friday. #SpringStyle #Linen"},
      {"a link added",
       "We are hiring! Join our engineering team in Berlin and help us build tools that millions "
       "of creators use every day. Remote-friendly, four-day weeks in summer.",
       "We're hiring! Join our engineering team in Berlin and help us build the tools that "
       "millions of creators use every day. Remote friendly, four day weeks in summer. "
       "https://example.com/jobs?ref=x"},
  };
}

std::vector<Pair> unrelated() {
  return {
      {"fashion vs hiring", kLaunch,
       "We are hiring! Join our engineering team in Berlin and help us build tools that millions "
       "of creators use every day. Remote-friendly, four-day weeks in summer."},
      {"fashion vs recipe", kLaunch,
       "Tonight's recipe: a one-pot lentil curry with coconut milk, ginger and fresh coriander. "
       "Ready in 30 minutes and even better the next day. Save this for your meal prep!"},
      {"recipe vs event",
       "Tonight's recipe: a one-pot lentil curry with coconut milk, ginger and fresh coriander. "
       "Ready in 30 minutes and even better the next day. Save this for your meal prep!",
       "Join us at the community meetup this Thursday at 7pm: three short talks on open source "
       "security, pizza, and plenty of time to chat. Free entry, register at the link in bio."},
      {"two posts of one brand",
       "Our spring collection is here! Lightweight linen shirts and breathable chinos. Shop now "
       "#SpringStyle",
       "Thank you for 100k followers! To celebrate, we are donating to local shelters all month. "
       "Tell us which one we should support next. #Community"},
  };
}

TEST(HashEmbedder, NearDuplicatesScoreAtLeastPointNine) {
  const HashEmbedder embedder;
  for (const Pair& pair : nearDuplicates()) {
    const double score = similarity(embedder, pair.a, pair.b);
    EXPECT_GE(score, 0.9) << pair.what;
    std::printf("near duplicate, %-32s %.3f\n", pair.what, score);
  }
}

TEST(HashEmbedder, UnrelatedPostsScoreBelowPointThree) {
  const HashEmbedder embedder;
  for (const Pair& pair : unrelated()) {
    const double score = similarity(embedder, pair.a, pair.b);
    EXPECT_LT(score, 0.3) << pair.what;
    std::printf("unrelated, %-32s %.3f\n", pair.what, score);
  }
}

TEST(HashEmbedder, IsDeterministicAndUnitLength) {
  const HashEmbedder embedder(384);
  const Vector a = embedder.embed(kLaunch);
  const Vector b = HashEmbedder(384).embed(kLaunch);
  ASSERT_EQ(a.size(), 384u);
  EXPECT_EQ(a, b);
  EXPECT_NEAR(norm(a), 1.0, 1e-6);
  EXPECT_DOUBLE_EQ(similarity(embedder, kLaunch, kLaunch), 1.0);
}

TEST(HashEmbedder, KnownValuesDoNotDrift) {
  // The model's vectors are stored: a change of the method must come with a new model name.
  const Vector v = HashEmbedder(64).embed("Hello world #launch");
  double checksum = 0;
  for (std::size_t i = 0; i < v.size(); ++i) checksum += v[i] * static_cast<double>(i + 1);
  EXPECT_NEAR(checksum, 43.724681, 1e-5);
}

TEST(HashEmbedder, SymbolsOnlyTextMatchesItselfAndEmptyTextIsRefused) {
  const HashEmbedder embedder;
  EXPECT_DOUBLE_EQ(similarity(embedder, "!!! ???", "!!! ???"), 1.0);
  EXPECT_LT(similarity(embedder, "!!! ???", "... ---"), 0.5);
  try {
    embedder.embed(" \n\t ");
    FAIL() << "expected a refusal";
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "the text is empty");
  }
}

TEST(HashEmbedder, NonLatinScriptsGetFeatures) {
  const HashEmbedder embedder;
  EXPECT_GE(similarity(embedder, "新しい春のコレクションが登場しました。",
                       "春の新しいコレクションが登場しました！"),
            0.8);
  EXPECT_LT(similarity(embedder, "新しい春のコレクションが登場しました。",
                       "今夜のレシピはレンズ豆のカレーです。"),
            0.3);
  EXPECT_GE(similarity(embedder, "Новая весенняя коллекция уже в магазинах",
                       "НОВАЯ ВЕСЕННЯЯ КОЛЛЕКЦИЯ уже в магазинах!"),
            0.95);
}

TEST(HashEmbedder, RefusesDimensionsOutOfRange) {
  try {
    HashEmbedder embedder(8);
    FAIL() << "expected a refusal";
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "offline embeddings take 64 to 4096 dimensions, not 8");
  }
}

}  // namespace
}  // namespace common::vector
