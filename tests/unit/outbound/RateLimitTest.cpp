// Rate limits as config spells them, and the token bucket's pacing on a synthetic clock.
#include "outbound/HttpOptions.h"
#include "outbound/RateLimiter.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

namespace warren::outbound {
namespace {

using namespace std::chrono_literals;
using Clock = TokenBucket::Clock;

std::string refusal(std::string_view text) {
  try {
    parseRateLimit(text);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "accepted";
}

TEST(OutboundParseRateLimit, ReadsRatesPerSecondMinuteAndHour) {
  EXPECT_EQ(parseRateLimit("5/s"), (RateLimit{5, 1}));
  EXPECT_EQ(parseRateLimit("300/min"), (RateLimit{5, 1}));
  EXPECT_EQ(parseRateLimit("7200/hour"), (RateLimit{2, 1}));
  EXPECT_EQ(parseRateLimit(" 0.5/second "), (RateLimit{0.5, 1}));
}

TEST(OutboundParseRateLimit, ReadsAnOptionalBurst) {
  EXPECT_EQ(parseRateLimit("5/s burst 10"), (RateLimit{5, 10}));
  EXPECT_EQ(parseRateLimit("300/min,burst=20"), (RateLimit{5, 20}));
  EXPECT_EQ(parseRateLimit("1/s; burst = 3"), (RateLimit{1, 3}));
}

TEST(OutboundParseRateLimit, RefusesWithTheTextAndTheReason) {
  EXPECT_EQ(refusal("fast"),
            "invalid rate limit 'fast': expected RATE/UNIT like 5/s or 300/min, then optionally "
            "burst N");
  EXPECT_EQ(refusal("5/day"), "invalid rate limit '5/day': unknown unit 'day' (use s, min or h)");
  EXPECT_EQ(refusal("x/s"), "invalid rate limit 'x/s': 'x' is not a number");
  EXPECT_EQ(refusal("0/s"), "invalid rate limit '0/s': the rate must be above 0");
  EXPECT_EQ(refusal("-1/s"), "invalid rate limit '-1/s': the rate must be above 0");
  EXPECT_EQ(refusal("5/s burst 0"),
            "invalid rate limit '5/s burst 0': burst must be a whole number of at least 1");
  EXPECT_EQ(refusal("5/s quick"),
            "invalid rate limit '5/s quick': expected RATE/UNIT like 5/s or 300/min, then "
            "optionally burst N");
}

TEST(OutboundParseRateLimit, DescribesLimitsInPerSecondForm) {
  EXPECT_EQ(describeRateLimit(parseRateLimit("300/min")), "5/s");
  EXPECT_EQ(describeRateLimit(parseRateLimit("1/s burst 4")), "1/s burst 4");
}

TEST(OutboundOptions, ValidateNamesTheOptionOutOfRange) {
  HttpOptions options;
  options.maxAttempts = 0;
  EXPECT_THROW(
      {
        try {
          validate(options);
        } catch (const std::invalid_argument& e) {
          EXPECT_STREQ(e.what(), "maxAttempts must be at least 1");
          throw;
        }
      },
      std::invalid_argument);
  options = {};
  options.rateLimits["api.example"] = RateLimit{0, 1};
  EXPECT_THROW(validate(options), std::invalid_argument);
  EXPECT_NO_THROW(validate(HttpOptions{}));
}

TEST(OutboundTokenBucket, PacesRequestsAfterTheBurst) {
  const auto start = Clock::time_point{} + 1h;
  TokenBucket bucket(RateLimit{5, 2}, start);
  const auto far = start + 1h;
  EXPECT_EQ(bucket.reserve(start, far), start);
  EXPECT_EQ(bucket.reserve(start, far), start);
  // Out of tokens: the next ones are due 200 ms apart, in the order asked.
  EXPECT_EQ(bucket.reserve(start, far), start + 200ms);
  EXPECT_EQ(bucket.reserve(start, far), start + 400ms);
  // Much later the bucket is full again, but never above its burst.
  const auto later = start + 10s;
  EXPECT_EQ(bucket.reserve(later, far), later);
  EXPECT_EQ(bucket.reserve(later, far), later);
  EXPECT_EQ(bucket.reserve(later, far), later + 200ms);
}

TEST(OutboundTokenBucket, RefusesATokenDueAfterTheLatestTimeAndReservesNothing) {
  const auto start = Clock::time_point{} + 1h;
  TokenBucket bucket(RateLimit{1, 1}, start);
  EXPECT_EQ(bucket.reserve(start, start), start);
  EXPECT_EQ(bucket.reserve(start, start + 500ms), std::nullopt);
  // The refusal took nothing: the next token is still due one second after the first.
  EXPECT_EQ(bucket.reserve(start, start + 1h), start + 1s);
}

TEST(OutboundTokenBucket, ReleaseGivesBackAnUnusedToken) {
  const auto start = Clock::time_point{} + 1h;
  TokenBucket bucket(RateLimit{1, 1}, start);
  EXPECT_EQ(bucket.reserve(start, start + 1h), start);
  EXPECT_EQ(bucket.reserve(start, start + 1h), start + 1s);
  bucket.release(start);  // the waiter gave up
  EXPECT_EQ(bucket.reserve(start, start + 1h), start + 1s);
}

TEST(OutboundRateLimiter, LimitsListedHostsAndOthersOnlyWithADefault) {
  RateLimiter perHost({{"API.Example", RateLimit{5, 1}}}, std::nullopt);
  ASSERT_NE(perHost.bucketFor("api.example"), nullptr);
  EXPECT_EQ(perHost.bucketFor("api.example")->limit(), (RateLimit{5, 1}));
  EXPECT_EQ(perHost.bucketFor("api.example"), perHost.bucketFor("api.example"));
  EXPECT_EQ(perHost.bucketFor("other.example"), nullptr);

  RateLimiter withDefault({{"api.example", RateLimit{5, 1}}}, RateLimit{1, 3});
  ASSERT_NE(withDefault.bucketFor("other.example"), nullptr);
  EXPECT_EQ(withDefault.bucketFor("other.example")->limit(), (RateLimit{1, 3}));
  EXPECT_NE(withDefault.bucketFor("other.example"), withDefault.bucketFor("third.example"));
}

}  // namespace
}  // namespace warren::outbound
