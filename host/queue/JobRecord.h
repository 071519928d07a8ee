// A job as read from its hash (fact sheet §2), with the options the worker acts on.
#pragma once

#include "redis/Reply.h"

#include <cstdint>
#include <optional>
#include <string>

namespace warren::queue {

struct Backoff {
  std::string type;  // "fixed", "exponential", or a custom name
  std::int64_t delayMs = 0;
  double jitter = 0;  // 0..1
};

// Retention of a finished job (§4.10): count -1 keeps all, 0 deletes at once.
struct KeepJobs {
  std::int64_t count = -1;
  std::int64_t ageSeconds = -1;  // -1: no age limit
  std::int64_t limit = 0;        // 0: BullMQ's default batch (1000)
};

struct JobOptions {
  std::int64_t attempts = 0;
  std::optional<Backoff> backoff;
  bool lifo = false;
  std::optional<std::string> removeOnComplete;  // the option's JSON text
  std::optional<std::string> removeOnFail;
  std::optional<std::int64_t> keepLogs;
  std::optional<std::int64_t> stackTraceLimit;
};

struct JobRecord {
  std::string id;
  std::string name;
  std::string data = "{}";  // JSON text
  std::string optsJson = "{}";
  std::int64_t timestamp = 0;
  std::int64_t priority = 0;
  std::int64_t attemptsMade = 0;  // atm, or the legacy attemptsMade
  std::int64_t attemptsStarted = 0;
  std::string stacktrace;                      // JSON array text, or empty
  std::optional<std::string> deferredFailure;  // defa
  std::optional<std::string> schedulerId;      // rjk
  // warren-cancel: a cancel request that reached the job while it was active (cancel.lua); a
  // job fetched with it fails as cancelled without running.
  std::optional<std::string> cancelReason;
  JobOptions opts;
  // Set when the hash cannot be processed (invalid JSON, malformed fields): the reason the job
  // fails with, without running the plugin.
  std::optional<std::string> problem;

  // From HGETALL's flat field/value array.
  static JobRecord fromHash(std::string id, const redis::Reply& fields);
};

// The keepJobs of a finished job: the job's option (JSON text) if set, else the worker's
// default (JSON text, may be empty).
KeepJobs keepJobs(const std::optional<std::string>& jobOption, const std::string& workerDefault);

// Backoff delay for the n-th failure (n = attemptsMade + 1), §4.8.1. `random` is in [0, 1).
// Returns nothing for a backoff type the host does not know.
std::optional<std::int64_t> backoffDelay(const Backoff& backoff, std::int64_t n, double random);

// The stacktrace array after one more failure, as BullMQ keeps it (§4.8.1 step 4).
std::string appendStacktrace(const std::string& stored, const std::string& entry,
                             const std::optional<std::int64_t>& limit);

}  // namespace warren::queue
