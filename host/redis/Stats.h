// Process-wide counts of what the Redis layer went through, for /metrics
// (warren_redis_reconnects_total, warren_redis_failovers_total, warren_redis_redirects_total).
// They only grow; readers export the difference since their last look.
#pragma once

#include <atomic>
#include <cstdint>

namespace warren::redis {

struct Stats {
  std::atomic<std::uint64_t> reconnects{0};  // successful reconnects of any connection
  std::atomic<std::uint64_t> failovers{0};   // a master replaced (Sentinel switch, Cluster)
  std::atomic<std::uint64_t> moved{0};       // MOVED replies followed
  std::atomic<std::uint64_t> asked{0};       // ASK replies followed
};

Stats& stats();

}  // namespace warren::redis
