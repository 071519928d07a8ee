// Embedding vectors: checks, L2 normalisation and the base64 float32 encoding of docs/ai.md.
#include "ai/Base64.h"
#include "ai/Failure.h"
#include "ai/Vectors.h"

#include <gtest/gtest.h>

#include "JsonEq.h"

#include <cmath>
#include <cstring>

namespace warren::ai {
namespace {

std::string refusal(std::vector<std::vector<float>> v, std::optional<std::uint32_t> dims = {}) {
  try {
    checkAndNormalise(v, dims, "custom", "nomic-embed-text");
  } catch (const Failure& f) {
    EXPECT_EQ(f.fault(), Fault::unusableReply);
    return f.what();
  }
  return "";
}

TEST(Vectors, ScaledToUnitLength) {
  std::vector<std::vector<float>> v = {{3, 4}, {0, -2}};
  checkAndNormalise(v, 2, "openai", "m");
  EXPECT_FLOAT_EQ(v[0][0], 0.6f);
  EXPECT_FLOAT_EQ(v[0][1], 0.8f);
  EXPECT_FLOAT_EQ(v[1][1], -1.0f);
}

TEST(Vectors, UnusableVectorsAreRefusedByInput) {
  EXPECT_EQ(refusal({{1, 2}, {}}),
            "custom (model nomic-embed-text) returned an empty vector (is the server serving an "
            "embedding model?) for texts[1]");
  EXPECT_EQ(
      refusal({{1, 2, 3}}, 2),
      "custom (model nomic-embed-text) returned 3 dimensions, not the 2 asked for for texts[0]");
  EXPECT_EQ(
      refusal({{1, 2}, {1, 2, 3}}),
      "custom (model nomic-embed-text) returned 3 dimensions where texts[0] has 2 for texts[1]");
  EXPECT_EQ(refusal({{0, 0}}),
            "custom (model nomic-embed-text) returned a zero vector for texts[0]");
  EXPECT_EQ(refusal({{NAN, 1}}),
            "custom (model nomic-embed-text) returned a value that is not a finite number for "
            "texts[0]");
}

TEST(Vectors, Base64IsLittleEndianFloat32) {
  EXPECT_EQ(float32Base64({1.0f, 2.0f}), "AACAPwAAAEA=");
  const auto bytes = base64Decode(float32Base64({0.25f, -1.5f, 3.0f}));
  ASSERT_TRUE(bytes);
  ASSERT_EQ(bytes->size(), 12u);
  float back[3];
  std::memcpy(back, bytes->data(), 12);
  EXPECT_EQ(back[1], -1.5f);
  EXPECT_JSON_EQ(floatArray({0.5f, 1.0f}), Json::parse("[0.5,1.0]"));
}

TEST(Base64, RoundTripAndRefusals) {
  for (const std::string& s :
       std::vector<std::string>{"", "a", "ab", "abc", "abcd", std::string("\0\xff\x10", 3)}) {
    EXPECT_EQ(base64Decode(base64Encode(s)), s);
  }
  EXPECT_EQ(base64Encode("hello"), "aGVsbG8=");
  for (const char* bad :
       {"a", "aGVsbG8", "aGV=bG8=", "aGVs bG8=", "aGVsbG8*", "aGVsbG===", "===="}) {
    EXPECT_FALSE(base64Decode(bad)) << bad;
    EXPECT_FALSE(base64DecodedSize(bad)) << bad;
  }
  EXPECT_EQ(base64DecodedSize("aGVsbG8="), 5u);
  EXPECT_EQ(base64DecodedSize("aGVsbA=="), 4u);
  EXPECT_EQ(base64DecodedSize(""), 0u);
}

}  // namespace
}  // namespace warren::ai
