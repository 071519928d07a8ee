// The providers' retry hints, parsed the way their SDKs read them.
#include "ai/Hints.h"

#include <gtest/gtest.h>

namespace warren::ai {
namespace {

using std::chrono::milliseconds;
using namespace std::chrono_literals;

// A fixed "now": 2026-01-01T00:00:00Z.
const SystemClock::time_point kNow = SystemClock::from_time_t(1767225600);

RetryHint hint(int code, const std::string& headers, const std::string& body = "null") {
  return retryHint(code, Json::parse(headers), Json::parse(body), kNow);
}

TEST(RetryHints, RetryAfterMsComesFirst) {
  const RetryHint h = hint(429, R"({"retry-after-ms":"1500","retry-after":"9"})");
  EXPECT_EQ(h.wait, 1500ms);
  EXPECT_FALSE(h.shouldRetry);
}

TEST(RetryHints, RetryAfterInSecondsOrAsAnHttpDate) {
  EXPECT_EQ(hint(429, R"({"retry-after":"2"})").wait, 2000ms);
  EXPECT_EQ(hint(429, R"({"retry-after":"0.5"})").wait, 500ms);
  EXPECT_EQ(hint(503, R"({"retry-after":"Thu, 01 Jan 2026 00:00:30 GMT"})").wait, 30000ms);
  // A date in the past means now.
  EXPECT_EQ(hint(503, R"({"retry-after":"Wed, 31 Dec 2025 23:00:00 GMT"})").wait, 0ms);
  EXPECT_FALSE(hint(429, R"({"retry-after":"soon"})").wait);
}

TEST(RetryHints, GeminiRetryInfoInTheBody) {
  const std::string body = R"({"error":{"code":429,"status":"RESOURCE_EXHAUSTED","details":[
      {"@type":"type.googleapis.com/google.rpc.QuotaFailure","violations":[]},
      {"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"22s"}]}})";
  EXPECT_EQ(hint(429, "{}", body).wait, 22000ms);
  EXPECT_EQ(hint(429, R"({"retry-after":"3"})", body).wait, 3000ms);  // the header wins
}

TEST(RetryHints, ResetHeadersOnlyOnA429WithoutOtherHints) {
  EXPECT_EQ(
      hint(429, R"({"x-ratelimit-reset-requests":"6m0s","x-ratelimit-remaining-requests":"0"})")
          .wait,
      360000ms);
  // A limit with room left is not what this 429 is about.
  EXPECT_FALSE(
      hint(429, R"({"x-ratelimit-reset-requests":"6ms","x-ratelimit-remaining-requests":"9999"})")
          .wait);
  // The exhausted limit's reset, not the other one's.
  EXPECT_EQ(hint(429, R"({"x-ratelimit-reset-requests":"1s","x-ratelimit-remaining-requests":"5",
                         "x-ratelimit-reset-tokens":"20ms","x-ratelimit-remaining-tokens":"0"})")
                .wait,
            20ms);
  EXPECT_EQ(hint(429, R"({"anthropic-ratelimit-tokens-reset":"2026-01-01T00:00:05Z",
                         "anthropic-ratelimit-tokens-remaining":"0"})")
                .wait,
            5000ms);
  EXPECT_FALSE(
      hint(500, R"({"x-ratelimit-reset-requests":"1s","x-ratelimit-remaining-requests":"0"})")
          .wait);
}

TEST(RetryHints, ShouldRetryHeader) {
  EXPECT_EQ(hint(500, R"({"x-should-retry":"false"})").shouldRetry, false);
  EXPECT_EQ(hint(400, R"({"x-should-retry":"true"})").shouldRetry, true);
  EXPECT_FALSE(hint(500, R"({"x-should-retry":"maybe"})").shouldRetry);
}

TEST(Durations, GoAndProtobufSpellings) {
  EXPECT_EQ(parseDuration("22s"), 22000ms);
  EXPECT_EQ(parseDuration("1.5s"), 1500ms);
  EXPECT_EQ(parseDuration("6m0s"), 360000ms);
  EXPECT_EQ(parseDuration("20ms"), 20ms);
  EXPECT_EQ(parseDuration("1h2m3s"), milliseconds(3723000));
  EXPECT_EQ(parseDuration("0.000001s"), 1ms);  // rounded up: never a 0 ms hint for a wait
  for (const char* bad : {"", "s", "5", "5x", "-1s", "1s2"})
    EXPECT_FALSE(parseDuration(bad)) << bad;
}

TEST(Times, Rfc3339) {
  EXPECT_EQ(parseRfc3339("2026-01-01T00:00:05Z"), kNow + 5s);
  EXPECT_EQ(parseRfc3339("2026-01-01T01:00:05+01:00"), kNow + 5s);
  EXPECT_EQ(parseRfc3339("2026-01-01T00:00:05.250Z"), kNow + 5250ms);
  EXPECT_FALSE(parseRfc3339("tomorrow"));
}

}  // namespace
}  // namespace warren::ai
