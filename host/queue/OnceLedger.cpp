#include "queue/OnceLedger.h"

#include "redis/Script.h"

#include <stdexcept>

namespace warren::queue {
namespace {

// Records one key and keeps the hash for the longest TTL asked (Redis 6.2 has no EXPIRE GT).
const redis::Script& putScript() {
  static const redis::Script script("once_put",
                                    "redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])\n"
                                    "if redis.call('TTL', KEYS[1]) < tonumber(ARGV[3]) then\n"
                                    "  redis.call('EXPIRE', KEYS[1], ARGV[3])\n"
                                    "end\n"
                                    "return 1\n");
  return script;
}

void check(const redis::Reply& reply, const char* what) {
  if (reply.isError()) throw std::runtime_error(std::string(what) + ": " + reply.str());
}

}  // namespace

RedisOnceLedger::RedisOnceLedger(std::shared_ptr<RedisPool> pool, std::string prefix)
    : pool_(std::move(pool)), prefix_(std::move(prefix)) {}

std::string RedisOnceLedger::keyOf(const std::string& prefix, const plugins::JobInput& job) {
  return "warren:once:" + std::to_string(prefix.size()) + ":" + prefix + ":" + job.queue + ":" +
         std::to_string(job.timestamp) + ":" + job.id;
}

std::optional<std::string> RedisOnceLedger::get(const plugins::JobInput& job,
                                                std::string_view key) {
  auto connection = pool_->lease();
  const redis::Reply reply = connection->command({"HGET", keyOf(prefix_, job), std::string(key)});
  check(reply, "HGET");
  if (reply.isNil()) return std::nullopt;
  return reply.str();
}

void RedisOnceLedger::put(const plugins::JobInput& job, std::string_view key,
                          std::string_view valueJson, std::uint32_t ttlSeconds) {
  auto connection = pool_->lease();
  check(putScript().run(*connection, {keyOf(prefix_, job)},
                        {std::string(key), std::string(valueJson), std::to_string(ttlSeconds)}),
        "recording");
}

}  // namespace warren::queue
