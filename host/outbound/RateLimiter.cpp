#include "outbound/RateLimiter.h"

#include <algorithm>

namespace warren::outbound {

TokenBucket::TokenBucket(RateLimit limit, Clock::time_point now)
    : limit_(limit), tokens_(static_cast<double>(limit.burst)), last_(now) {}

void TokenBucket::refill(Clock::time_point now) {
  if (now <= last_) return;
  const double elapsed = std::chrono::duration<double>(now - last_).count();
  tokens_ = std::min(static_cast<double>(limit_.burst), tokens_ + elapsed * limit_.perSecond);
  last_ = now;
}

std::optional<TokenBucket::Clock::time_point> TokenBucket::reserve(Clock::time_point now,
                                                                   Clock::time_point latest) {
  std::lock_guard lock(mutex_);
  refill(now);
  Clock::time_point due = now;
  if (tokens_ < 1) {
    const std::chrono::duration<double> wait((1 - tokens_) / limit_.perSecond);
    due = now + std::chrono::ceil<Clock::duration>(wait);
    if (due > latest) return std::nullopt;
  }
  tokens_ -= 1;
  return due;
}

void TokenBucket::release(Clock::time_point now) {
  std::lock_guard lock(mutex_);
  refill(now);
  tokens_ = std::min(static_cast<double>(limit_.burst), tokens_ + 1);
}

RateLimiter::RateLimiter(const std::map<std::string, RateLimit>& perHost,
                         std::optional<RateLimit> fallback)
    : fallback_(fallback) {
  for (const auto& [host, limit] : perHost) {
    std::string key = host;
    std::transform(key.begin(), key.end(), key.begin(),
                   [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; });
    limits_[key] = limit;
  }
}

TokenBucket* RateLimiter::bucketFor(const std::string& host) {
  const auto configured = limits_.find(host);
  if (configured == limits_.end() && !fallback_) return nullptr;
  const RateLimit limit = configured != limits_.end() ? configured->second : *fallback_;
  std::lock_guard lock(mutex_);
  auto& bucket = buckets_[host];
  if (!bucket) bucket = std::make_unique<TokenBucket>(limit, TokenBucket::Clock::now());
  return bucket.get();
}

}  // namespace warren::outbound
