// Settings of the host's outbound HTTP client (one client per node, shared by every plugin).
#pragma once

#include <chrono>
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace warren::outbound {

// A token bucket: `perSecond` requests a second on average, at most `burst` back to back.
struct RateLimit {
  double perSecond = 0;
  unsigned burst = 1;
  bool operator==(const RateLimit&) const = default;
};

// Parses "RATE/UNIT" with UNIT one of s, sec, second, min, minute, h, hour (e.g. "5/s",
// "300/min", "0.5/s"), optionally followed by " burst N" or ",burst=N" (N >= 1; default 1).
// Throws std::invalid_argument with a message naming the text and what is wrong.
RateLimit parseRateLimit(std::string_view text);
// The canonical text of a limit ("5/s", "5/s burst 10"), for messages.
std::string describeRateLimit(const RateLimit& limit);

struct HttpOptions {
  std::chrono::milliseconds connectTimeout{10000};
  // Budget of one call (all attempts and waits) unless the request gives its own.
  std::chrono::milliseconds requestTimeout{30000};
  // Attempts of an idempotent request (1: no retry). Non-idempotent requests get one attempt.
  unsigned maxAttempts = 3;
  // Exponential backoff between attempts: base * 2^(n-1), capped, with jitter (half to all of it).
  std::chrono::milliseconds backoffBase{200};
  std::chrono::milliseconds backoffCap{5000};
  std::size_t maxIdlePerHost = 8;  // kept-alive idle connections per scheme+host+port
  std::chrono::milliseconds idleExpiry{30000};
  std::size_t maxResponseBytes = std::size_t{64} << 20;
  std::string caFile;  // PEM file of trusted CAs; empty: the system's store
  std::map<std::string, RateLimit> rateLimits;  // by host name (lower case, no port)
  std::optional<RateLimit> defaultRateLimit;    // for hosts not listed; none: unlimited
};

// Throws std::invalid_argument naming the first option out of range.
void validate(const HttpOptions& options);

}  // namespace warren::outbound
