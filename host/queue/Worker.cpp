#include "queue/Worker.h"

#include "log/Log.h"
#include "metrics/ProcessMetrics.h"
#include "metrics/Registry.h"
#include "queue/Scripts.h"
#include "queue/WorkerParts.h"

#include <Poco/UUIDGenerator.h>

#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>

namespace warren::queue {

std::int64_t nowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

namespace {

constexpr std::uint32_t kMaxFetchBatch = 32;

// How long the io and waiter threads pause after a lost connection. The first loss after a
// quiet while (a failover: the master is elsewhere already, or soon) is retried after 100 ms;
// losses in a row wait 1 s, as other errors do, so a Redis that stays away is not hammered with
// connects and the log with errors. `last` is the thread's previous loss.
std::chrono::milliseconds reconnectPause(std::chrono::steady_clock::time_point& last) {
  const auto now = std::chrono::steady_clock::now();
  const bool first = now - last > std::chrono::seconds(3);
  last = now;
  return first ? std::chrono::milliseconds(100) : std::chrono::milliseconds(1000);
}

std::string seconds(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.3f", value);
  return buffer;
}

std::string optionalNumber(std::int64_t value) {
  return value > 0 ? std::to_string(value) : std::string();
}

}  // namespace

Worker::Worker(WorkerOptions options, redis::Url url, redis::ConnectionOptions connection,
               InstancePtr instance)
    : options_(std::move(options)),
      keys_(options_.prefix, options_.queue),
      connections_(
          url,
          [&] {
            connection.autoReconnect = true;
            return connection;
          }(),
          redis::ConnectionNames{"", keys_.workerClientName(options_.name), ""}),
      workerId_(Poco::UUIDGenerator::defaultGenerator().createRandom().toString()),
      instance_(std::move(instance)) {
  if (options_.concurrency == 0) options_.concurrency = 1;
  concurrency_ = options_.concurrency;
  // A second flight needs a way to wake the io thread while it waits on the socket (the eventfd).
  wakeFd_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  depth_ = wakeFd_ >= 0 ? 2 : 1;
}

Worker::~Worker() {
  if (!threads_.empty()) abort();
  if (wakeFd_ >= 0) ::close(wakeFd_);
}

void Worker::start() {
  declareSeries();
  threads_.emplace_back([this] { ioLoop(); });
  threads_.emplace_back([this] { waitLoop(); });
  threads_.emplace_back([this] { timerLoop(); });
  {
    std::lock_guard lock(mutex_);
    startPoolThreads(concurrency_);
  }
  log::info("worker started", {{"queue", options_.queue},
                               {"concurrency", options_.concurrency},
                               {"worker", options_.name}});
}

void Worker::setInstance(InstancePtr instance) {
  std::lock_guard lock(mutex_);
  instance_ = std::move(instance);
}

void Worker::stopFetching() {
  {
    std::lock_guard lock(mutex_);
    fetching_ = false;
  }
  connections_.get(redis::ConnectionSet::Role::Blocking).interrupt();
  ioWake_.notify_all();
}

void Worker::resumeFetching() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    fetching_ = true;
    drained_ = false;
    ioPoked_ = true;
  }
  ioWake_.notify_all();
}

void Worker::startPoolThreads(std::uint32_t count) {
  for (std::uint32_t i = 0; i < count; ++i) {
    threads_.emplace_back([this] { poolLoop(); });
    ++poolThreads_;
  }
}

void Worker::setConcurrency(std::uint32_t concurrency) {
  concurrency = std::max<std::uint32_t>(concurrency, 1);
  {
    std::lock_guard lock(mutex_);
    if (stopping_ || concurrency == concurrency_) return;
    log::info("worker concurrency changed",
              {{"queue", options_.queue}, {"from", concurrency_}, {"to", concurrency}});
    concurrency_ = concurrency;
    if (poolThreads_ < concurrency_) startPoolThreads(concurrency_ - poolThreads_);
    drained_ = false;
    ioPoked_ = true;
  }
  poolWake_.notify_all();  // surplus threads exit
  ioWake_.notify_all();    // new slots fetch
}

