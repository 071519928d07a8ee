// The health model behind /health, independent of the classes it watches: named checks, each a
// function returning {healthy, error text}, and a ready-made check that a queue worker is still
// consuming (its fetch loop and lock renewal ran recently), not merely alive.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace warren::http {

struct CheckResult {
  bool healthy = true;
  std::string error;   // why not, when unhealthy
  std::string detail;  // a JSON object shown with the check either way (e.g. the Redis master)

  CheckResult() = default;
  CheckResult(bool isHealthy, std::string why, std::string json = {})
      : healthy(isHealthy), error(std::move(why)), detail(std::move(json)) {}

  static CheckResult ok() { return {}; }
  static CheckResult failed(std::string error) { return {false, std::move(error)}; }
};

// A check should answer within a second or two (use command timeouts): /health runs the checks
// one after the other on each request.
using Check = std::function<CheckResult()>;

// Named checks, reported in the order they were first added. Thread-safe.
class Health {
 public:
  struct Entry {
    std::string name;
    CheckResult result;
    bool critical = true;
  };
  struct Report {
    bool healthy = true;  // every critical check healthy (also when there are none)
    std::vector<Entry> checks;
  };

  // Adds a check, or replaces the one of that name (which keeps its place). A check that is not
  // critical is reported but does not make the whole node unhealthy (e.g. a refused reload:
  // the previous plugin generation still serves).
  void add(const std::string& name, Check check, bool critical = true);
  bool remove(const std::string& name);
  std::vector<std::string> names() const;

  // Runs every check (outside the lock). A check that throws is unhealthy with the exception's
  // text; an unknown name is unhealthy ("no check named ...").
  Report run() const;
  CheckResult run(const std::string& name) const;

 private:
  mutable std::mutex mutex_;
  struct Registered {
    std::string name;
    std::shared_ptr<const Check> check;
    bool critical = true;
  };
  std::vector<Registered> checks_;
};

// What the consumption check needs to know about one queue worker: the timestamps of
// queue::WorkerStatus (milliseconds since the Unix epoch; 0 = never) and how busy it is.
struct ConsumptionSample {
  std::int64_t lastFetchMs = 0;    // last fetch or finish round trip with Redis
  std::int64_t lastWaitMs = 0;     // last return of the blocking wait (informational)
  std::int64_t lastRenewalMs = 0;  // last lock renewal round (or idle timer tick)
  std::uint32_t active = 0;        // jobs running
  std::uint32_t concurrency = 1;   // slots; with all of them busy the worker does not fetch
  bool fetching = true;            // false once told to stop fetching (draining)
  std::string lastError;
};

// The periods the worker's loops promise, from its options, plus a margin for scheduling and
// round trips.
struct ConsumptionLimits {
  std::int64_t drainDelayS = 5;          // the idle blocking wait returns at least this often
  std::int64_t lockRenewTimeMs = 15000;  // locks are renewed every lockRenewTime / 2
  std::int64_t limiterDurationMs = 0;    // a rate-limited worker may pause this long
  std::int64_t marginMs = 5000;

  // When a slot is free, a fetch (or finish) round trip must have happened within this: the
  // wait wakes every drainDelay s when idle (at most 10 s when a delayed job is due), and a
  // fetch follows each wake.
  std::int64_t fetchAllowanceMs() const;
  // While jobs run, a lock renewal round must have happened within this (two renewal periods).
  std::int64_t renewalAllowanceMs() const;
};

// Is this worker consuming? Healthy unless a slot is free (and fetching is on) and the last
// fetch is older than fetchAllowanceMs(), or jobs are running and the last lock renewal is older
// than renewalAllowanceMs(); then the error says which loop is late, by how much, and the
// worker's last error. Timestamps older than the check's creation (or its last reset()) count
// from then, so a fresh worker or a rebuilt one gets a full period. Thread-safe.
//
// For a watchdog: unhealthyFor(d) is true once the check has failed continuously for at least d
// (each call evaluates the check).
class ConsumptionCheck {
 public:
  using Sampler = std::function<ConsumptionSample()>;
  using Clock = std::function<std::int64_t()>;  // ms since the Unix epoch

  ConsumptionCheck(std::string queue, Sampler sampler, ConsumptionLimits limits, Clock clock = {});

  CheckResult evaluate();
  CheckResult operator()() { return evaluate(); }
  // How long the check has failed without a healthy evaluation in between; nullopt when healthy.
  std::optional<std::chrono::milliseconds> unhealthyDuration();
  bool unhealthyFor(std::chrono::milliseconds duration) {
    const auto failing = unhealthyDuration();
    return failing && *failing >= duration;
  }
  // After the watchdog rebuilt the worker's connections: count from now again.
  void reset();

  const std::string& queue() const { return queue_; }
  const ConsumptionLimits& limits() const { return limits_; }

  // Pure evaluation, for tests and callers with their own state: `sinceMs` is the earliest time
  // the loops are judged from (creation or reset).
  static CheckResult judge(const std::string& queue, const ConsumptionSample& sample,
                           const ConsumptionLimits& limits, std::int64_t nowMs,
                           std::int64_t sinceMs);

 private:
  const std::string queue_;
  const Sampler sampler_;
  const ConsumptionLimits limits_;
  const Clock clock_;
  std::mutex mutex_;
  std::int64_t sinceMs_;
  std::optional<std::int64_t> unhealthySinceMs_;  // nullopt: healthy at the last evaluation
};

// A Check (for Health::add) that evaluates a shared ConsumptionCheck.
Check asCheck(std::shared_ptr<ConsumptionCheck> check);

std::int64_t epochMs();

// Adapters for queue::WorkerStatus and queue::WorkerOptions (or anything with those field
// names), so this library need not link the queue engine.
template <typename Status>
ConsumptionSample sampleOf(const Status& status, std::uint32_t concurrency, bool fetching = true) {
  ConsumptionSample s;
  s.lastFetchMs = status.lastFetchMs;
  s.lastWaitMs = status.lastWaitMs;
  s.lastRenewalMs = status.lastRenewalMs;
  s.active = status.active;
  s.concurrency = concurrency;
  s.fetching = fetching;
  s.lastError = status.lastError;
  return s;
}

template <typename Options>
ConsumptionLimits limitsOf(const Options& options, std::int64_t marginMs = 5000) {
  ConsumptionLimits l;
  l.drainDelayS = options.drainDelayS;
  l.lockRenewTimeMs = options.lockRenewTimeMs;
  l.limiterDurationMs = options.limiterMax > 0 ? options.limiterDurationMs : 0;
  l.marginMs = marginMs;
  return l;
}

}  // namespace warren::http
