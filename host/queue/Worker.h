// A BullMQ-compatible worker for one queue (fact sheet §4): takes jobs, runs them in a plugin,
// writes the results back exactly as a BullMQ worker would.
//
// Threads, and why:
//   io      owns the scripts connection: fetches, finishes, progress and logs, batched in
//           pipelines so that one round trip carries many jobs' effects, and the finishes of
//           a batch in one script call; it lingers (up to 1 ms) while the batch's other jobs
//           still run (a pool thread that finishes a job while the io thread is idle settles
//           it itself: see settleHere);
//   waiter  owns the blocking connection (named so getWorkers() sees us) and blocks on the
//           marker while the queue is drained;
//   timer   owns the events connection: lock renewal, the stalled checker and job timeouts,
//           so that a busy io thread or a blocking plugin never lets a lock expire;
//   pool    `concurrency` threads that run the plugin's handle(), except for an inline plugin
//           (WARREN_RESOURCE_INLINE): its jobs run on the thread that fetched them, one after
//           another, with no hand-off (see runInline).
#pragma once

#include "metrics/Registry.h"
#include "plugins/Instance.h"
#include "queue/JobRecord.h"
#include "queue/Keys.h"
#include "redis/Pool.h"

#include <atomic>
#include <bitset>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

namespace warren::queue {

struct WorkerOptions {
  std::string prefix = "bull";
  std::string queue;
  std::string name;  // worker name: the job's processedBy and the client name suffix
  std::uint32_t concurrency = 1;
  std::int64_t lockDurationMs = 30000;
  std::int64_t lockRenewTimeMs = 15000;
  std::int64_t stalledIntervalMs = 30000;
  std::int64_t maxStalledCount = 1;
  std::int64_t maxStartedAttempts = 0;  // 0: no limit
  std::int64_t drainDelayS = 5;
  std::int64_t limiterMax = 0;
  std::int64_t limiterDurationMs = 0;
  std::int64_t timeoutMs = 0;    // per job; 0: none
  std::string removeOnComplete;  // worker default (JSON), empty: keep
  std::string removeOnFail;
  std::int64_t metricsPoints = 0;
  std::shared_ptr<plugins::OnceLedger> ledger;  // plugins' once(); NULL: none
};

// Health of the consuming loops, for /health and the watchdog.
struct WorkerStatus {
  std::int64_t lastFetchMs = 0;    // last time the io thread talked to Redis successfully
  std::int64_t lastWaitMs = 0;     // last time a blocking wait returned
  std::int64_t lastRenewalMs = 0;  // last lock renewal round (or idle tick)
  std::uint32_t active = 0;        // jobs running
  std::uint64_t processed = 0;
  std::uint64_t failed = 0;
  bool fetching = true;  // false once stopFetching/close began
  std::string lastError;
};

class Worker {
 public:
  using InstancePtr = std::shared_ptr<plugins::Instance>;

  Worker(WorkerOptions options, redis::Url url, redis::ConnectionOptions connection,
         InstancePtr instance);
  ~Worker();
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  void start();
  // Routes jobs fetched from now on to `instance` (a new generation); running jobs keep theirs.
  void setInstance(InstancePtr instance);
  // Stops taking new jobs; running jobs go on.
  void stopFetching();
  // Takes jobs again after stopFetching (a drain undone).
  void resumeFetching();
  // Changes the number of job slots while running: more pool threads start at once; when
  // lowered, running jobs finish and the surplus threads then exit.
  void setConcurrency(std::uint32_t concurrency);
  std::uint32_t concurrency() const;
  // Jobs running (not yet settling) in `instance`, e.g. an older plugin generation.
  std::size_t runningIn(const InstancePtr& instance) const;
  // Cancels the jobs running in `instance` ("reload deadline") and gives them back to wait
  // (their plugin calls' results are then ignored); the current generation picks them up.
  // Returns how many.
  std::size_t requeueRunningIn(const InstancePtr& instance);
  // Watchdog: drops the worker's Redis connections (a blocked wait on a dead socket ends) so
  // that each loop reconnects on its next command.
  void rebuildConnections();
  // Graceful close: stop fetching, wait up to `timeout` for running jobs, then cancel the rest
  // (the plugin's cancel_reason is `reason`) and give them back to wait. Returns the number of
  // jobs given back.
  std::size_t close(std::chrono::milliseconds timeout, const std::string& reason = "shutdown");
  // Immediate stop without touching Redis (the stalled checker recovers running jobs).
  void abort();

  std::uint32_t activeJobs() const;
  std::uint32_t openConnections() const;  // of its three (scripts, blocking, events)
  WorkerStatus status() const;
  const WorkerOptions& options() const { return options_; }

 private:
  struct ActiveJob;
  struct Command;
  using Clock = std::chrono::steady_clock;

