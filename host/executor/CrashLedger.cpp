#include "executor/CrashLedger.h"

#include "redis/Script.h"

#include <stdexcept>

namespace warren::executor {
namespace {

constexpr std::int64_t kKeepSeconds = 30LL * 24 * 3600;

const redis::Script& addScript() {
  static const redis::Script script("crash_add",
                                    "local n = redis.call('INCR', KEYS[1])\n"
                                    "redis.call('EXPIRE', KEYS[1], ARGV[1])\n"
                                    "return n\n");
  return script;
}

}  // namespace

RedisCrashLedger::RedisCrashLedger(std::shared_ptr<queue::RedisPool> pool, std::string prefix)
    : pool_(std::move(pool)), prefix_(std::move(prefix)) {}

std::string RedisCrashLedger::keyOf(const std::string& prefix, const plugins::JobInput& job) {
  return "warren:crashes:" + std::to_string(prefix.size()) + ":" + prefix + ":" + job.queue + ":" +
         std::to_string(job.timestamp) + ":" + job.id;
}

std::uint32_t RedisCrashLedger::add(const plugins::JobInput& job) {
  auto connection = pool_->lease();
  const redis::Reply reply =
      addScript().run(*connection, {keyOf(prefix_, job)}, {std::to_string(kKeepSeconds)});
  if (reply.isError()) throw std::runtime_error("counting the crash: " + reply.str());
  return static_cast<std::uint32_t>(reply.integer());
}

}  // namespace warren::executor
