// Rate-limit headers as each platform writes them (external-apis.md §10).
#include "Clock.h"
#include "net/RateLimit.h"

#include <gtest/gtest.h>

namespace {

using publish::net::Response;

Response withHeaders(const common::Json& headers) {
  Response r;
  r.status = 429;
  r.headers = headers;
  return r;
}

TEST(RateLimit, MastodonResetIsAnIsoTimeWithMicroseconds) {
  const auto state = publish::net::mastodonRate(
      withHeaders({{"x-ratelimit-limit", "300"},
                   {"x-ratelimit-remaining", "0"},
                   {"x-ratelimit-reset", "2026-08-21T12:05:00.123456Z"}}));
  EXPECT_EQ(state.limit, 300);
  EXPECT_EQ(state.remaining, 0);
  EXPECT_EQ(state.resetMs, publish::parseIsoTime("2026-08-21T12:05:00.123Z"));
  EXPECT_EQ(publish::isoTime(state.resetMs), "2026-08-21T12:05:00.123Z");
}

TEST(RateLimit, BlueskyAndXResetsAreEpochSeconds) {
  const auto bluesky = publish::net::blueskyRate(withHeaders({{"ratelimit-limit", "3000"},
                                                              {"ratelimit-remaining", "12"},
                                                              {"ratelimit-reset", "1787313900"}}));
  EXPECT_EQ(bluesky.remaining, 12);
  EXPECT_EQ(bluesky.resetMs, 1787313900000);
  const auto x = publish::net::xRate(
      withHeaders({{"x-rate-limit-remaining", "0"}, {"x-rate-limit-reset", "1787313960"}}));
  EXPECT_EQ(x.remaining, 0);
  EXPECT_EQ(x.resetMs, 1787313960000);
}

TEST(RateLimit, MissingOrBrokenHeadersAreUnknown) {
  EXPECT_FALSE(publish::net::mastodonRate(withHeaders(common::Json::object())).known());
  const auto broken = publish::net::xRate(withHeaders({{"x-rate-limit-remaining", "soon"}}));
  EXPECT_FALSE(broken.known());
}

TEST(RateLimit, RetryAfterInSecondsOrAsAnHttpDate) {
  EXPECT_EQ(publish::net::retryAfterMs(withHeaders({{"retry-after", "30"}}), 1000), 31000);
  EXPECT_EQ(publish::net::retryAfterMs(
                withHeaders({{"retry-after", "Wed, 21 Oct 2026 07:28:00 GMT"}}), 0),
            publish::parseIsoTime("2026-10-21T07:28:00Z"));
  EXPECT_EQ(publish::net::retryAfterMs(withHeaders(common::Json::object()), 1000), 0);
}

TEST(Clock, IsoTimesRoundTripAndOffsetsApply) {
  EXPECT_EQ(publish::parseIsoTime("1970-01-01T00:00:01Z"), 1000);
  EXPECT_EQ(publish::parseIsoTime("1970-01-01T01:00:00+01:00"), 0);
  EXPECT_EQ(publish::parseIsoTime("yesterday"), -1);
}

}  // namespace
