// Frames as the node and an executor process exchange them: every field type round trips, a
// frame is taken only once whole, and garbage is refused with a reason that says what was wrong.
#include "executor/Protocol.h"

#include <gtest/gtest.h>

#include <cstring>

namespace warren::executor {
namespace {

std::string lengthThenKind(std::uint32_t length, std::uint8_t kind) {
  std::string raw(sizeof length, '\0');
  std::memcpy(raw.data(), &length, sizeof length);
  raw.push_back(static_cast<char>(kind));
  return raw;
}

std::string refusal(std::string buffer) {
  try {
    takeFrame(buffer);
  } catch (const ProtocolError& e) {
    return e.what();
  }
  return "accepted";
}

TEST(Frames, EveryFieldRoundTrips) {
  FrameBuilder builder(Kind::call);
  builder.u8(7).u32(4000000000u).i32(-5).u64(1ull << 60).i64(-(1ll << 40)).f64(0.25);
  builder.bytes(std::string("a\0b", 3)).text(nullptr).text("x").maybe(std::nullopt).maybe("y");
  std::string wire = std::move(builder).finish();
  const auto frame = takeFrame(wire);
  ASSERT_TRUE(frame);
  EXPECT_TRUE(wire.empty());
  EXPECT_EQ(frame->kind, Kind::call);
  FrameReader r = frame->reader();
  EXPECT_EQ(r.u8(), 7);
  EXPECT_EQ(r.u32(), 4000000000u);
  EXPECT_EQ(r.i32(), -5);
  EXPECT_EQ(r.u64(), 1ull << 60);
  EXPECT_EQ(r.i64(), -(1ll << 40));
  EXPECT_EQ(r.f64(), 0.25);
  EXPECT_EQ(r.bytes(), std::string_view("a\0b", 3));
  EXPECT_FALSE(r.maybe());
  EXPECT_EQ(r.maybe(), std::optional<std::string_view>("x"));
  EXPECT_FALSE(r.maybe());
  EXPECT_EQ(r.maybe(), std::optional<std::string_view>("y"));
  EXPECT_NO_THROW(r.end());
}

TEST(Frames, AreTakenOnlyWhenWholeAndOneAtATime) {
  const std::string one = FrameBuilder(Kind::stop).finish();
  FrameBuilder second(Kind::cancel);
  second.u64(3).bytes("timeout");
  const std::string two = std::move(second).finish();
  std::string buffer = one + two.substr(0, two.size() - 1);
  const auto first = takeFrame(buffer);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->kind, Kind::stop);
  EXPECT_EQ(first->payload, "");
  EXPECT_FALSE(takeFrame(buffer)) << "one byte of the second frame is missing";
  buffer += two.back();
  const auto next = takeFrame(buffer);
  ASSERT_TRUE(next);
  FrameReader r = next->reader();
  EXPECT_EQ(r.u64(), 3u);
  EXPECT_EQ(r.bytes(), "timeout");
  EXPECT_TRUE(buffer.empty());
  std::string three = "\x01\x00";
  EXPECT_FALSE(takeFrame(three)) << "not even the length yet";
}

TEST(Frames, GarbageIsRefusedWithItsReason) {
  EXPECT_EQ(refusal(lengthThenKind(0, 1)), "an empty frame");
  EXPECT_EQ(refusal(lengthThenKind(0x7fffffff, 1)),
            "a frame of 2147483647 bytes (the limit is 1073741824)");
  EXPECT_EQ(refusal(lengthThenKind(5, 0)), "a frame of unknown kind 0");
  EXPECT_EQ(refusal(lengthThenKind(5, 200)), "a frame of unknown kind 200");
  EXPECT_EQ(refusal("not a frame at all"), "a frame of unknown kind 97")
      << "'not ' read as a length (544501614) is within the limit, 'a' is no kind";
  EXPECT_EQ(refusal("\xff\xff\xff\x7fnot a frame"),
            "a frame of 2147483647 bytes (the limit is 1073741824)");
}

TEST(Frames, ReadingPastTheEndOrLeavingBytesIsAnError) {
  FrameBuilder builder(Kind::reply);
  builder.u32(1);
  std::string wire = std::move(builder).finish();
  const auto frame = takeFrame(wire);
  FrameReader r = frame->reader();
  EXPECT_EQ(r.u32(), 1u);
  try {
    r.u64();
    FAIL() << "read past the end";
  } catch (const ProtocolError& e) {
    EXPECT_STREQ(e.what(), "a reply frame ends in the middle of a field");
  }
  FrameBuilder longer(Kind::outcome);
  longer.u32(1).u32(2);
  std::string wire2 = std::move(longer).finish();
  const auto frame2 = takeFrame(wire2);
  FrameReader r2 = frame2->reader();
  r2.u32();
  try {
    r2.end();
    FAIL() << "bytes left";
  } catch (const ProtocolError& e) {
    EXPECT_STREQ(e.what(), "an outcome frame has 4 bytes too many");
  }
  FrameBuilder shortString(Kind::job);
  shortString.u32(100);
  std::string wire3 = std::move(shortString).finish();
  const auto frame3 = takeFrame(wire3);
  FrameReader r3 = frame3->reader();
  try {
    r3.bytes();
    FAIL() << "a string longer than its frame";
  } catch (const ProtocolError& e) {
    EXPECT_STREQ(e.what(), "a job frame ends in the middle of a string");
  }
}

}  // namespace
}  // namespace warren::executor