  // io thread
  void ioLoop();
  void lingerForSettlements();
  void settleHere();
  void handBackToIo(std::unique_lock<std::mutex>& baton, bool wake);
  void takeMarker(std::int64_t now);
  void pokeIo();
  void flushOutbox();
  void fetchJobs();
  void handleFetchResult(const redis::Reply& reply, const std::string& token);
  void dispatch(JobRecord record, const std::string& token);
  bool prepare(const std::shared_ptr<ActiveJob>& job);
  void scheduleNextIteration(const JobRecord& record);
  struct Settlement;
  Settlement settle(const Command& command, bool fetchNext, const std::string& token,
                    const std::string& now);
  void waitAgain(Settlement& s, const Command& command, bool fetchNext, const std::string& token,
                 const std::string& now) const;
  std::vector<redis::Reply> runScripts(const std::vector<Settlement>& calls);
  std::vector<std::string> finishHead(const std::string& now) const;
  // Batches on the wire (WorkerFlights.cpp); ioBaton_ holders only.
  struct Flight;
  void pumpFlights();
  bool takeOutbox(Flight& flight);
  void groupSettlements(Flight& flight, const std::string& now) const;
  void sendFlight(Flight flight);
  bool sendReady(bool nothingInFlight) const;  // requires mutex_
  bool awaitReplyOrWork(redis::Connection& connection);
  void receiveFlights();
  void completeFlight();
  void retryMissing(const std::vector<Settlement>& calls, std::vector<redis::Reply>& replies);
  void retryRedirected(const std::vector<Settlement>& calls, std::vector<redis::Reply>& replies);
  void requeueFlights(std::vector<Flight>& lost);
  redis::Connection& scriptsConnection();
  redis::ScriptMode prepareScripts(redis::Connection& connection,
                                   const std::vector<Settlement>& calls);
  void wakeIoPoll();
  void handleReply(const Command& command, const Settlement& call, const redis::Reply& reply,
                   const std::string& token);
  void settled(const Command& command, const std::string& status);
  void requestWait();

  // waiter thread
  void waitLoop();
  void fetchAfterWait();
  // timer thread
  void timerLoop();
  void renewLocks();
  void checkStalled();
  void enforceTimeouts();
  // pool threads
  void poolLoop();
  void startPoolThreads(std::uint32_t count);  // requires mutex_
  std::size_t requeueWhere(const std::function<bool(const ActiveJob&)>& which,
                           const std::string& reason);  // requires mutex_
  // Runs the plugin and queues the settlement; `onFetchingThread`: an inline plugin's job, run
  // by the ioBaton_ holder, which sends the settlement itself.
  void runJob(const std::shared_ptr<ActiveJob>& job, bool onFetchingThread);
  void runInline();      // ioBaton_ holders only
  bool claimPoolWake();  // requires mutex_
  void countJob(const std::string& status, double seconds);
  metrics::Registry::CounterRef processedCounter(const std::string& status);
  void declareSeries();  // by start(): the metric references below are set from then on

  void enqueue(Command command);
  std::string nextToken();
  std::vector<std::string> fetchOptionArgs() const;
  void noteError(const std::string& what);

  WorkerOptions options_;
  Keys keys_;
  redis::ConnectionSet connections_;
  std::string workerId_;  // random per start: lock tokens are <workerId>:<n>
  std::atomic<std::uint64_t> tokenCounter_{0};

  mutable std::mutex mutex_;
  // Held while talking on the scripts connection (pumpFlights, flushOutbox, fetchJobs): by the
  // io thread, or by a pool thread settling its own job (settleHere).
  std::mutex ioBaton_;
  std::condition_variable ioWake_;
  std::condition_variable poolWake_;
  std::condition_variable waiterWake_;
  std::condition_variable timerWake_;
  std::condition_variable idle_;

  InstancePtr instance_;
  std::map<std::string, std::shared_ptr<ActiveJob>> active_;  // by job id
  std::deque<Command> outbox_;
  Clock::time_point outboxSince_;  // when the outbox last went from empty to not empty
  std::deque<std::shared_ptr<ActiveJob>> ready_;   // fetched, waiting for a pool thread
  std::deque<std::shared_ptr<ActiveJob>> inline_;  // fetched for an inline plugin (runInline)
  std::uint32_t slotsUsed_ = 0;
  std::uint32_t concurrency_ = 1;  // live job slots (options_.concurrency is the starting value)
  std::uint32_t poolThreads_ = 0;  // running pool threads; above concurrency_ they exit
  std::uint32_t poolIdle_ = 0;     // pool threads waiting for a job
  std::uint32_t pluginCalls_ = 0;  // plugin calls under way (a stop cannot join their threads)
  bool poolWaking_ = false;        // one idle pool thread has been signalled and not yet woken
  bool drained_ = false;
  bool waitRequested_ = false;
  bool waiting_ = false;
  bool markerSeen_ = false;
  bool ioPoked_ = false;  // a pool thread changed what the io thread should do next
  double waitTimeoutS_ = 0;
  std::int64_t blockUntilMs_ = 0;
  std::int64_t limitUntilMs_ = 0;
  bool fetching_ = true;
  bool stopping_ = false;
  WorkerStatus status_;
  std::mt19937_64 random_{std::random_device{}()};
  std::bitset<16> scriptsLoaded_;       // by ScriptId, on the scripts connection (io thread only)
  std::vector<Flight> flights_;         // sent, not yet handled (ioBaton_ holders only)
  std::uint32_t reservedInFlight_ = 0;  // job slots the flights hold for fetched successors
  bool ioPolling_ = false;              // the io thread waits for a reply and for wakeFd_
  int wakeFd_ = -1;        // eventfd: new outbox work while the io thread waits for a reply
  std::size_t depth_ = 2;  // flights on the wire at most
  // Per-job metrics, resolved on first use (ioBaton_ holders only).
  std::optional<metrics::Registry::HistogramRef> waitMetric_;
  std::optional<metrics::Registry::HistogramRef> durationMetric_;
  std::map<std::string, metrics::Registry::CounterRef> processedMetric_;  // by status

  std::vector<std::thread> threads_;
};

std::int64_t nowMs();

}  // namespace warren::queue