std::uint32_t Worker::concurrency() const {
  std::lock_guard lock(mutex_);
  return concurrency_;
}

std::size_t Worker::runningIn(const InstancePtr& instance) const {
  std::lock_guard lock(mutex_);
  return static_cast<std::size_t>(std::count_if(active_.begin(), active_.end(), [&](const auto& e) {
    return e.second->instance == instance && !e.second->abandoned && !e.second->settling;
  }));
}

std::size_t Worker::requeueRunningIn(const InstancePtr& instance) {
  std::size_t count = 0;
  {
    std::lock_guard lock(mutex_);
    count = requeueWhere([&](const ActiveJob& job) { return job.instance == instance; },
                         "reload deadline");
  }
  ioWake_.notify_all();
  return count;
}

// Cancels the matching running jobs and queues their return to wait (requires mutex_).
std::size_t Worker::requeueWhere(const std::function<bool(const ActiveJob&)>& which,
                                 const std::string& reason) {
  std::size_t count = 0;
  for (auto& [id, job] : active_) {
    if (job->abandoned || job->settling || !which(*job)) continue;
    job->abandoned = true;
    job->cancelReason = reason;
    if (job->context) job->context->cancel(reason);
    Command command;
    command.kind = Command::Kind::requeue;
    command.job = job;
    outbox_.push_back(std::move(command));
    ++count;
  }
  return count;
}

void Worker::rebuildConnections() {
  log::warn("rebuilding the worker's Redis connections", {{"queue", options_.queue}});
  connections_.interruptAll();
  {
    std::lock_guard lock(mutex_);
    drained_ = false;
    ioPoked_ = true;
  }
  ioWake_.notify_all();
  timerWake_.notify_all();
}

std::size_t Worker::close(std::chrono::milliseconds timeout, const std::string& reason) {
  try {
    stopFetching();
  } catch (const std::exception&) {
    // not connected: nothing to interrupt
  }
  std::unique_lock lock(mutex_);
  idle_.wait_for(lock, timeout, [this] { return active_.empty(); });
  const std::size_t givenBack = requeueWhere([](const ActiveJob&) { return true; }, reason);
  ioWake_.notify_all();
  idle_.wait_for(lock, std::chrono::seconds(10), [this] { return active_.empty(); });
  lock.unlock();
  abort();
  return givenBack;
}

void Worker::abort() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_ && threads_.empty()) return;
    stopping_ = true;
    for (auto& [id, job] : active_) {
      if (job->context) job->context->cancel("shutdown");
    }
  }
  ioWake_.notify_all();
  poolWake_.notify_all();
  waiterWake_.notify_all();
  timerWake_.notify_all();
  connections_.interruptAll();
  bool pluginsBusy = false;
  {
    // Plugin calls end soon once cancelled (an inline plugin's at once); no new one starts.
    std::unique_lock lock(mutex_);
    idle_.wait_for(lock, kStopGrace, [this] { return pluginCalls_ == 0; });
    pluginsBusy = pluginCalls_ > 0;
  }
  for (auto& thread : threads_) {
    // A plugin that ignores cancellation cannot be joined; the process is exiting anyway.
    if (pluginsBusy)
      thread.detach();
    else
      thread.join();
  }
  threads_.clear();
  if (pluginsBusy) {
    log::warn("worker stopped with plugin calls still running", {{"queue", options_.queue}});
  }
  connections_.closeAll();
  log::info("worker stopped", {{"queue", options_.queue}});
}

std::uint32_t Worker::openConnections() const {
  std::uint32_t open = 0;
  for (const auto role : {redis::ConnectionSet::Role::Scripts, redis::ConnectionSet::Role::Blocking,
                          redis::ConnectionSet::Role::Events}) {
    if (connections_.isOpen(role)) ++open;
  }
  return open;
}

std::uint32_t Worker::activeJobs() const {
  std::lock_guard lock(mutex_);
  return static_cast<std::uint32_t>(active_.size());
}

