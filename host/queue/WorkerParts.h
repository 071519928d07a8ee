// Internal to the Worker's translation units: one running job, and one command for the io
// thread.
#pragma once

#include "queue/Scripts.h"
#include "queue/Worker.h"

namespace warren::queue {

// A plugin ignoring cancellation gets this long after a job's deadline.
constexpr std::int64_t kTimeoutGraceMs = 1000;

struct Worker::ActiveJob {
  JobRecord record;
  std::string token;
  InstancePtr instance;
  std::shared_ptr<plugins::JobContext> context;  // set when a pool thread starts it
  std::int64_t startedMs = 0;
  std::int64_t deadlineMs = 0;  // 0: no timeout
  bool timedOut = false;        // cancelled at its deadline
  bool abandoned = false;       // settled in Redis without waiting for the plugin
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
  std::string status;  // completed | failed | retried | delayed | requeued; empty: not a settlement
  bool fetchNext = false;
};

}  // namespace warren::queue
