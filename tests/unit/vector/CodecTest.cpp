// Wire forms of vectors: base64 little-endian float32 (docs/ai.md), pgvector's text literal
// and binary form, and UTC timestamps.
#include "vector/Codec.h"
#include "vector/Time.h"

#include <gtest/gtest.h>

#include <limits>
#include <stdexcept>
#include <string>

namespace common::vector {
namespace {

template <typename Fn>
std::string refusal(Fn&& fn) {
  try {
    fn();
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "no refusal";
}

TEST(Base64, RoundTripsEveryLength) {
  EXPECT_EQ(base64Encode(""), "");
  EXPECT_EQ(base64Encode("f"), "Zg==");
  EXPECT_EQ(base64Encode("fo"), "Zm8=");
  EXPECT_EQ(base64Encode("foo"), "Zm9v");
  EXPECT_EQ(base64Encode("foobar"), "Zm9vYmFy");
  std::string bytes;
  for (int i = 0; i < 256; ++i) {
    bytes += static_cast<char>(i);
    EXPECT_EQ(base64Decode(base64Encode(bytes)), bytes);
  }
  EXPECT_EQ(base64Decode("Zm8"), "fo");  // padding is optional
}

TEST(Base64, RefusesWhatIsNotBase64) {
  EXPECT_EQ(refusal([] { base64Decode("Zm!v"); }), "base64 text has an invalid character");
  EXPECT_EQ(refusal([] { base64Decode("Zm9vY"); }), "base64 text has an impossible length");
}

TEST(Float32, IsLittleEndianAsTheAiServiceSendsIt) {
  // 1.0f = 0x3F800000 -> bytes 00 00 80 3F; -2.0f = 0xC0000000 -> 00 00 00 C0.
  EXPECT_EQ(encodeFloat32({1.0f, -2.0f}),
            base64Encode(std::string("\x00\x00\x80\x3F\x00\x00\x00\xC0", 8)));
  const Vector v{0.1f, -0.25f, 3.5e-8f, 1e30f};
  EXPECT_EQ(decodeFloat32(encodeFloat32(v)), v);
  EXPECT_TRUE(decodeFloat32("").empty());
}

TEST(Float32, RefusesPartialAndNonFiniteValues) {
  EXPECT_EQ(refusal([] { decodeFloat32(base64Encode("abcde")); }),
            "base64 vector of 5 bytes is not a whole number of float32 values");
  EXPECT_EQ(
      refusal([] { decodeFloat32(encodeFloat32({std::numeric_limits<float>::quiet_NaN()})); }),
      "the vector has a NaN or infinite value");
}

TEST(Pgvector, LiteralsReadBackExactly) {
  EXPECT_EQ(pgvectorLiteral({1.0f, -0.5f, 0.1f}), "[1,-0.5,0.1]");
  const Vector vectors[] = {{1.0f, 2.0f}, {3.0f, 4.0f}};
  EXPECT_EQ(pgvectorArrayLiteral(vectors, 2), R"({"[1,2]","[3,4]"})");
}

TEST(Pgvector, BinaryFormIsDecoded) {
  // dims = 2, unused = 0, then 1.0f and -2.0f big-endian.
  const std::string bytes("\x00\x02\x00\x00\x3F\x80\x00\x00\xC0\x00\x00\x00", 12);
  EXPECT_EQ(decodePgvectorBinary(base64Encode(bytes)), (Vector{1.0f, -2.0f}));
  EXPECT_EQ(refusal([&] { decodePgvectorBinary(base64Encode(bytes.substr(0, 10))); }),
            "pgvector binary value of 10 bytes does not hold 2 values");
}

TEST(Timestamp, ParsesPostgresAndSqliteForms) {
  const std::int64_t expected = 1764378844140123;  // 2025-11-29T01:14:04.140123Z
  EXPECT_EQ(parseTimestamp("2025-11-29T01:14:04.140123Z"), expected);
  EXPECT_EQ(parseTimestamp("2025-11-29 01:14:04.140123+00"), expected);
  EXPECT_EQ(parseTimestamp("2025-11-29T01:14:04.140Z"), expected - 123);
  EXPECT_EQ(parseTimestamp("2025-11-29T01:14:04Z"), expected - 140123);
  EXPECT_EQ(formatTimestamp(expected, 6), "2025-11-29T01:14:04.140123Z");
  EXPECT_EQ(formatTimestamp(expected, 3), "2025-11-29T01:14:04.140Z");
  EXPECT_EQ(formatTimestamp(-1, 6), "1969-12-31T23:59:59.999999Z");
  EXPECT_EQ(refusal([] { parseTimestamp("2025-11-29T01:14:04+02"); }),
            "not a UTC timestamp: '2025-11-29T01:14:04+02'");
}

}  // namespace
}  // namespace common::vector
