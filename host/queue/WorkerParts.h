// Internal to the Worker's translation units: one running job, one command for the io thread,
// and one batch of commands on the wire.
#pragma once

#include "queue/Scripts.h"
#include "queue/Worker.h"

namespace warren::queue {

// A plugin ignoring cancellation gets this long after a job's deadline.
constexpr std::int64_t kTimeoutGraceMs = 1000;

// A stop waits this long for cancelled plugin calls to return before it gives up joining the
// worker's threads.
constexpr std::chrono::milliseconds kStopGrace{500};

// Settlements queued while other jobs of their batch still run wait for those up to this long:
// one call then carries the whole batch instead of one per job.
constexpr std::chrono::microseconds kSettleLinger{1000};

struct Worker::ActiveJob {
  JobRecord record;
  std::string token;
  InstancePtr instance;
  std::shared_ptr<plugins::JobContext> context;  // set when a pool thread starts it
  std::int64_t startedMs = 0;
  std::int64_t deadlineMs = 0;  // 0: no timeout
  bool timedOut = false;        // cancelled at its deadline
  bool abandoned = false;       // settled in Redis without waiting for the plugin
  std::string cancelReason;     // why it was abandoned, for a plugin call that starts after
  bool settling = false;        // its settlement is queued: its lock is about to go
};

struct Worker::Command {
  enum class Kind { progress, log, finish, requeue } kind = Kind::finish;
  std::shared_ptr<ActiveJob> job;
  std::string text;  // progress JSON or log line
  plugins::JobOutcome outcome;
};

// What to send for one command, and what the job's status becomes.
struct Worker::Settlement {
  ScriptId script = ScriptId::finish;
  std::vector<std::string> args;
  // completed | failed | retried | delayed | rate_limited | requeued; empty: not a settlement
  std::string status;
  bool fetchNext = false;
};

// A batch taken from the outbox at once, on its way through the scripts connection: sent, its
// replies not yet handled.
struct Worker::Flight {
  std::deque<Command> batch;
  std::vector<Settlement> calls;    // one per command of the batch
  std::vector<std::string> tokens;  // per command: the lock token of the job it fetches, or ""
  std::vector<Settlement> wire;     // the script calls sent (finishes grouped)
  // Per command: the index of its wire call, and its result's index in that call's reply
  // (kWholeReply for calls that are not grouped).
  std::vector<std::pair<std::size_t, std::size_t>> where;
  std::uint32_t reserved = 0;  // job slots held for the successors its finishes fetch
  bool sent = false;
  Clock::time_point sentAt;
  std::vector<redis::Reply> replies;  // one per wire call, once received
  bool received = false;
};

// The job log line of a plugin's own wait: "delayed until <time>: <reason>".
std::string waitLogLine(const plugins::JobOutcome& outcome);

}  // namespace warren::queue
