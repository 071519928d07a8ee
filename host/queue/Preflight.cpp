#include "queue/Preflight.h"

#include "log/Log.h"
#include "queue/Worker.h"

#include <cstdlib>
#include <sstream>

namespace warren::queue {
namespace {

std::string infoField(const std::string& info, const std::string& field) {
  std::istringstream lines(info);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.rfind(field + ":", 0) == 0) {
      std::string value = line.substr(field.size() + 1);
      while (!value.empty() && (value.back() == '\r' || value.back() == '\n')) value.pop_back();
      return value;
    }
  }
  return {};
}

void checkVersion(redis::Connection& connection) {
  const redis::Reply info = connection.command({"INFO", "server"});
  const std::string version = infoField(info.str(), "redis_version");
  if (version.empty()) {
    log::warn("cannot read the Redis version (INFO server refused); assuming it is recent enough");
    return;
  }
  if (versionNumber(version) < versionNumber(kMinimumRedis)) {
    throw PreflightError("Redis " + version + " is too old: Warren's queue scripts need Redis " +
                         kMinimumRedis + " or newer");
  }
}

void checkEvictionPolicy(redis::Connection& connection) {
  const redis::Reply reply = connection.command({"CONFIG", "GET", "maxmemory-policy"});
  if (reply.isError() || reply.elements().size() < 2) {
    log::info("cannot read maxmemory-policy (CONFIG refused); make sure it is noeviction");
    return;
  }
  const std::string policy = reply.elements()[1].str();
  if (policy != "noeviction") {
    log::warn("Redis maxmemory-policy is '" + policy +
              "', not noeviction: Redis may evict queue keys and lose jobs");
  }
}

void checkClock(redis::Connection& connection) {
  const redis::Reply reply = connection.command({"TIME"});
  if (reply.isError() || reply.elements().size() < 2) return;
  const std::int64_t redisMs = std::atoll(reply.elements()[0].str().c_str()) * 1000 +
                               std::atoll(reply.elements()[1].str().c_str()) / 1000;
  const std::int64_t skew = nowMs() - redisMs;
  if (skew > 1000 || skew < -1000) {
    log::warn("local clock and Redis TIME differ by " + std::to_string(skew) +
                  " ms: BullMQ timestamps come from clients' clocks, keep them in sync (NTP)",
              {{"skew_ms", skew}});
  }
}

}  // namespace

int versionNumber(const std::string& version) {
  int major = 0, minor = 0, patch = 0;
  char extra = 0;
  if (std::sscanf(version.c_str(), "%d.%d.%d%c", &major, &minor, &patch, &extra) < 2) {
    throw PreflightError("'" + version + "' is not a Redis version");
  }
  return major * 10000 + minor * 100 + patch;
}

void preflight(redis::Connection& connection) {
  checkVersion(connection);
  checkEvictionPolicy(connection);
  checkClock(connection);
}

}  // namespace warren::queue
