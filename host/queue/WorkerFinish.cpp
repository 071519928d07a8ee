// The io thread's batches: progress, logs and job settlements (complete, retry, fail, give
// back), sent in one pipeline, with the next job fetched in the same round trip (§4.6, §4.8).
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
              "failedReason",
              outcome.error,
              "stacktrace",
              stack};
    s.status = "delayed";
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

// The common head of a finish script call: the groups of its jobs follow.
std::vector<std::string> Worker::finishHead(const std::string& now) const {
  const auto fetch = fetchOptionArgs();
  return {keys_.base(), now,     std::to_string(options_.metricsPoints), fetch[0], fetch[1],
          fetch[2],     fetch[3]};
}

std::vector<redis::Reply> Worker::runScripts(const std::vector<Settlement>& calls) {
  redis::Connection& connection = connections_.scripts();
  const std::vector<std::string> keys = {keys_.key("meta")};
  // All scripts share one function library: preparing one prepares them all.
  redis::ScriptMode mode = script(ScriptId::finish).prepare(connection);
  if (mode == redis::ScriptMode::eval) {
    for (const auto& call : calls) {
      const auto id = static_cast<std::size_t>(call.script);
      if (scriptsLoaded_.test(id)) continue;
      script(call.script).load(connection);
      scriptsLoaded_.set(id);
    }
  }
  std::vector<std::vector<std::string>> commands;
  commands.reserve(calls.size());
  for (const auto& call : calls)
    commands.push_back(script(call.script).argv(mode, keys, call.args));
  auto replies = connection.pipeline(commands);
  for (std::size_t i = 0; i < replies.size(); ++i) {
    if (!redis::Script::isMissing(replies[i])) continue;
    // The server lost its scripts (restart, failover, a flush): the call did not run.
    scriptsLoaded_.reset();
    mode = script(calls[i].script).prepare(connection);
    script(calls[i].script).load(connection, mode);
    replies[i] = connection.command(script(calls[i].script).argv(mode, keys, calls[i].args));
  }
  return replies;
}

// Sends the commands' scripts in one pipeline and returns one reply per command. Finishes travel
// together, up to kFinishGroup jobs per call of the finish script, each call sent where the last
// of its jobs stood: every command queued before a job's finish (its progress, its logs) still
// runs before it, and Redis is never held by one call for long.
std::vector<redis::Reply> Worker::runSettlements(const std::vector<Settlement>& calls,
                                                 const std::string& now) {
  constexpr std::size_t kFinishGroup = 32;
  constexpr std::size_t kSingle = static_cast<std::size_t>(-1);
  std::size_t finishesLeft =
      static_cast<std::size_t>(std::count_if(calls.begin(), calls.end(), [](const Settlement& c) {
        return c.script == ScriptId::finish;
      }));
  std::vector<Settlement> wire;
  std::vector<std::pair<std::size_t, std::size_t>> where;  // per call: wire index, result index
  std::vector<std::size_t> waiting;                        // calls in the group being built
  Settlement group;
  for (std::size_t i = 0; i < calls.size(); ++i) {
    if (calls[i].script != ScriptId::finish) {
      where.emplace_back(wire.size(), kSingle);
      wire.push_back(calls[i]);
      continue;
    }
    if (waiting.empty()) {
      group.script = ScriptId::finish;
      group.args = finishHead(now);
    }
    group.args.insert(group.args.end(), calls[i].args.begin(), calls[i].args.end());
    where.emplace_back(0, waiting.size());  // wire index set when the group is sent
    waiting.push_back(i);
    --finishesLeft;
    if (waiting.size() == kFinishGroup || finishesLeft == 0) {
      for (const std::size_t member : waiting) where[member].first = wire.size();
      wire.push_back(std::move(group));
      waiting.clear();
    }
  }
  const auto replies = runScripts(wire);
  std::vector<redis::Reply> out;
  out.reserve(calls.size());
  for (const auto& [index, result] : where) {
    const redis::Reply& reply = replies[index];
    if (result == kSingle || reply.isError()) {
      out.push_back(reply);
    } else if (reply.isArray() && result < reply.elements().size()) {
      out.push_back(reply.elements()[result]);
    } else {
      out.push_back(redis::Reply::error("ERR the finish script gave no result for this job"));
    }
  }
  return out;
}

void Worker::flushOutbox() {
  std::deque<Command> batch;
  std::uint32_t allowance = 0;
  {
    std::lock_guard lock(mutex_);
    batch.swap(outbox_);
    if (batch.empty()) return;
    if (fetching_ && !stopping_ && limitUntilMs_ <= nowMs() && slotsUsed_ < concurrency_) {
      allowance = concurrency_ - slotsUsed_;
    }
  }
  const std::string now = std::to_string(nowMs());
  std::vector<Settlement> calls;
  std::vector<std::string> tokens;
  std::uint32_t reserved = 0;
  for (const auto& command : batch) {
    const bool canFetch = allowance > 0 && command.kind == Command::Kind::finish;
    tokens.push_back(canFetch ? nextToken() : std::string());
    calls.push_back(settle(command, canFetch, tokens.back(), now));
    if (calls.back().fetchNext) {
      --allowance;
      ++reserved;
    }
  }
  {
    std::lock_guard lock(mutex_);
    slotsUsed_ += reserved;
  }
  std::vector<redis::Reply> replies;
  try {
    replies = runSettlements(calls, now);
  } catch (...) {
    std::lock_guard lock(mutex_);
    slotsUsed_ -= reserved;
    for (auto it = batch.rbegin(); it != batch.rend(); ++it) outbox_.push_front(*it);  // retry
    throw;
  }
  {
    std::lock_guard lock(mutex_);
    slotsUsed_ -= reserved;
    status_.lastFetchMs = nowMs();
  }
  for (std::size_t i = 0; i < batch.size(); ++i) {
    handleReply(batch[i], calls[i], replies[i], tokens[i]);
  }
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

void Worker::countJob(const std::string& status, double seconds) {
  auto& registry = metrics::registry();
  auto counter = processedMetric_.find(status);
  if (counter == processedMetric_.end()) {
    counter =
        processedMetric_
            .emplace(status, registry.counter(metrics::names::jobsProcessed,
                                              {{"queue", options_.queue}, {"status", status}}))
            .first;
  }
  registry.add(counter->second, 1);
  if (!durationMetric_) {
    durationMetric_ = registry.histogram(metrics::names::jobDuration, {{"queue", options_.queue}});
  }
  registry.observe(*durationMetric_, seconds);
}

}  // namespace warren::queue
