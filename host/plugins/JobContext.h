// The host side of one job handed to a plugin: what `warren_job*` points at.
#pragma once

#include <warren/plugin.h>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace warren::plugins {

struct JobInput {
  std::string id;
  std::string name;
  std::string queue;
  std::string data = "{}";  // JSON text
  std::uint32_t attempt = 1;
  std::int64_t deadlineMs = 0;
  std::int64_t timestamp = 0;  // the job's creation time (BullMQ's timestamp field)
};

// The idempotency ledger behind once_get / once_put (ABI 1.2): what a job recorded, kept across
// its runs (retries, stalls, crashes). The queue engine provides it.
class OnceLedger {
 public:
  virtual ~OnceLedger() = default;
  // What `job` recorded under `key`, or nullopt. Throws std::runtime_error when the ledger
  // cannot be reached.
  virtual std::optional<std::string> get(const JobInput& job, std::string_view key) = 0;
  // Records `valueJson` under `key` for `ttlSeconds` at least. Throws std::runtime_error.
  virtual void put(const JobInput& job, std::string_view key, std::string_view valueJson,
                   std::uint32_t ttlSeconds) = 0;
};

// Where what the plugin reports while handling the job goes. The callbacks run on the plugin's
// thread; they return false to refuse (the plugin then sees WARREN_ERR_UNAVAILABLE).
struct JobSinks {
  std::function<bool(const std::string& json)> progress;
  std::function<bool(const std::string& line)> log;
  std::shared_ptr<OnceLedger> ledger;  // NULL: the plugin's once() calls get UNAVAILABLE
};

struct JobOutcome {
  warren_job_outcome outcome = WARREN_JOB_FAILED_RETRYABLE;
  std::string result = "null";  // JSON, for completed
  std::string error;            // message, for failed; the reason (maybe empty) for delayed and
                                // rate limited
  std::int64_t retryAtMs = 0;   // delayed, rate limited: when to try again (epoch ms, >= now)
};

// The longest wait a delayed or rate-limited outcome may ask for; beyond it the host fails the
// job (retryably) instead: a time that far ahead is a plugin's bug, not a plan.
constexpr std::int64_t kMaxRetryWaitMs = 30LL * 24 * 3600 * 1000;

// "2026-12-07T23:10:00.000Z" (UTC, milliseconds), as job log lines show times.
std::string isoTime(std::int64_t epochMs);

class JobContext {
 public:
  JobContext(JobInput input, JobSinks sinks) : input_(std::move(input)), sinks_(std::move(sinks)) {}

  const JobInput& input() const { return input_; }
  const JobSinks& sinks() const { return sinks_; }

  // Asks the plugin to stop, saying why ("shutdown", "timeout", "reload deadline"...); wakes
  // any wait_cancelled. Callable from any thread; the first reason given stays.
  void cancel(const std::string& reason);
  bool cancelled() const { return cancelled_.load(); }
  // The reason given to cancel, or "" before. The text stays valid while the context lives.
  const char* cancelReason() const;
  // Returns true as soon as cancelled, false after `timeoutMs`.
  bool waitCancelled(std::uint32_t timeoutMs);

  void setResult(std::string json);
  void setError(std::string message);
  void setRetryAt(std::int64_t epochMs);
  std::string result() const;
  std::optional<std::string> error() const;
  std::optional<std::int64_t> retryAt() const;

 private:
  JobInput input_;
  JobSinks sinks_;
  std::atomic<bool> cancelled_{false};
  mutable std::mutex mutex_;
  std::condition_variable cancelSignal_;
  std::string result_ = "null";
  std::optional<std::string> error_;
  std::optional<std::int64_t> retryAt_;
  std::optional<std::string> cancelReason_;  // set once
};

}  // namespace warren::plugins

// The opaque handle of the C ABI is the host's JobContext.
struct warren_job {
  warren::plugins::JobContext* context;
};
