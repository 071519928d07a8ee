// Job hash decoding (host/queue/JobRecord) on HGETALL replies as any BullMQ producer, a broken
// client or a hand-edited key may leave them: the input's NUL-separated parts are the field /
// value pairs.
// Holds: decoding never throws (a bad hash is a `problem` the job fails with); data accepted
// without a problem is JSON; the worker's uses of the options (retention, backoff, stacktrace)
// do not throw and give JSON; the options read from the members' texts (the fast path) equal
// those read through the JSON parser (forced here by one extra member with an escaped key).
#include "Fuzz.h"

#include "json/Json.h"
#include "queue/JobRecord.h"
#include "redis/Reply.h"

#include <limits>

namespace {

using warren::fuzz::check;
using warren::queue::JobRecord;
using warren::redis::Reply;

JobRecord decode(const std::vector<std::string>& parts) {
  std::vector<Reply> fields;
  fields.reserve(parts.size());
  for (const auto& part : parts) fields.push_back(Reply::string(part));
  return JobRecord::fromHash("1", Reply::array(std::move(fields)));
}

// The same options with one more member, whose escaped key makes the reader take the parser.
std::string throughParser(const std::string& opts) {
  const auto close = opts.find_last_not_of(" \t\r\n");
  const auto members = warren::json::objectMembers(opts);
  const std::string extra = R"("\u0078":0)";
  return opts.substr(0, close) + (members->empty() ? "" : ",") + extra + "}";
}

bool sameOptions(const warren::queue::JobOptions& a, const warren::queue::JobOptions& b) {
  const bool sameBackoff = a.backoff.has_value() == b.backoff.has_value() &&
                           (!a.backoff || (a.backoff->type == b.backoff->type &&
                                           a.backoff->delayMs == b.backoff->delayMs &&
                                           a.backoff->jitter == b.backoff->jitter));
  return a.attempts == b.attempts && sameBackoff && a.lifo == b.lifo &&
         a.removeOnComplete == b.removeOnComplete && a.removeOnFail == b.removeOnFail &&
         a.keepLogs == b.keepLogs && a.stackTraceLimit == b.stackTraceLimit;
}

void useOptions(const JobRecord& job) {
  (void)warren::queue::keepJobs(job.opts.removeOnComplete, "");
  (void)warren::queue::keepJobs(job.opts.removeOnFail, R"({"age":3600,"count":100})");
  if (job.opts.backoff) {
    const std::int64_t n = job.attemptsMade < std::numeric_limits<std::int64_t>::max()
                               ? job.attemptsMade + 1
                               : job.attemptsMade;
    (void)warren::queue::backoffDelay(*job.opts.backoff, n, 0.5);
  }
  const std::string stack =
      warren::queue::appendStacktrace(job.stacktrace, "Error: x", job.opts.stackTraceLimit);
  check(warren::json::wellFormed(stack), "appendStacktrace gave text that is not JSON");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::vector<std::string> parts = warren::fuzz::split(warren::fuzz::text(data, size), '\0');
  const JobRecord job = decode(parts);
  const bool badOptions = job.problem && job.problem->rfind("job options", 0) == 0;
  if (job.problem && !badOptions) return 0;
  if (!job.problem) {
    check(warren::json::valid(job.data), "job data accepted without a problem is not JSON");
    useOptions(job);
  }

  const auto members = warren::json::objectMembers(job.optsJson);
  if (!members || job.optsJson == "{}") return 0;
  for (std::size_t i = 0; i + 1 < parts.size(); i += 2) {
    if (parts[i] == "opts") parts[i + 1] = throughParser(job.optsJson);
  }
  const JobRecord parsed = decode(parts);
  if (badOptions) {
    check(parsed.problem.has_value(), "options refused by the reader pass through the parser");
    return 0;
  }
  // Poco's parser refuses some well-formed JSON the reader never parses (numbers past double's
  // range in other members, nesting past 128): the parser path's limit, not a disagreement.
  if (parsed.problem && parsed.problem->rfind("job opts field is not valid JSON", 0) == 0) return 0;
  if (parsed.problem) {
    warren::fuzz::violated("options read from their members fail through the parser: " +
                           *parsed.problem);
  }
  check(sameOptions(job.opts, parsed.opts), "options differ between the reader and the parser");
  return 0;
}
