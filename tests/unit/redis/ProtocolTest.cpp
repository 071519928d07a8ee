#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "redis/Errors.h"
#include "redis/Protocol.h"

namespace warren::redis {
namespace {

using namespace std::string_literals;

std::vector<Reply> drain(ReplyReader& reader) {
  std::vector<Reply> replies;
  while (auto reply = reader.next()) replies.push_back(std::move(*reply));
  return replies;
}

std::vector<Reply> readAll(const std::string& stream) {
  ReplyReader reader;
  reader.feed(stream);
  return drain(reader);
}

TEST(EncodeCommand, IsRespMultiBulk) {
  EXPECT_EQ(encodeCommand({"SET", "k", "v"}), "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n");
}

TEST(EncodeCommand, IsBinarySafe) {
  const std::string value = "a\0b\r\nc"s;
  EXPECT_EQ(encodeCommand({"SET", "", value}),
            "*3\r\n$3\r\nSET\r\n$0\r\n\r\n$6\r\n"s + value + "\r\n");
}

TEST(EncodeCommand, RejectsEmptyCommand) {
  EXPECT_THROW(encodeCommand({}), std::invalid_argument);
}

TEST(ReplyReader, ScalarTypes) {
  const auto replies = readAll(
      "+OK\r\n-ERR unknown command 'FOO'\r\n:-42\r\n:9223372036854775807\r\n"
      "$5\r\nhello\r\n$0\r\n\r\n$-1\r\n*-1\r\n*0\r\n");
  ASSERT_EQ(replies.size(), 9u);
  EXPECT_EQ(replies[0], Reply::status("OK"));
  EXPECT_TRUE(replies[1].isError());
  EXPECT_EQ(replies[1].str(), "ERR unknown command 'FOO'");
  EXPECT_EQ(replies[2], Reply::integer(-42));
  EXPECT_EQ(replies[3].integer(), 9223372036854775807LL);
  EXPECT_EQ(replies[4], Reply::string("hello"));
  EXPECT_TRUE(replies[5].isString()) << "empty bulk is an empty string, not nil";
  EXPECT_EQ(replies[5].str(), "");
  EXPECT_TRUE(replies[6].isNil()) << "nil bulk";
  EXPECT_TRUE(replies[7].isNil()) << "nil array";
  EXPECT_TRUE(replies[8].isArray());
  EXPECT_TRUE(replies[8].elements().empty());
}

TEST(ReplyReader, NestedArrays) {
  const auto replies = readAll("*3\r\n*2\r\n:1\r\n$1\r\na\r\n*0\r\n*1\r\n*1\r\n$-1\r\n");
  ASSERT_EQ(replies.size(), 1u);
  const Reply expected =
      Reply::array({Reply::array({Reply::integer(1), Reply::string("a")}), Reply::array({}),
                    Reply::array({Reply::array({Reply::nil()})})});
  EXPECT_EQ(replies[0], expected) << replies[0].describe();
}

TEST(ReplyReader, BinaryBulkWithNulAndCrLfInside) {
  const std::string value = "\0\r\n$3\r\n*1\r\n\xff"s;
  const auto replies = readAll("$" + std::to_string(value.size()) + "\r\n" + value + "\r\n");
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_EQ(replies[0].str(), value);
  EXPECT_EQ(replies[0].str().size(), 12u);
}

TEST(ReplyReader, OneMebibyteBulkFedInChunks) {
  std::string value(1 << 20, '\0');
  for (std::size_t i = 0; i < value.size(); ++i) value[i] = static_cast<char>(i * 7 + i / 251);
  const std::string stream = "$" + std::to_string(value.size()) + "\r\n" + value + "\r\n";
  ReplyReader reader;
  std::vector<Reply> replies;
  for (std::size_t at = 0; at < stream.size(); at += 65536) {
    reader.feed(stream.data() + at, std::min<std::size_t>(65536, stream.size() - at));
    for (auto got = drain(reader); !got.empty(); got.clear()) replies.push_back(got[0]);
  }
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_TRUE(replies[0].str() == value);
}

// Every way of cutting the stream in two must give the same replies: the reader may never emit a
// reply early or lose bytes at a boundary.
TEST(ReplyReader, SplitAtEveryByteBoundary) {
  const std::string stream =
      "+OK\r\n*3\r\n$3\r\na\0b\r\n*2\r\n:7\r\n$-1\r\n*-1\r\n-WRONGTYPE x\r\n"s
      "$2\r\n\r\n\r\n:0\r\n$0\r\n\r\n";
  const auto expected = readAll(stream);
  ASSERT_EQ(expected.size(), 6u);
  for (std::size_t cut = 0; cut <= stream.size(); ++cut) {
    ReplyReader reader;
    reader.feed(stream.substr(0, cut));
    auto replies = drain(reader);
    reader.feed(stream.substr(cut));
    for (auto& reply : drain(reader)) replies.push_back(std::move(reply));
    ASSERT_EQ(replies, expected) << "cut at byte " << cut;
  }
}

TEST(ReplyReader, ByteByByte) {
  const std::string stream = "*2\r\n$5\r\nhello\r\n:12345\r\n";
  ReplyReader reader;
  std::vector<Reply> replies;
  for (std::size_t i = 0; i < stream.size(); ++i) {
    reader.feed(&stream[i], 1);
    auto got = drain(reader);
    if (i + 1 < stream.size()) {
      ASSERT_TRUE(got.empty()) << "reply before the last byte, at " << i;
    }
    for (auto& reply : got) replies.push_back(std::move(reply));
  }
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_EQ(replies[0], Reply::array({Reply::string("hello"), Reply::integer(12345)}));
}

TEST(ReplyReader, PartialReplyIsNotReady) {
  ReplyReader reader;
  reader.feed("$10\r\nabc");
  EXPECT_FALSE(reader.next().has_value());
  reader.feed("defghij\r\n");
  auto reply = reader.next();
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(reply->str(), "abcdefghij");
}

TEST(ReplyReader, GarbageIsAProtocolError) {
  ReplyReader reader;
  reader.feed("!oops\r\n");
  EXPECT_THROW(reader.next(), ProtocolError);
}

TEST(ReplyReader, ResetDropsBufferedBytes) {
  ReplyReader reader;
  reader.feed("$5\r\nab");
  reader.reset();
  reader.feed("+PONG\r\n");
  auto reply = reader.next();
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(*reply, Reply::status("PONG"));
}

TEST(ReplyReader, RoundTripsEncodedCommandAsArray) {
  // A request is itself a RESP array of bulk strings: decoding it must give the argv back.
  const std::vector<std::string> argv = {"EVALSHA", "x\0y"s, "1", "key", ""};
  const auto replies = readAll(encodeCommand(argv));
  ASSERT_EQ(replies.size(), 1u);
  ASSERT_EQ(replies[0].elements().size(), argv.size());
  for (std::size_t i = 0; i < argv.size(); ++i) EXPECT_EQ(replies[0].elements()[i].str(), argv[i]);
}

}  // namespace
}  // namespace warren::redis
