// Per-host token buckets. A request reserves a token and waits until it is due, so requests to
// one host leave at the configured pace in the order they asked.
#pragma once

#include "outbound/HttpOptions.h"

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace warren::outbound {

class TokenBucket {
 public:
  using Clock = std::chrono::steady_clock;

  TokenBucket(RateLimit limit, Clock::time_point now);

  // Reserves one token and returns when it may be used (`now` when one is free), or nullopt,
  // reserving nothing, when that would be later than `latest`.
  std::optional<Clock::time_point> reserve(Clock::time_point now, Clock::time_point latest);
  // Gives back a reserved token that was not used (the caller gave up waiting).
  void release(Clock::time_point now);

  const RateLimit& limit() const { return limit_; }

 private:
  void refill(Clock::time_point now);

  const RateLimit limit_;
  std::mutex mutex_;
  double tokens_;  // negative: tokens already promised to waiting requests
  Clock::time_point last_;
};

class RateLimiter {
 public:
  RateLimiter(const std::map<std::string, RateLimit>& perHost, std::optional<RateLimit> fallback);

  // The bucket of `host` (lower case), or nullptr when the host is not limited.
  TokenBucket* bucketFor(const std::string& host);

 private:
  std::map<std::string, RateLimit> limits_;
  std::optional<RateLimit> fallback_;
  std::mutex mutex_;
  std::map<std::string, std::unique_ptr<TokenBucket>> buckets_;
};

}  // namespace warren::outbound