WorkerStatus Worker::status() const {
  std::lock_guard lock(mutex_);
  WorkerStatus status = status_;
  status.active = static_cast<std::uint32_t>(active_.size());
  status.fetching = fetching_ && !stopping_;
  return status;
}

std::string Worker::nextToken() {
  return workerId_ + ":" + std::to_string(tokenCounter_++);
}

// The worker's fetch options as the scripts take them: lockMs, limiterMax, limiterDuration, name.
std::vector<std::string> Worker::fetchOptionArgs() const {
  return {std::to_string(options_.lockDurationMs), optionalNumber(options_.limiterMax),
          optionalNumber(options_.limiterDurationMs), options_.name};
}

// Progress, logs, refusals and timeouts. An io thread waiting on a flight's reply is not woken
// for them: they leave with the next batch, which goes when the reply has come.
void Worker::enqueue(Command command) {
  {
    std::lock_guard lock(mutex_);
    if (outbox_.empty()) outboxSince_ = Clock::now();
    outbox_.push_back(std::move(command));
  }
  ioWake_.notify_one();
}

void Worker::noteError(const std::string& what) {
  {
    std::lock_guard lock(mutex_);
    status_.lastError = what;
  }
  log::error("worker error", {{"queue", options_.queue}, {"error", what}});
}

// ---- io thread -------------------------------------------------------------------------------

void Worker::ioLoop() {
  Clock::time_point lastLoss{};
  for (;;) {
    lingerForSettlements();
    try {
      std::lock_guard baton(ioBaton_);
      pumpFlights();
      fetchJobs();
    } catch (const redis::ConnectionError& e) {
      noteError(e.what());
      const auto pause = reconnectPause(lastLoss);
      std::unique_lock lock(mutex_);
      ioWake_.wait_for(lock, pause, [this] { return stopping_; });
    } catch (const std::exception& e) {
      noteError(e.what());
      std::unique_lock lock(mutex_);
      ioWake_.wait_for(lock, std::chrono::seconds(1), [this] { return stopping_; });
    }
    std::unique_lock lock(mutex_);
    if (stopping_) return;
    if (!outbox_.empty()) continue;
    const std::int64_t now = nowMs();
    takeMarker(now);
    const bool freeSlot = fetching_ && slotsUsed_ < concurrency_;
    if (freeSlot && limitUntilMs_ <= now && !drained_) continue;
    if (freeSlot && drained_ && !waitRequested_ && !waiting_ && limitUntilMs_ <= now) {
      lock.unlock();
      requestWait();
      continue;
    }
    auto pause = std::chrono::milliseconds(1000);
    if (limitUntilMs_ > now) {
      pause = std::chrono::milliseconds(std::min<std::int64_t>(limitUntilMs_ - now, 30000));
    }
    ioWake_.wait_for(lock, pause,
                     [this] { return stopping_ || !outbox_.empty() || markerSeen_ || ioPoked_; });
    ioPoked_ = false;
    if (limitUntilMs_ != 0 && limitUntilMs_ <= nowMs()) {
      limitUntilMs_ = 0;
      drained_ = false;
    }
  }
}

// Settlements queued while other jobs of their batch still run wait for those (for half of them
// when a second flight may follow, see sendReady), up to kSettleLinger: one call then carries
// many jobs instead of one per job.
void Worker::lingerForSettlements() {
  std::unique_lock lock(mutex_);
  if (outbox_.empty() || sendReady(true)) return;
  ioWake_.wait_until(lock, outboxSince_ + kSettleLinger,
                     [this] { return outbox_.empty() || sendReady(true); });
}

// A pool thread that just queued its job's settlement sends it itself when the io thread is
// idle: the settlement fetches the successor in the same round trip and this thread runs it
// next, with no hand-off to the io thread and back (two context switches a job at
// concurrency 1). When the io thread is busy it batches the settlement with others.
void Worker::settleHere() {
  std::unique_lock baton(ioBaton_, std::try_to_lock);
  if (!baton.owns_lock()) {
    pokeIo();
    return;
  }
  bool failed = false;
  try {
    flushOutbox();
    fetchJobs();
  } catch (const std::exception& e) {
    noteError(e.what());  // the batch went back to the outbox: the io thread retries it
    failed = true;
  }
  handBackToIo(baton, failed);
}

