// What each command of the io thread's outbox becomes (progress, logs and job settlements:
// complete, retry, fail, give back; §4.6, §4.8), and what its reply means. Sending them is
// WorkerFlights.cpp.
#include "log/Log.h"
#include "metrics/ProcessMetrics.h"
#include "metrics/Registry.h"
#include "queue/Scripts.h"
#include "queue/WorkerParts.h"

#include <algorithm>

namespace warren::queue {
namespace {

const char* errorName(long long code) {
  switch (code) {
    case -1:
      return "the job's hash is missing";
    case -2:
      return "the job's lock expired: it is left to the stalled checker";
    case -3:
      return "the job is no longer active";
    case -4:
      return "the job has pending children";
    case -6:
      return "another worker holds the job's lock";
    default:
      return "unexpected script result";
  }
}

}  // namespace

Worker::Settlement Worker::settle(const Command& command, bool fetchNext, const std::string& token,
                                  const std::string& now) {
  const JobRecord& record = command.job->record;
  const std::string& base = keys_.base();
  Settlement s;
  switch (command.kind) {
    case Command::Kind::progress:
      s.script = ScriptId::progress;
      s.args = {base, record.id, command.text};
      return s;
    case Command::Kind::log:
      s.script = ScriptId::log;
      s.args = {base, record.id, command.text,
                record.opts.keepLogs ? std::to_string(*record.opts.keepLogs) : std::string()};
      return s;
    case Command::Kind::requeue:
      s.script = ScriptId::requeue;
      s.args = {base, record.id, command.job->token};
      s.status = "requeued";
      return s;
    case Command::Kind::finish:
      break;
  }
  // One job's group of the finish script (the call's common head comes from finishHead).
  const auto finishArgs = [&](const char* target, const std::string& value, const KeepJobs& keep) {
    s.script = ScriptId::finish;
    s.fetchNext = fetchNext;
    s.args = {record.id,
              target,
              value,
              command.job->token,
              std::to_string(keep.count),
              std::to_string(keep.ageSeconds),
              std::to_string(keep.limit),
              std::to_string(record.opts.attempts),
              fetchNext ? "1" : "0",
              token,
              "0"};
  };
  const plugins::JobOutcome& outcome = command.outcome;
  if (outcome.outcome == WARREN_JOB_DELAYED || outcome.outcome == WARREN_JOB_RATE_LIMITED) {
    waitAgain(s, command, fetchNext, token, now);
    return s;
  }
  if (outcome.outcome == WARREN_JOB_COMPLETED) {
    finishArgs("completed", outcome.result,
               keepJobs(record.opts.removeOnComplete, options_.removeOnComplete));
    s.status = "completed";
    return s;
  }
  const std::string plugin = command.job->instance ? command.job->instance->info().name : "host";
  const std::string stack =
      appendStacktrace(record.stacktrace,
                       "Error: " + outcome.error + "\n    at " + plugin + " (" + record.name + ")",
                       record.opts.stackTraceLimit);
  const bool retry = outcome.outcome == WARREN_JOB_FAILED_RETRYABLE &&
                     record.attemptsMade + 1 < record.opts.attempts;
  if (!retry) {
    finishArgs("failed", outcome.error, keepJobs(record.opts.removeOnFail, options_.removeOnFail));
    s.args.back() = "4";
    s.args.insert(s.args.end(), {"failedReason", outcome.error, "stacktrace", stack});
    s.status = "failed";
    return s;
  }
  std::int64_t delay = 0;
  if (record.opts.backoff) {
    const auto computed = backoffDelay(*record.opts.backoff, record.attemptsMade + 1,
                                       std::uniform_real_distribution<double>(0, 1)(random_));
    if (!computed) {
      log::warn("unknown backoff type: retrying without delay",
                {{"queue", options_.queue},
                 {"jobId", record.id},
                 {"backoff", record.opts.backoff->type}});
    }
    delay = computed.value_or(0);
  }
  if (delay > 0) {
    const auto fetch = fetchOptionArgs();
    s.script = ScriptId::delay;
    s.fetchNext = fetchNext;
    s.args = {base,
              record.id,
              now,
              command.job->token,
              std::to_string(delay),
              fetchNext ? "1" : "0",
              fetch[0],
              fetch[1],
              fetch[2],
              fetch[3],
              token,
              "0",  // an attempt was spent
              "failedReason",
              outcome.error,
              "stacktrace",
              stack};
    s.status = "retried";
  } else {
    s.script = ScriptId::retry;
    s.args = {base,
              record.id,
              now,
              command.job->token,
              record.opts.lifo ? "1" : "0",
              "failedReason",
              outcome.error,
              "stacktrace",
              stack};
    s.status = "retried";
  }
  return s;
}

// The plugin's own wait, spending no attempt: WARREN_JOB_DELAYED moves the job to delayed until
// its time (job.moveToDelayed + DelayedError, §4.8.3 with skipAttempt); WARREN_JOB_RATE_LIMITED
// holds the queue's limiter until then and gives the job back to wait (Worker.rateLimit +
// RateLimitError, §4.11.3).
void Worker::waitAgain(Settlement& s, const Command& command, bool fetchNext,
                       const std::string& token, const std::string& now) const {
  const JobRecord& record = command.job->record;
  const std::int64_t wait = std::max<std::int64_t>(command.outcome.retryAtMs - std::stoll(now), 0);
  if (command.outcome.outcome == WARREN_JOB_RATE_LIMITED) {
    s.script = ScriptId::requeue;
    s.args = {keys_.base(), record.id, command.job->token, std::to_string(wait)};
    s.status = "rate_limited";
    return;
  }
  const auto fetch = fetchOptionArgs();
  s.script = ScriptId::delay;
  s.fetchNext = fetchNext;
  s.args = {keys_.base(),
            record.id,
            now,
            command.job->token,
            std::to_string(wait),
            fetchNext ? "1" : "0",
            fetch[0],
            fetch[1],
            fetch[2],
            fetch[3],
            token,
            "1"};
  s.status = "delayed";
}

// The job log line of a plugin's own wait: "delayed until <time>: <reason>".
std::string waitLogLine(const plugins::JobOutcome& outcome) {
  std::string line =
      outcome.outcome == WARREN_JOB_DELAYED ? "delayed until " : "rate limited until ";
  line += plugins::isoTime(outcome.retryAtMs);
  if (!outcome.error.empty()) line += ": " + outcome.error;
  return line;
}

// The common head of a finish script call: the groups of its jobs follow.
std::vector<std::string> Worker::finishHead(const std::string& now) const {
  const auto fetch = fetchOptionArgs();
  return {keys_.base(), now,     std::to_string(options_.metricsPoints), fetch[0], fetch[1],
          fetch[2],     fetch[3]};
}

void Worker::handleReply(const Command& command, const Settlement& call, const redis::Reply& reply,
                         const std::string& token) {
  const JobRecord& record = command.job->record;
  if (call.status.empty()) {  // progress or log
    if (reply.isError()) {
      log::warn("job update failed",
                {{"queue", options_.queue}, {"jobId", record.id}, {"error", reply.str()}});
    }
    return;
  }
  if (reply.isError()) {
    log::error("settling a job failed",
               {{"queue", options_.queue}, {"jobId", record.id}, {"error", reply.str()}});
    settled(command, "error");
    return;
  }
  if (reply.isInteger() && reply.integer() == -9) {
    Command failure;
    failure.job = command.job;
    failure.outcome.outcome = WARREN_JOB_FAILED_UNRECOVERABLE;
    failure.outcome.error =
        "Cannot complete job " + record.id + " because it has at least one failed child.";
    enqueue(std::move(failure));
    return;
  }
  if (call.status == "rate_limited" && reply.isInteger() && reply.integer() > 0) {
    std::lock_guard lock(mutex_);  // this worker fetches nothing until the limit passes
    limitUntilMs_ = std::max<std::int64_t>(limitUntilMs_, nowMs() + reply.integer());
  }
  if (reply.isInteger() && reply.integer() < 0) {
    log::warn("job not settled: " + std::string(errorName(reply.integer())),
              {{"queue", options_.queue},
               {"jobId", record.id},
               {"code", static_cast<std::int64_t>(reply.integer())}});
    settled(command, "lost");
    return;
  }
  settled(command, call.status);
  if (reply.isArray()) handleFetchResult(reply, token);
}

void Worker::settled(const Command& command, const std::string& status) {
  const auto& job = *command.job;
  {
    std::lock_guard lock(mutex_);
    const auto it = active_.find(job.record.id);
    if (it != active_.end() && it->second == command.job) active_.erase(it);
    if (status == "completed") status_.processed++;
    if (status == "failed") status_.failed++;
  }
  idle_.notify_all();
  const double seconds = static_cast<double>(nowMs() - job.startedMs) / 1000.0;
  countJob(status, seconds);
  if (!log::enabled(log::Level::info)) return;
  const log::Field fields[] = {
      {"jobId", job.record.id},  {"queue", options_.queue},
      {"name", job.record.name}, {"attempt", job.record.attemptsMade + 1},
      {"status", status},        {"duration_ms", static_cast<std::int64_t>(seconds * 1000)},
      {"worker", options_.name}};
  if (command.outcome.error.empty()) {
    log::info("job finished",
              {fields[0], fields[1], fields[2], fields[3], fields[4], fields[5], fields[6]});
  } else {
    log::info("job finished", {fields[0],
                               fields[1],
                               fields[2],
                               fields[3],
                               fields[4],
                               fields[5],
                               fields[6],
                               {"error", command.outcome.error}});
  }
}

metrics::Registry::CounterRef Worker::processedCounter(const std::string& status) {
  auto counter = processedMetric_.find(status);
  if (counter == processedMetric_.end()) {
    counter = processedMetric_
                  .emplace(status, metrics::registry().counter(
                                       metrics::names::jobsProcessed,
                                       {{"queue", options_.queue}, {"status", status}}))
                  .first;
  }
  return counter->second;
}

// Before the io thread starts: the series whose labels are known now exist from the start at 0,
// so dashboards and alerts on a fresh node read 0 instead of "no data".
void Worker::declareSeries() {
  auto& registry = metrics::registry();
  for (const char* status : {"completed", "failed"}) processedCounter(status);
  const metrics::Labels queue = {{"queue", options_.queue}};
  if (!durationMetric_) durationMetric_ = registry.histogram(metrics::names::jobDuration, queue);
  if (!waitMetric_) waitMetric_ = registry.histogram(metrics::names::jobWait, queue);
}

void Worker::countJob(const std::string& status, double seconds) {
  auto& registry = metrics::registry();
  registry.add(processedCounter(status), 1);
  registry.observe(*durationMetric_, seconds);
}

}  // namespace warren::queue
