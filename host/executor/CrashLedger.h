// How many executor processes each job has killed, in the node's Redis, so that the count
// survives node restarts and is shared by every node serving the queue: a job that killed
// queue.NAME.max_crashes of them is a poison pill. One counter per job run history, outside
// BullMQ's keys, as the once() ledger's (queue/OnceLedger.h):
//
//   warren:crashes:<length of prefix>:<prefix>:<queue>:<job timestamp>:<job id>
//
// It expires 30 days after the job's last crash.
#pragma once

#include "plugins/JobContext.h"
#include "queue/RedisPool.h"

#include <cstdint>
#include <memory>
#include <string>

namespace warren::executor {

class CrashLedger {
 public:
  virtual ~CrashLedger() = default;
  // Counts one more executor killed by `job`; returns how many it has killed so far. Throws
  // std::runtime_error (or redis::ConnectionError) when the count cannot be kept.
  virtual std::uint32_t add(const plugins::JobInput& job) = 0;
};

class RedisCrashLedger final : public CrashLedger {
 public:
  RedisCrashLedger(std::shared_ptr<queue::RedisPool> pool, std::string prefix);
  std::uint32_t add(const plugins::JobInput& job) override;

  static std::string keyOf(const std::string& prefix, const plugins::JobInput& job);

 private:
  std::shared_ptr<queue::RedisPool> pool_;
  std::string prefix_;
};

}  // namespace warren::executor