// Releases the scripts connection after a pool or the waiter thread used it, and wakes the io
// thread when it has something to decide: drained (time to block on the marker), rate limited,
// work queued meanwhile, or a batch (sent by runInline) on the wire.
void Worker::handBackToIo(std::unique_lock<std::mutex>& baton, bool wake) {
  wake = wake || !flights_.empty();
  baton.unlock();
  {
    std::lock_guard lock(mutex_);
    wake = wake || drained_ || limitUntilMs_ > 0 || !outbox_.empty() || !inline_.empty();
  }
  if (wake) pokeIo();
}

// After a blocking wait returned: a marker due now means a job may be waiting (requires mutex_).
void Worker::takeMarker(std::int64_t now) {
  if (!markerSeen_) return;
  markerSeen_ = false;
  if (blockUntilMs_ <= now + 1) drained_ = false;
}

// The waiter fetches right after a marker when the io thread is idle: one hand-off fewer
// between a job's add and its start on an idle queue.
void Worker::fetchAfterWait() {
  std::unique_lock baton(ioBaton_, std::try_to_lock);
  if (!baton.owns_lock()) {
    pokeIo();
    return;
  }
  {
    std::lock_guard lock(mutex_);
    takeMarker(nowMs());
  }
  bool failed = false;
  try {
    fetchJobs();
  } catch (const std::exception& e) {
    noteError(e.what());
    failed = true;
  }
  handBackToIo(baton, failed);
}

void Worker::pokeIo() {
  bool pollWake = false;
  {
    std::lock_guard lock(mutex_);
    ioPoked_ = true;
    pollWake = ioPolling_;
  }
  ioWake_.notify_one();
  if (pollWake) wakeIoPoll();
}

void Worker::requestWait() {
  std::lock_guard lock(mutex_);
  const std::int64_t now = nowMs();
  double timeout = static_cast<double>(std::max<std::int64_t>(options_.drainDelayS, 1));
  if (blockUntilMs_ > 0) {
    const std::int64_t left = blockUntilMs_ - now;
    if (left <= 0) {
      blockUntilMs_ = 0;
      drained_ = false;
      return;
    }
    timeout = std::clamp(static_cast<double>(left) / 1000.0, 0.001, 10.0);
  }
  blockUntilMs_ = 0;  // what the wait pops decides the next one (§4.3)
  waitTimeoutS_ = timeout;
  waitRequested_ = true;
  waiterWake_.notify_one();
}

void Worker::fetchJobs() {
  std::uint32_t count = 0;
  {
    std::lock_guard lock(mutex_);
    if (!fetching_ || stopping_ || drained_ || limitUntilMs_ > nowMs()) return;
    // Settlements waiting in the outbox will fetch their successors in the same round trip.
    const auto settling = static_cast<std::uint32_t>(
        std::count_if(outbox_.begin(), outbox_.end(),
                      [](const Command& c) { return c.kind == Command::Kind::finish; }));
    if (slotsUsed_ + settling >= concurrency_) return;
    count = std::min(concurrency_ - slotsUsed_ - settling, kMaxFetchBatch);
    slotsUsed_ += count;  // reserved; given back for fetches that return nothing
    blockUntilMs_ = 0;
  }
  // One call of the fetch script for all the free slots; it stops at the first empty answer.
  Settlement call;
  call.script = ScriptId::fetch;
  const auto a = fetchOptionArgs();
  call.args = {keys_.base(), std::to_string(nowMs()), a[0], a[1], a[2], a[3]};
  std::vector<std::string> tokens;
  for (std::uint32_t i = 0; i < count; ++i) {
    tokens.push_back(nextToken());
    call.args.push_back(tokens.back());
  }
  redis::Reply reply;
  try {
    reply = runScripts({call}).front();
  } catch (...) {
    std::lock_guard lock(mutex_);
    slotsUsed_ -= count;
    throw;
  }
  {
    std::lock_guard lock(mutex_);
    slotsUsed_ -= count;
    status_.lastFetchMs = nowMs();
  }
  if (!reply.isArray()) {
    handleFetchResult(
        reply.isError() ? reply : redis::Reply::error("ERR fetch script gave no result"),
        tokens.front());
    return;
  }
  const auto& results = reply.elements();
  for (std::size_t i = 0; i < results.size() && i < tokens.size(); ++i) {
    handleFetchResult(results[i], tokens[i]);
  }
  runInline();
}

