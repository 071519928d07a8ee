// The socket-free HTTP rules: methods, request headers, response headers as JSON, Retry-After
// and the retry backoff.
#include "outbound/Protocol.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

namespace warren::outbound {
namespace {

using namespace std::chrono_literals;

std::string headerRefusal(std::string_view name, std::string_view value) {
  try {
    checkRequestHeader(name, value);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "accepted";
}

TEST(OutboundMethods, AreTokensAndOnlyTheSafeOnesAreIdempotent) {
  EXPECT_TRUE(validMethod("GET"));
  EXPECT_TRUE(validMethod("PROPFIND"));
  EXPECT_FALSE(validMethod(""));
  EXPECT_FALSE(validMethod("GET /x"));
  EXPECT_FALSE(validMethod("GET\r\n"));
  for (const char* method : {"GET", "HEAD", "PUT", "DELETE", "OPTIONS", "TRACE"})
    EXPECT_TRUE(idempotentMethod(method)) << method;
  for (const char* method : {"POST", "PATCH", "get"})
    EXPECT_FALSE(idempotentMethod(method)) << method;
}

TEST(OutboundRequestHeaders, RefuseInjectionAndWhatTheHostSets) {
  EXPECT_EQ(headerRefusal("Authorization", "Bearer abc"), "accepted");
  EXPECT_EQ(headerRefusal("Host", "virtual.example"), "accepted");
  EXPECT_EQ(headerRefusal("X-Evil", "a\r\nX-Injected: 1"),
            "header 'X-Evil': the value contains CR, LF or NUL");
  EXPECT_EQ(headerRefusal("Bad Name", "x"),
            "header 'Bad Name': the name is not a valid HTTP token");
  EXPECT_EQ(headerRefusal("", "x"), "header '': the name is not a valid HTTP token");
  EXPECT_EQ(headerRefusal("content-length", "5"),
            "header 'content-length': the host sets it (from the body and its pooling)");
  EXPECT_EQ(headerRefusal("Transfer-Encoding", "chunked"),
            "header 'Transfer-Encoding': the host sets it (from the body and its pooling)");
  EXPECT_EQ(headerRefusal("Connection", "close"),
            "header 'Connection': the host sets it (from the body and its pooling)");
}

TEST(OutboundResponseHeaders, BecomeAJsonObjectWithLowerCaseNamesAndJoinedRepeats) {
  const HeaderList headers = {{"Content-Type", "text/plain"},
                              {"Set-Cookie", "a=1"},
                              {"X-Quote", "say \"hi\"\\"},
                              {"set-cookie", "b=2"}};
  EXPECT_EQ(headersJson(headers),
            R"({"content-type":"text/plain","set-cookie":"a=1, b=2","x-quote":"say \"hi\"\\"})");
  EXPECT_EQ(headersJson({}), "{}");
}

TEST(OutboundResponseHeaders, KeepUtf8AndReplaceInvalidBytes) {
  std::string out;
  appendJsonString(out, "caf\xc3\xa9 \xff \xe2\x82 \x01");
  EXPECT_EQ(out, "\"caf\xc3\xa9 \\ufffd \\ufffd\\ufffd \\u0001\"");
  out.clear();
  appendJsonString(out, "\xed\xa0\x80");  // a UTF-16 surrogate encoded in UTF-8 is not UTF-8
  EXPECT_EQ(out, "\"\\ufffd\\ufffd\\ufffd\"");
}

TEST(OutboundRetryAfter, ReadsSecondsAndHttpDates) {
  const auto now = std::chrono::system_clock::from_time_t(1445412480);  // 2015-10-21 07:28:00 GMT
  EXPECT_EQ(parseRetryAfter("3", now), 3000ms);
  EXPECT_EQ(parseRetryAfter(" 0 ", now), 0ms);
  EXPECT_EQ(parseRetryAfter("Wed, 21 Oct 2015 07:28:30 GMT", now), 30000ms);
  EXPECT_EQ(parseRetryAfter("Wed, 21 Oct 2015 07:00:00 GMT", now), 0ms);  // in the past
  EXPECT_EQ(parseRetryAfter("soon", now), std::nullopt);
  EXPECT_EQ(parseRetryAfter("-5", now), std::nullopt);
  EXPECT_EQ(parseRetryAfter("", now), std::nullopt);
}

TEST(OutboundBackoff, DoublesUpToTheCapWithHalfToFullJitter) {
  EXPECT_EQ(backoffDelay(1, 200ms, 5s, 0.0), 100ms);
  EXPECT_EQ(backoffDelay(1, 200ms, 5s, 1.0), 200ms);
  EXPECT_EQ(backoffDelay(2, 200ms, 5s, 1.0), 400ms);
  EXPECT_EQ(backoffDelay(3, 200ms, 5s, 0.5), 600ms);
  EXPECT_EQ(backoffDelay(10, 200ms, 5s, 1.0), 5000ms);
  EXPECT_EQ(backoffDelay(10, 200ms, 5s, 0.0), 2500ms);
  EXPECT_EQ(backoffDelay(1000, 200ms, 5s, 1.0), 5000ms);  // no overflow
}

TEST(OutboundBackoff, RetriesOnlyRateLimitsAndServerErrors) {
  for (const int code : {429, 500, 502, 503, 504}) EXPECT_TRUE(retryableStatus(code)) << code;
  for (const int code : {200, 301, 400, 401, 404, 409}) EXPECT_FALSE(retryableStatus(code)) << code;
}

}  // namespace
}  // namespace warren::outbound
