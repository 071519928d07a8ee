#include "executor/ProcessExecutor.h"

#include "executor/Metrics.h"
#include "executor/Supervisor.h"
#include "log/Log.h"
#include "metrics/Registry.h"
#include "plugins/Instance.h"

#include <algorithm>
#include <map>

namespace warren::executor {
namespace {

using Clock = ExecutorProcess::Clock;

double secondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// The processes of every executor of a queue (an old generation's and the new one's, during a
// reload), for the gauge.
void addProcesses(const std::string& queue, std::int64_t delta) {
  static std::mutex mutex;
  static auto* counts = new std::map<std::string, std::int64_t>();
  std::lock_guard lock(mutex);
  const std::int64_t now = (*counts)[queue] += delta;
  metrics::registry().gaugeSet(names::processes, {{"queue", queue}}, static_cast<double>(now));
}

}  // namespace

std::shared_ptr<ProcessExecutor> ProcessExecutor::create(std::shared_ptr<plugins::Library> library,
                                                         const plugins::ConfigValues& config,
                                                         std::string scope,
                                                         ProcessOptions options) {
  std::shared_ptr<ProcessExecutor> executor(
      new ProcessExecutor(std::move(library), config, std::move(scope), std::move(options)));
  std::unique_ptr<ExecutorProcess> first;
  try {
    first = executor->startProcess();
  } catch (const StartFailed& e) {
    const plugins::PluginInfo& info = executor->info();
    // The plugin's refusal or init failure reads as it would in process; a death says so.
    const std::string what = e.what();
    const std::string plugin = "plugin " + info.name + " " + info.version;
    throw plugins::PluginError(what.rfind("plugin ", 0) == 0 && what.find(": ") != std::string::npos
                                   ? what
                                   : plugin + ": its executor process did not start: " + what);
  }
  first->idleSince = Clock::now();
  {
    std::lock_guard lock(executor->mutex_);
    executor->idle_.push_back(std::move(first));
    executor->countProcesses();
  }
  std::weak_ptr<ProcessExecutor> weak = executor;
  everySecond([weak] {
    const auto alive = weak.lock();
    if (alive) alive->retireIdle();
    return alive != nullptr;
  });
  log::info("plugin started in executor processes", {{"plugin", executor->info().name},
                                                     {"plugin_version", executor->info().version},
                                                     {"queue", executor->caller_.scope}});
  return executor;
}

ProcessExecutor::ProcessExecutor(std::shared_ptr<plugins::Library> library,
                                 const plugins::ConfigValues& config, std::string scope,
                                 ProcessOptions options)
    : library_(std::move(library)),
      caller_{&library_->info(), std::move(scope),
              plugins::validateConfig(library_->info(), config)},
      options_(std::move(options)) {
  spec_.executable = options_.executable;
  spec_.plugin = library_->path();
  spec_.origin = library_->path();
  spec_.scope = caller_.scope;
  spec_.config = caller_.config;
  spec_.memoryLimitBytes = options_.memoryLimitBytes;
  spec_.timeout = options_.startTimeout;
  services_.api = plugins::hostApi();
  services_.host = &host_;
  services_.who = info().name + " " + info().version;
}

ProcessExecutor::~ProcessExecutor() {
  std::lock_guard lock(mutex_);
  for (auto& process : idle_) retire(std::move(process), options_.stopGrace);
  idle_.clear();
  countProcesses();
}

std::unique_ptr<ExecutorProcess> ProcessExecutor::startProcess() {
  const auto started = Clock::now();
  auto process = ExecutorProcess::start(spec_, services_);
  auto& registry = metrics::registry();
  registry.counterAdd(names::starts, {{"queue", caller_.scope}}, 1);
  registry.histogramObserve(names::startSeconds, {{"queue", caller_.scope}}, secondsSince(started));
  log::debug("executor process started", {{"queue", caller_.scope},
                                          {"plugin", info().name},
                                          {"pid", static_cast<std::int64_t>(process->pid())}});
  return process;
}

// An idle process that is still alive (the most recently used: its memory is warm), else a new
// one.
std::unique_ptr<ExecutorProcess> ProcessExecutor::acquire() {
  {
    std::lock_guard lock(mutex_);
    while (!idle_.empty()) {
      auto process = std::move(idle_.back());
      idle_.pop_back();
      if (process->hasExited()) {
        // Killed while idle (the OOM killer, an operator): no job to fail.
        log::warn("idle executor process had ended",
                  {{"queue", caller_.scope}, {"pid", static_cast<std::int64_t>(process->pid())}});
        metrics::registry().counterAdd(names::exits, {{"queue", caller_.scope}, {"reason", "died"}},
                                       1);
        continue;
      }
      ++busy_;
      return process;
    }
    ++busy_;  // the slot's process, being started
    countProcesses();
  }
  try {
    return startProcess();
  } catch (...) {
    std::lock_guard lock(mutex_);
    --busy_;
    countProcesses();
    throw;
  }
}

plugins::JobOutcome ProcessExecutor::run(plugins::JobContext& job) {
  std::unique_ptr<ExecutorProcess> process;
  try {
    process = acquire();
  } catch (const StartFailed& e) {
    metrics::registry().counterAdd(names::exits,
                                   {{"queue", caller_.scope}, {"reason", "start_failed"}}, 1);
    log::error("executor process did not start",
               {{"queue", caller_.scope}, {"plugin", info().name}, {"error", e.what()}});
    plugins::JobOutcome outcome;
    outcome.outcome = WARREN_JOB_FAILED_RETRYABLE;
    outcome.error = std::string("plugin executor could not start: ") + e.what();
    return outcome;
  }
  const bool wantRss = options_.maxResidentBytes > 0;
  ExecutorProcess::Result result = process->run(job, wantRss, options_.cancelGrace);
  if (result.outcome) {
    release(std::move(process), result.residentBytes);
    return std::move(*result.outcome);
  }
  const pid_t pid = process->pid();
  process.reset();  // reaped already
  {
    std::lock_guard lock(mutex_);
    --busy_;
    countProcesses();
  }
  return failed(job.input(), *result.death, pid);
}

// A job whose process died: a retryable failure with the reason, or a poison pill once it
// killed max_crashes processes (counted in Redis, across nodes and restarts).
plugins::JobOutcome ProcessExecutor::failed(const plugins::JobInput& job, const Death& death,
                                            pid_t pid) {
  auto& registry = metrics::registry();
  registry.counterAdd(names::exits, {{"queue", caller_.scope}, {"reason", "died"}}, 1);
  registry.counterAdd(names::deaths, {{"queue", caller_.scope}, {"cause", death.cause}}, 1);
  plugins::JobOutcome outcome;
  outcome.outcome = WARREN_JOB_FAILED_RETRYABLE;
  outcome.error = death.reason;
  std::int64_t crashes = -1;
  if (death.counts && options_.crashes) {
    try {
      crashes = options_.crashes->add(job);
    } catch (const std::exception& e) {
      log::warn("could not count the job's executor crash",
                {{"queue", caller_.scope}, {"jobId", job.id}, {"error", e.what()}});
    }
  }
  if (crashes >= static_cast<std::int64_t>(options_.maxCrashes)) {
    outcome.outcome = WARREN_JOB_FAILED_UNRECOVERABLE;
    outcome.error = poisonPill(static_cast<std::uint32_t>(crashes), death.cause);
    registry.counterAdd(names::poisonPills, {{"queue", caller_.scope}}, 1);
  }
  log::warn("executor process died in a job", {{"queue", caller_.scope},
                                               {"plugin", info().name},
                                               {"jobId", job.id},
                                               {"pid", static_cast<std::int64_t>(pid)},
                                               {"cause", death.cause},
                                               {"crashes", crashes},
                                               {"error", outcome.error}});
  return outcome;
}

void ProcessExecutor::release(std::unique_ptr<ExecutorProcess> process,
                              std::uint64_t residentBytes) {
  const char* recycle = nullptr;
  if (options_.maxJobs > 0 && process->jobs() >= options_.maxJobs) recycle = "jobs";
  if (options_.maxResidentBytes > 0 && residentBytes > options_.maxResidentBytes) recycle = "rss";
  std::lock_guard lock(mutex_);
  --busy_;
  if (recycle != nullptr) {
    retireNow(std::move(process), recycle);
    countProcesses();
    return;
  }
  process->idleSince = Clock::now();
  idle_.push_back(std::move(process));
}

// Requires mutex_.
void ProcessExecutor::retireNow(std::unique_ptr<ExecutorProcess> process, const char* why) {
  log::debug("executor process retired", {{"queue", caller_.scope},
                                          {"pid", static_cast<std::int64_t>(process->pid())},
                                          {"reason", why},
                                          {"jobs", process->jobs()}});
  metrics::registry().counterAdd(names::exits, {{"queue", caller_.scope}, {"reason", why}}, 1);
  retire(std::move(process), options_.stopGrace);
}

void ProcessExecutor::retireIdle() {
  std::lock_guard lock(mutex_);
  const auto before = Clock::now() - options_.idleTimeout;
  // The oldest first; the last process of the pool stays.
  while (!idle_.empty() && idle_.size() + busy_ > 1 && idle_.front()->idleSince < before) {
    retireNow(std::move(idle_.front()), "idle");
    idle_.erase(idle_.begin());
  }
  countProcesses();
}

std::size_t ProcessExecutor::processes() const {
  std::lock_guard lock(mutex_);
  return idle_.size() + busy_;
}

void ProcessExecutor::countProcesses() {
  const auto now = static_cast<std::int64_t>(idle_.size() + busy_);
  if (now == reported_) return;
  addProcesses(caller_.scope, now - reported_);
  reported_ = now;
}

}  // namespace warren::executor