void Worker::handleFetchResult(const redis::Reply& reply, const std::string& token) {
  if (reply.isError()) {
    noteError("fetch script failed: " + reply.str());
    std::lock_guard lock(mutex_);
    drained_ = true;
    return;
  }
  const auto& parts = reply.elements();
  if (parts.size() < 4) return;
  const std::int64_t now = nowMs();
  if (parts[1].isString()) {
    dispatch(JobRecord::fromHash(parts[1].str(), parts[0]), token);
    return;
  }
  std::lock_guard lock(mutex_);
  if (parts[2].integer() > 0) limitUntilMs_ = now + parts[2].integer();
  if (parts[3].integer() > 0) {
    blockUntilMs_ = blockUntilMs_ > 0 ? std::min<std::int64_t>(blockUntilMs_, parts[3].integer())
                                      : parts[3].integer();
  }
  drained_ = true;
}

void Worker::dispatch(JobRecord record, const std::string& token) {
  auto job = std::make_shared<ActiveJob>();
  job->record = std::move(record);
  job->token = token;
  job->startedMs = nowMs();
  if (options_.timeoutMs > 0) job->deadlineMs = job->startedMs + options_.timeoutMs;
  if (job->record.timestamp > 0) {
    // start − enqueue (for delayed and retried jobs this includes the delay and backoff).
    metrics::registry().observe(*waitMetric_, static_cast<double>(std::max<std::int64_t>(
                                                  job->startedMs - job->record.timestamp, 0)) /
                                                  1000.0);
  }
  {
    std::lock_guard lock(mutex_);
    job->instance = instance_;
    active_[job->record.id] = job;
    slotsUsed_++;
    drained_ = false;
  }
  if (!prepare(job)) return;
  bool wake = false;
  {
    std::lock_guard lock(mutex_);
    if (job->instance->info().resourceClass == WARREN_RESOURCE_INLINE) {
      inline_.push_back(job);  // the fetching thread runs it next (runInline)
      return;
    }
    ready_.push_back(job);
    wake = claimPoolWake();
  }
  if (wake) poolWake_.notify_one();
}

// Jobs are ready and pool threads idle: wake one, unless one is already waking. A woken thread
// wakes the next only if jobs are left when it takes its own, so a batch of short jobs runs on
// the threads already awake instead of waking one thread per job (requires mutex_).
bool Worker::claimPoolWake() {
  if (ready_.empty() || poolIdle_ == 0 || poolWaking_) return false;
  poolWaking_ = true;
  return true;
}

// The checks BullMQ runs between fetch and processing (§4.5). False when the job was settled
// without running the plugin.
bool Worker::prepare(const std::shared_ptr<ActiveJob>& job) {
  const JobRecord& record = job->record;
  if (record.schedulerId && !record.problem) {
    try {
      scheduleNextIteration(record);
    } catch (const std::exception& e) {
      log::error("Failed to add repeatable job for next iteration: " + std::string(e.what()),
                 {{"queue", options_.queue}, {"jobId", record.id}});
    }
  }
  std::optional<std::string> reason;
  if (record.deferredFailure)
    reason = *record.deferredFailure;
  else if (options_.maxStartedAttempts > 0 &&
           options_.maxStartedAttempts < record.attemptsStarted) {
    reason = "job started more than allowable limit";
  } else if (record.problem)
    reason = *record.problem;
  else if (!job->instance->info().handles(record.name)) {
    reason =
        "job name '" + record.name + "' is not handled by plugin " + job->instance->info().name;
  }
  if (!reason) return true;
  {
    std::lock_guard lock(mutex_);
    slotsUsed_--;
  }
  Command command;
  command.job = job;
  command.outcome.outcome = WARREN_JOB_FAILED_UNRECOVERABLE;
  command.outcome.error = *reason;
  enqueue(std::move(command));
  return false;
}

