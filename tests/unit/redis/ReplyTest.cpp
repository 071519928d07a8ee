#include <gtest/gtest.h>

#include <functional>
#include <stdexcept>
#include <string>

#include "redis/Reply.h"

namespace warren::redis {
namespace {

std::string messageOf(const std::function<void()>& action) {
  try {
    action();
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return "(no exception)";
}

TEST(Reply, DefaultIsNil) {
  EXPECT_TRUE(Reply().isNil());
  EXPECT_EQ(Reply().type(), Reply::Type::Nil);
}

TEST(Reply, CheckedAccessorsReturnValues) {
  EXPECT_EQ(Reply::string("v").asString(), "v");
  EXPECT_EQ(Reply::status("OK").asString(), "OK");
  EXPECT_EQ(Reply::integer(7).asInteger(), 7);
  EXPECT_EQ(Reply::array({Reply::nil()}).asArray().size(), 1u);
}

TEST(Reply, AsStringOnErrorNamesTheError) {
  const auto message = messageOf([] { (void)Reply::error("WRONGTYPE Operation").asString(); });
  EXPECT_EQ(message, "expected a Redis string reply but got error 'WRONGTYPE Operation'");
}

TEST(Reply, WrongTypeMessages) {
  EXPECT_EQ(messageOf([] { (void)Reply::nil().asString(); }),
            "expected a Redis string reply but got nil");
  EXPECT_EQ(messageOf([] { (void)Reply::string("12").asInteger(); }),
            "expected a Redis integer reply but got string '12'");
  EXPECT_EQ(messageOf([] { (void)Reply::integer(3).asArray(); }),
            "expected a Redis array reply but got integer 3");
}

TEST(Reply, UncheckedAccessorsAreEmptyForOtherTypes) {
  EXPECT_EQ(Reply::integer(5).str(), "");
  EXPECT_EQ(Reply::string("x").integer(), 0);
  EXPECT_TRUE(Reply::string("x").elements().empty());
}

TEST(Reply, ErrorCodeMatchesWholeFirstWord) {
  const Reply noscript = Reply::error("NOSCRIPT No matching script. Please use EVAL.");
  EXPECT_TRUE(noscript.isError("NOSCRIPT"));
  EXPECT_FALSE(noscript.isError("NOSCRIPTX"));
  EXPECT_FALSE(noscript.isError("NOSCRIP"));
  EXPECT_TRUE(Reply::error("LOADING").isError("LOADING"));
  EXPECT_FALSE(Reply::string("NOSCRIPT x").isError("NOSCRIPT"));
}

TEST(Reply, DescribeShortensLongValues) {
  const std::string big(1000, 'x');
  const std::string text = Reply::string(big).describe();
  EXPECT_LT(text.size(), 260u);
  EXPECT_NE(text.find("(1000 bytes)"), std::string::npos);
  EXPECT_EQ(Reply::array({Reply::integer(1), Reply::nil()}).describe(), "array [integer 1, nil]");
}

TEST(Reply, EqualityIsDeep) {
  EXPECT_EQ(Reply::array({Reply::string("a")}), Reply::array({Reply::string("a")}));
  EXPECT_NE(Reply::array({Reply::string("a")}), Reply::array({Reply::status("a")}));
  EXPECT_NE(Reply::string("a"), Reply::error("a"));
}

}  // namespace
}  // namespace warren::redis
