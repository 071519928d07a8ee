// Start-up checks of the Redis server a worker will use.
#pragma once

#include "redis/Connection.h"

#include <stdexcept>
#include <string>

namespace warren::queue {

class PreflightError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Refuses (PreflightError) a Redis older than our scripts need; warns in the log when
// maxmemory-policy is not noeviction (a refused CONFIG is tolerated, as on managed Redis) and when
// the local clock and Redis TIME differ by more than a second.
void preflight(redis::Connection& connection);

// "7.0.15" → comparable number 70015; throws on text that is not a version.
int versionNumber(const std::string& version);

constexpr const char* kMinimumRedis = "6.2.0";

}  // namespace warren::queue