// ---- pool threads ----------------------------------------------------------------------------

void Worker::poolLoop() {
  for (;;) {
    std::shared_ptr<ActiveJob> job;
    bool wakeNext = false;
    {
      std::unique_lock lock(mutex_);
      const auto runnable = [this] {
        return stopping_ || !ready_.empty() || poolThreads_ > concurrency_;
      };
      while (!runnable()) {
        ++poolIdle_;
        poolWake_.wait(lock);
        --poolIdle_;
        poolWaking_ = false;  // whoever wakes takes over the signal, even if it finds no job
      }
      if (stopping_) return;
      if (poolThreads_ > concurrency_ && ready_.empty()) {
        --poolThreads_;  // concurrency was lowered
        return;
      }
      job = ready_.front();
      ready_.pop_front();
      wakeNext = claimPoolWake();
    }
    if (wakeNext) poolWake_.notify_one();
    runJob(job, false);
  }
}

// ---- inline jobs -----------------------------------------------------------------------------

// An inline plugin's jobs run here, on the thread that holds the scripts connection, one after
// another: no hand-off to a pool thread and back. Between two jobs, half of a batch may leave
// (see sendReady) so that Redis runs it while this thread runs the other half.
void Worker::runInline() {
  for (;;) {
    std::shared_ptr<ActiveJob> job;
    {
      std::lock_guard lock(mutex_);
      if (stopping_ || inline_.empty()) return;  // a stop leaves them to the stalled checker
      job = std::move(inline_.front());
      inline_.pop_front();
    }
    runJob(job, true);
    bool send = false;
    {
      std::lock_guard lock(mutex_);
      send = !inline_.empty() && flights_.size() < depth_ && sendReady(flights_.empty());
    }
    Flight flight;
    if (send && takeOutbox(flight)) sendFlight(std::move(flight));
  }
}

