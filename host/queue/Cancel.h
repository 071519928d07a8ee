// Remote cancellation by job id, from any process (warren cancel, POST /admin/cancel;
// docs/reliability.md). One script call (host/queue/lua/cancel.lua) decides by the job's state:
//
//   waiting, prioritized, delayed   the job fails at once, "cancelled: <reason>" (no attempt
//                                   spent, no retry, no dead letter)
//   active                          the job's hash gets `warren-cancel` = reason, and a message
//                                   {"jobId","reason"} goes to the channel
//                                   "<prefix>:<queue>:cancel"; the Warren node running it cancels
//                                   it (CancelListener, then Worker::cancel); a node that missed
//                                   the message sees the field at its next lock renewal, and a job
//                                   that went back to wait (a stall, a shutdown) fails as cancelled
//                                   when fetched
//   completed, failed, waiting-children, gone   nothing changes (the result says which)
#pragma once

#include "queue/Keys.h"
#include "redis/Connection.h"

#include <cstdint>
#include <string>

namespace warren::queue {

struct CancelResult {
  enum class Outcome {
    failed,           // it had not started: it is failed now (detail: the state it left)
    signalled,        // it is active: its worker was asked (receivers: nodes listening)
    finished,         // it was over already (detail: completed or failed)
    waitingChildren,  // a flow parent waiting for its children: refused
    missing,          // no such job
  };
  Outcome outcome = Outcome::missing;
  std::string detail;
  std::int64_t receivers = 0;
};

// The reason a request without one gives.
constexpr const char* kDefaultCancelReason = "no reason given";

// The channel the workers of a queue listen on.
std::string cancelChannel(const Keys& keys);

// Runs the cancel script for job `id` of the queue. `removeOnFailDefault` is the worker default
// applied when the job has no removeOnFail option (JSON text, or ""). Throws std::runtime_error
// when Redis refuses (redis::ConnectionError when it cannot be reached).
CancelResult cancelJob(redis::Connection& connection, const Keys& keys, const std::string& id,
                       const std::string& reason, const std::string& removeOnFailDefault = "");

// One line for people: "job 42 of queue emails was waiting: failed now as 'cancelled: ...'".
std::string describe(const CancelResult& result, const Keys& keys, const std::string& id,
                     const std::string& reason);
// JSON object text for the admin API: {"queue","id","outcome","detail"?,"receivers"?}
std::string toJson(const CancelResult& result, const Keys& keys, const std::string& id);
// The outcome's name as the admin API and the docs spell it.
const char* outcomeName(CancelResult::Outcome outcome);

}  // namespace warren::queue
