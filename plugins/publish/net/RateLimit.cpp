#include "net/RateLimit.h"

#include "Clock.h"
#include "job/Failure.h"
#include "store/Rows.h"

#include <cstdlib>
#include <ctime>

namespace publish::net {
namespace {

std::int64_t number(const std::string& text) {
  if (text.empty()) return -1;
  char* end = nullptr;
  const long long value = std::strtoll(text.c_str(), &end, 10);
  return (end != nullptr && *end == '\0' && value >= 0) ? value : -1;
}

RateState epochSeconds(const Response& response, const char* prefix) {
  RateState state;
  const std::string p(prefix);
  state.limit = number(response.header(p + "limit"));
  state.remaining = number(response.header(p + "remaining"));
  const std::int64_t reset = number(response.header(p + "reset"));
  if (reset > 0) state.resetMs = reset * 1000;
  return state;
}

// An IMF-fixdate ("Wed, 21 Oct 2026 07:28:00 GMT"); -1 when it is not one.
std::int64_t httpDate(const std::string& text) {
  std::tm tm{};
  const char* end = strptime(text.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm);
  if (end == nullptr || *end != '\0') return -1;
  return static_cast<std::int64_t>(timegm(&tm)) * 1000;
}

}  // namespace

RateState mastodonRate(const Response& response) {
  RateState state;
  state.limit = number(response.header("x-ratelimit-limit"));
  state.remaining = number(response.header("x-ratelimit-remaining"));
  const std::string reset = response.header("x-ratelimit-reset");
  if (!reset.empty()) {
    const std::int64_t ms = parseIsoTime(reset);
    if (ms > 0) state.resetMs = ms;
  }
  return state;
}

RateState blueskyRate(const Response& response) {
  return epochSeconds(response, "ratelimit-");
}

RateState xRate(const Response& response) {
  return epochSeconds(response, "x-rate-limit-");
}

std::int64_t retryAfterMs(const Response& response, std::int64_t now) {
  const std::string value = response.header("retry-after");
  if (value.empty()) return 0;
  const std::int64_t seconds = number(value);
  if (seconds >= 0) return now + seconds * 1000;
  const std::int64_t date = httpDate(value);
  return date > 0 ? date : 0;
}

void RateLimits::check(const warren::Job* job, const std::string& platform,
                       const std::string& accountId) const {
  const std::int64_t now = nowMs();
  const common::Json rows = db_.rows(
      job,
      "SELECT scope, reset_at, reason FROM platform_rate_limits WHERE (scope = $1 OR scope = $2) "
      "AND reset_at > $3 ORDER BY reset_at DESC",
      common::Json::array({platform, platform + ":" + accountId, now}));
  if (rows.empty()) return;
  const common::Json& row = rows.front();
  const bool whole = store::text(row, "scope") == platform;
  const std::int64_t reset = store::integer(row, "reset_at");
  throw common::job::RetryAt(reset,
                             (whole ? platform : platform + " account " + accountId) +
                                 " is rate limited until " + isoTime(reset) + ": " +
                                 store::text(row, "reason"),
                             whole);
}

void RateLimits::record(const warren::Job* job, const std::string& platform,
                        const std::string& accountId, std::int64_t resetMs,
                        const std::string& reason) const {
  const std::string scope = accountId.empty() ? platform : platform + ":" + accountId;
  db_.execute(job,
              "INSERT INTO platform_rate_limits (scope, reset_at, reason, updated_at) VALUES ($1, "
              "$2, $3, $4) ON CONFLICT (scope) DO UPDATE SET reset_at = excluded.reset_at, reason "
              "= excluded.reason, updated_at = excluded.updated_at",
              common::Json::array({scope, resetMs, reason, nowMs()}));
}

}  // namespace publish::net