void Worker::runJob(const std::shared_ptr<ActiveJob>& job, bool onFetchingThread) {
  const JobRecord& record = job->record;
  plugins::JobInput input{record.id,
                          record.name,
                          options_.queue,
                          record.data,
                          static_cast<std::uint32_t>(record.attemptsMade + 1),
                          job->deadlineMs,
                          record.timestamp};
  // Progress and log lines travel through the io thread, in order with the job's settlement.
  std::weak_ptr<ActiveJob> weak = job;
  const auto sink = [this, weak](Command::Kind kind) {
    return [this, weak, kind](const std::string& text) {
      auto owner = weak.lock();
      if (!owner) return false;
      Command command;
      command.kind = kind;
      command.job = owner;
      command.text = text;
      enqueue(std::move(command));
      return true;
    };
  };
  plugins::JobSinks sinks{sink(Command::Kind::progress), sink(Command::Kind::log), options_.ledger};
  auto context = std::make_shared<plugins::JobContext>(std::move(input), std::move(sinks));
  {
    std::lock_guard lock(mutex_);
    if (stopping_) {  // the stalled checker gives the job back to wait
      slotsUsed_--;
      return;
    }
    job->context = context;
    if (job->abandoned) context->cancel(job->cancelReason);
    ++pluginCalls_;
  }
  plugins::JobOutcome outcome;
  try {
    outcome = job->instance->handle(*context);
  } catch (const std::exception& e) {
    outcome.outcome = WARREN_JOB_FAILED_RETRYABLE;
    outcome.error = std::string("host error while running the plugin: ") + e.what();
  }
  Command command;
  command.job = job;
  bool alone = false;
  bool wakeIo = false;
  bool pollWake = false;
  {
    // Freeing the slot and queueing the settlement are one step, so the io thread never takes
    // the slot for a separate fetch: the settlement fetches the successor in its round trip.
    std::lock_guard lock(mutex_);
    slotsUsed_--;
    if (--pluginCalls_ == 0 && stopping_) idle_.notify_all();
    if (job->abandoned) {
      ioPoked_ = true;  // a slot is free again
      ioWake_.notify_one();
      return;
    }
    if (job->timedOut) {
      outcome.outcome = WARREN_JOB_FAILED_RETRYABLE;
      outcome.error = "timed out after " + std::to_string(options_.timeoutMs) + " ms";
    }
    job->settling = true;
    command.outcome = std::move(outcome);
    if (outbox_.empty()) outboxSince_ = Clock::now();
    // A plugin's own wait leaves a job log line, written before the job moves.
    const bool waits = command.outcome.outcome == WARREN_JOB_DELAYED ||
                       command.outcome.outcome == WARREN_JOB_RATE_LIMITED;
    if (waits) {
      Command line;
      line.kind = Command::Kind::log;
      line.job = job;
      line.text = waitLogLine(command.outcome);
      outbox_.push_back(std::move(line));
    }
    outbox_.push_back(std::move(command));
    if (onFetchingThread) return;
    // Alone (no other job running or settling): send it from here. Under load the io thread
    // batches settlements instead, which costs Redis fewer round trips per job.
    alone = slotsUsed_ == 0 && outbox_.size() == (waits ? 2u : 1u);
    // The io thread lingers while jobs of the batch still run: wake it for the first settlement
    // (it starts the linger), at half of the batch and at the last, not for every one.
    const std::uint32_t running = slotsUsed_ - reservedInFlight_;
    wakeIo = !alone && (outbox_.size() == 1 || running == 0 || outbox_.size() == running);
    // Waiting on a flight's reply, it sends again only once every running job has settled.
    pollWake = ioPolling_ && running == 0;
  }
  if (alone) {
    settleHere();
  } else if (wakeIo) {
    ioWake_.notify_one();
    if (pollWake) wakeIoPoll();
  }
}

// ---- waiter thread ---------------------------------------------------------------------------

void Worker::waitLoop() {
  Clock::time_point lastLoss{};
  for (;;) {
    double timeout = 0;
    {
      std::unique_lock lock(mutex_);
      waiterWake_.wait(lock, [this] { return stopping_ || waitRequested_; });
      if (stopping_) return;
      timeout = waitTimeoutS_;
      waiting_ = true;
    }
    bool failed = false;
    auto pause = std::chrono::milliseconds(1000);
    redis::Reply reply;
    try {
      const auto limit =
          std::chrono::milliseconds(static_cast<std::int64_t>(timeout * 1000) + 1000);
      reply = connections_.blocking().command({"BZPOPMIN", keys_.key("marker"), seconds(timeout)},
                                              limit);
    } catch (const std::exception& e) {
      failed = true;
      if (dynamic_cast<const redis::ConnectionError*>(&e) != nullptr)
        pause = reconnectPause(lastLoss);
      std::lock_guard lock(mutex_);
      if (fetching_ && !stopping_) status_.lastError = e.what();
    }
    {
      std::lock_guard lock(mutex_);
      waiting_ = false;
      waitRequested_ = false;
      markerSeen_ = true;
      status_.lastWaitMs = nowMs();
      if (reply.isArray() && reply.elements().size() == 3) {
        // Score 0: a job may be ready. Otherwise the time the next delayed job is due.
        blockUntilMs_ = static_cast<std::int64_t>(std::stod(reply.elements()[2].str()));
      }
    }
    if (failed)
      pokeIo();
    else
      fetchAfterWait();
    if (failed) {
      std::unique_lock lock(mutex_);
      waiterWake_.wait_for(lock, pause, [this] { return stopping_; });
    }
  }
}

}  // namespace warren::queue
