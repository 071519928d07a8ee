// Adding jobs to a BullMQ queue, as Node's Queue.add / addBulk do (fact sheet §2, §3, §4.2.11),
// and reading a queue the way Queue.getJobCounts / getJob do (§4.1). Jobs are added with
// Warren's own add script (host/queue/lua/add.lua), so Node workers, QueueEvents and Bull Board
// see them exactly as jobs added from Node.
//
// One Producer uses one Redis connection, from one thread at a time.
#pragma once

#include "queue/Keys.h"
#include "redis/Connection.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace warren::queue {

// The highest job priority (2^21 - 1, BullMQ's PRIORITY_LIMIT).
constexpr std::int64_t kPriorityLimit = 2097151;
// What a producer writes into meta.version: the BullMQ protocol level it implements (§6.1).
constexpr const char* kProducerVersion = "bullmq:6.2.0";
// meta.opts.maxLenEvents written when the queue has none (BullMQ's default).
constexpr std::int64_t kDefaultMaxLenEvents = 10000;

// One job to add: its name, its data (JSON object text) and its options (JSON object text with
// bullmq's public JobsOptions names: jobId, delay, priority, lifo, attempts, backoff,
// removeOnComplete, removeOnFail, keepLogs, stackTraceLimit, sizeLimit, deduplication,
// timestamp, parent ({id, queue: "<prefix>:<queue>"}, to add a child to an existing flow
// parent), failParentOnFailure, continueParentOnFailure, ignoreDependencyOnFailure,
// removeDependencyOnFailure, telemetry).
struct JobSpec {
  std::string name;
  std::string dataJson = "{}";
  std::string optsJson = "{}";
};

// A validated job in the form the add script takes.
struct PreparedJob {
  std::string customId;  // empty: the id comes from the queue's counter
  std::string name;
  std::int64_t timestamp = 0;
  std::string data;        // the data JSON text as given (surrounding white space trimmed)
  std::string storedOpts;  // JSON object text with the stored (short) option names (§2.2)
  // With a parent: its job key, the child's `parent` field ({"id","queueKey", flags}) and the
  // parent's dependencies set (§8.1); empty otherwise.
  std::string parentKey;
  std::string parentJson;
  std::string parentDependencies;
};

// Adding a child to a parent job that does not exist (BullMQ's -5).
class ParentMissing : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Validates like Queue.add (throws std::invalid_argument with a readable message; BullMQ's own
// text where BullMQ has one) and converts the options to their stored form: short keys, numeric
// backoff normalised to {"type":"fixed","delay":n}, `attempts` always present (default 0).
// `nowMs` is the job's timestamp unless the options give one.
PreparedJob prepareJob(const JobSpec& spec, std::int64_t nowMs);
// The same, with the wall clock's now (ms since the epoch, the clock of job timestamps, §0).
PreparedJob prepareJob(const JobSpec& spec);

// Stored options (short keys) back to bullmq's public names, as Node's Job.opts shows them.
std::string publicOptions(const std::string& storedOpts);

// Queue.getJobCounts() of BullMQ 6.x. `waiting` also counts the legacy (≤ 5.x) paused list;
// a legacy "0:..." marker at the consuming end of a list is not counted.
struct JobCounts {
  std::int64_t waiting = 0;
  std::int64_t active = 0;
  std::int64_t completed = 0;
  std::int64_t failed = 0;
  std::int64_t delayed = 0;
  std::int64_t prioritized = 0;
  std::int64_t waitingChildren = 0;
};

// A job as Queue.getJob decodes it (§2.3), plus its state (getState, §4.1).
struct JobView {
  std::string id;
  // completed, failed, delayed, prioritized, active, waiting, waiting-children or unknown.
  std::string state;
  std::string name;
  std::string data = "{}";                 // JSON text
  std::string opts = "{}";                 // JSON text with the public option names
  std::string progress = "0";              // JSON text
  std::optional<std::string> returnvalue;  // JSON text
  std::optional<std::string> failedReason;
  std::string stacktrace = "[]";  // JSON array text
  std::int64_t timestamp = 0;
  std::int64_t delay = 0;
  std::int64_t priority = 0;
  std::int64_t attemptsMade = 0;  // atm, or the legacy attemptsMade
  std::int64_t attemptsStarted = 0;
  std::int64_t stalledCounter = 0;
  std::optional<std::int64_t> processedOn;
  std::optional<std::int64_t> finishedOn;
  std::optional<std::string> parentKey;
  std::optional<std::string> parent;  // JSON text
  std::optional<std::string> deduplicationId;
  std::optional<std::string> repeatJobKey;
  std::optional<std::string> processedBy;
  std::optional<std::string> deferredFailure;
};

class Producer {
 public:
  // Uses `connection`, which must outlive the Producer.
  Producer(redis::Connection& connection, std::string prefix, std::string queue);
  // Opens its own connection.
  Producer(const redis::Url& url, const redis::ConnectionOptions& options, std::string prefix,
           std::string queue);
  ~Producer();
  Producer(const Producer&) = delete;
  Producer& operator=(const Producer&) = delete;

  // Adds one job and returns its id. When the custom id exists already, nothing is stored and
  // the existing id is returned (a `duplicated` event is written); when the deduplication id is
  // taken, the owning job's id is returned (a `deduplicated` event is written).
  // Throws std::invalid_argument for refused input, std::runtime_error when Redis refuses.
  std::string add(const std::string& name, const std::string& dataJson,
                  const std::string& optsJson);
  std::string add(const PreparedJob& job);
  // Validates every job first (nothing is added if one is refused), then adds them in one
  // pipeline (not atomic as a whole, like Queue.addBulk). Returns the ids in order.
  std::vector<std::string> addBulk(const std::vector<JobSpec>& jobs);

  // Queue.upsertJobScheduler(id, repeat, template): creates or updates the job scheduler `id`
  // and its next iteration (fact sheet §9.1). `repeatJson` takes BullMQ's RepeatOptions: every
  // (ms) or pattern (cron, with tz), limit, startDate and endDate (ms since the epoch), offset,
  // immediately; `templateJson` {name, data, opts} (name defaults to the id; opts as for add,
  // without jobId, delay, timestamp, deduplication or parent). Returns the iteration's job id,
  // or nothing when the scheduler has no run left (endDate passed, no cron occurrence).
  // Throws std::invalid_argument for refused input, std::runtime_error when Redis refuses.
  std::optional<std::string> upsertJobScheduler(const std::string& schedulerId,
                                                const std::string& repeatJson,
                                                const std::string& templateJson);

  JobCounts getJobCounts();
  // Nothing when the job hash does not exist.
  std::optional<JobView> getJob(const std::string& id);

  const Keys& keys() const { return keys_; }
  redis::Connection& connection() { return *connection_; }

 private:
  void writeMetaOnce();
  std::string idFrom(const redis::Reply& reply) const;

  std::unique_ptr<redis::Connection> owned_;
  redis::Connection* connection_;
  Keys keys_;
  bool metaWritten_ = false;
};

}  // namespace warren::queue
