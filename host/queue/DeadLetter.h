// Dead letters (queue.NAME.dead_letter; docs/reliability.md): a job that failed for good leaves a
// copy of itself, as an ordinary BullMQ job, in the queue's dead-letter queue. This is the layout
// of such a job's data, and how a replay reads it back.
//
// A dead letter is named as the failed job; its data is a JSON object:
//   queue, jobId, name      the failed job: its queue (same prefix), id and name
//   data                    its data (JSON), or dataText (a string) when it was not valid JSON
//   opts                    its stored options (JSON object, BullMQ's short keys), or optsText
//   failedReason, stacktrace  as the failed job shows them
//   attemptsMade, attemptsStarted, timestamp (the job's creation), failedOn (ms since the epoch)
//   processedBy             the worker that failed it, when named
#pragma once

#include "queue/JobRecord.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace warren::queue {

struct FinalFailure {
  std::string queue;         // the failed job's queue
  std::string failedReason;  // as the job's failedReason field gets it
  std::string stacktrace;    // JSON array text, as the job's stacktrace field gets it
  std::int64_t failedOnMs = 0;
  std::string processedBy;  // the worker's name; empty: none
};

// The dead letter's data for `job` (as fetched: attemptsMade before this failure).
std::string deadLetterData(const JobRecord& job, const FinalFailure& failure);

// A dead letter read back from its queue.
struct DeadLetter {
  std::string id;     // in the dead-letter queue
  std::string state;  // there (getState's names)
  std::string queue;  // the original job's
  std::string jobId;
  std::string name;
  std::string data;  // JSON text of the original data, or the original text (dataIsText)
  bool dataIsText = false;
  std::string opts = "{}";  // stored options (JSON object text)
  std::string failedReason;
  std::string stacktrace = "[]";
  std::int64_t attemptsMade = 0;
  std::int64_t attemptsStarted = 0;
  std::int64_t timestamp = 0;
  std::int64_t failedOnMs = 0;
  std::string processedBy;
};

// Reads a dead letter's data; nullopt when the data is not a dead letter (another job in the
// dead-letter queue, or data that is not valid JSON).
std::optional<DeadLetter> readDeadLetter(std::string_view data);

// The stored options a replayed job keeps: attempts, backoff, priority, lifo, removeOnComplete,
// removeOnFail, keepLogs (kl), stackTraceLimit, sizeLimit, jobId. The others describe the first
// run's circumstances (delay, timestamp, deduplication, parent and its flags, scheduler fields,
// telemetry) and are dropped. Not an object: "{}".
std::string replayOptions(std::string_view storedOpts);

}  // namespace warren::queue
