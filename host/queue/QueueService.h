// The SDK's queue service (warren_queue_api, ABI 1.2): plugins add jobs and upsert job
// schedulers on the node's Redis, under the node's prefix, with Warren's producer (the same
// checks and stored form as Queue.add and Queue.upsertJobScheduler). Calls run on the calling
// plugin thread over the node's plugin connections (RedisPool). Errors are values: a status and
// a readable text.
#pragma once

#include "queue/RedisPool.h"

#include <warren/plugin.h>

#include <memory>
#include <optional>
#include <string>

namespace warren::queue {

class QueueService {
 public:
  QueueService(std::shared_ptr<RedisPool> pool, std::string prefix);
  ~QueueService();  // the table stops serving this service
  QueueService(const QueueService&) = delete;
  QueueService& operator=(const QueueService&) = delete;

  // The table to install with plugins::installQueueService; it serves this service from then
  // on (the last one asked for wins). The table itself is static.
  const warren_queue_api* table();

  // Queue.add; returns the job id (the existing one for a taken jobId). Throws
  // std::invalid_argument (refused input), ParentMissing, redis::ConnectionError,
  // std::runtime_error.
  std::string add(const std::string& queue, const std::string& name, const std::string& dataJson,
                  const std::string& optsJson);
  // Queue.upsertJobScheduler; the first iteration's id, or nothing when no run is left.
  std::optional<std::string> upsertScheduler(const std::string& queue, const std::string& id,
                                             const std::string& repeatJson,
                                             const std::string& templateJson);

 private:
  std::shared_ptr<RedisPool> pool_;
  std::string prefix_;
};

}  // namespace warren::queue
