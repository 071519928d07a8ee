// The idempotency ledger of plugins' once() calls (ABI 1.2) in the node's Redis. One hash per job
// run history:
//
//   warren:once:<length of prefix>:<prefix>:<queue>:<job timestamp>:<job id>   field = the key
//
// Outside every BullMQ key (those all start with the queue's prefix, "bull" by default), and
// unambiguous: the prefix is length-counted, a queue name has no ':', a timestamp is digits, and
// the job id is the rest. The job's timestamp tells a job apart from a later one added with the
// same custom id after the first was removed; retries, stalls and crashes keep it. The hash
// expires after the longest TTL given for any of its keys.
#pragma once

#include "plugins/JobContext.h"
#include "queue/RedisPool.h"

#include <memory>
#include <string>

namespace warren::queue {

class RedisOnceLedger final : public plugins::OnceLedger {
 public:
  RedisOnceLedger(std::shared_ptr<RedisPool> pool, std::string prefix);

  std::optional<std::string> get(const plugins::JobInput& job, std::string_view key) override;
  void put(const plugins::JobInput& job, std::string_view key, std::string_view valueJson,
           std::uint32_t ttlSeconds) override;

  // The hash of one job (see above).
  static std::string keyOf(const std::string& prefix, const plugins::JobInput& job);

 private:
  std::shared_ptr<RedisPool> pool_;
  std::string prefix_;
};

}  // namespace warren::queue
