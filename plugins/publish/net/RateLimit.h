// Rate limits: what the platforms' headers say (docs: external-apis.md §10), and the limits
// learnt so far, kept in platform_rate_limits so every worker of the deployment honours them.
#pragma once

#include "db/Db.h"
#include "net/Http.h"

#include <warren/plugin.hpp>

#include <cstdint>
#include <string>

namespace publish::net {

// One response's rate-limit headers. remaining/limit -1 and resetMs 0 when absent.
struct RateState {
  std::int64_t limit = -1;
  std::int64_t remaining = -1;
  std::int64_t resetMs = 0;  // Unix ms
  bool known() const { return remaining >= 0 || resetMs > 0; }
};

// Mastodon: X-RateLimit-* with the reset as an ISO 8601 time.
RateState mastodonRate(const Response& response);
// Bluesky: RateLimit-* with the reset in Unix seconds.
RateState blueskyRate(const Response& response);
// X: x-rate-limit-* with the reset in Unix seconds.
RateState xRate(const Response& response);
// Retry-After in seconds or as an HTTP date, as Unix ms; 0 when absent.
std::int64_t retryAfterMs(const Response& response, std::int64_t nowMs);

class RateLimits {
 public:
  explicit RateLimits(const common::db::Db& db) : db_(db) {}

  // Before calling a platform for an account: throws job::RetryAt when the account (delay the
  // job) or the platform as a whole (wholeQueue) is limited until a time still ahead.
  void check(const warren::Job* job, const std::string& platform,
             const std::string& accountId) const;
  // Remembers a limit until `resetMs`. `accountId` empty: the platform's limit.
  void record(const warren::Job* job, const std::string& platform, const std::string& accountId,
              std::int64_t resetMs, const std::string& reason) const;

 private:
  const common::db::Db& db_;
};

}  // namespace publish::net
