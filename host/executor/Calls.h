// The host service calls an executor process forwards to the node: every service of the host
// table but the ones answered from the executor's own copy of the job and config (job data, id,
// name, queue, attempt, deadline, result, error, retry time, config values, and cancellation,
// which the node pushes as a cancel frame). A call frame carries its id, the operation, whether
// it is made for the running job, then the arguments; the reply carries the id, the status and
// the results. Both sides are in this folder: ChildCalls.cpp builds the executor's table,
// NodeCalls.cpp answers with the node's own table, so a plugin sees exactly what it would see
// in process.
#pragma once

#include "executor/Protocol.h"
#include "log/Log.h"

#include <warren/plugin.h>

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>

namespace warren::executor {

enum class Op : std::uint8_t {
  logWrite = 1,  // one way: no reply
  counterAdd,
  gaugeSet,
  histogramObserve,
  jobProgress,
  jobLog,
  onceGet,
  oncePut,
  httpRequest,
  dbQuery,
  storagePut,
  storageGet,
  storageHead,
  storageRemove,
  storageList,
  storagePresign,
  aiAvailable,
  aiComplete,
  aiEmbed,
  queueAdd,
  queueUpsertScheduler,
};

// The optional services of a host table, one bit each (sent in the start frame): the executor's
// table has exactly the node's.
constexpr std::uint32_t kHasHttp = 1, kHasDb = 2, kHasStorage = 4, kHasAi = 8, kHasQueue = 16;
std::uint32_t servicesOf(const warren_host_api& api);

// The executor process's link to the node, for its table's functions.
class Forwarder {
 public:
  virtual ~Forwarder() = default;
  // Sends a call frame (whose id is `id`) and blocks for its reply; returns the reply.
  virtual Frame call(std::uint64_t id, std::string frame) = 0;
  // Sends a one-way frame.
  virtual void post(std::string frame) = 0;
  std::uint64_t nextId() { return ++lastId_; }

 private:
  std::atomic<std::uint64_t> lastId_{0};
};

// The executor process's host table: `base` (the host's own functions for buffers, config and
// job fields) with the node's services (`services`, kHas*) reached through `forwarder`, and
// log lines at `level` and above forwarded. Lives for the process; call once.
const warren_host_api* forwardingTable(const warren_host_api& base, Forwarder& forwarder,
                                       std::uint32_t services, log::Level level);

// Answers one call frame with the node's table `api`, for the plugin behind `host` and, when the
// call is made for the running job, `job` (NULL between jobs). Returns the reply frame, or
// nothing for a one-way call. Throws ProtocolError for a call of the wrong shape.
std::optional<std::string> serveCall(const warren_host_api& api, const warren_host* host,
                                     const warren_job* job, FrameReader& call);

}  // namespace warren::executor
