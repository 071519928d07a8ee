// prepareJob: the checks of bullmq's Queue.add (with BullMQ's own messages) and Warren's type
// checks of the options, and the conversion to the stored form. No Redis needed.
#include "Support.h"
#include "queue/Producer.h"

namespace warren::queue::testing {
namespace {

struct Refusal {
  std::string data;
  std::string opts;
  std::string message;
};

std::string refusal(const std::string& data, const std::string& opts) {
  try {
    prepareJob({"n", data, opts}, 1);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "(accepted)";
}

TEST(ProducerValidation, BullmqChecksWithBullmqMessages) {
  const std::vector<Refusal> cases = {
      {"{}", R"({"jobId": "0"})", "JobId cannot be '0' or start with '0:'"},
      {"{}", R"({"jobId": "0:abc"})", "JobId cannot be '0' or start with '0:'"},
      {"{}", R"({"jobId": "123"})", "Custom Id cannot be integers"},
      {"{}", R"({"jobId": "-5"})", "Custom Id cannot be integers"},
      {"{}", R"({"jobId": "9007199254740992"})", "Custom Id cannot be integers"},
      {"{}", R"({"jobId": "a:b"})", "Custom Id cannot contain :"},
      {"{}", R"({"jobId": "a:b:c:d"})", "Custom Id cannot contain :"},
      {"{}", R"({"priority": 1.5})", "Priority should not be float"},
      {"{}", R"({"priority": 2097152})", "Priority should be between 0 and 2097151"},
      {"{}", R"({"priority": -1})", "Priority should be between 0 and 2097151"},
      {"{}", R"({"deduplication": {}})", "Deduplication id must be provided"},
      {"{}", R"({"deduplication": {"id": "", "ttl": 5}})", "Deduplication id must be provided"},
      {"{}", R"({"debounce": {"id": "x"}})",
       "Debounce option has been removed. Use deduplication option instead"},
      {"{}", R"({"backoff": {"type": "fixed", "delay": 1, "jitter": 1.5}})",
       "Jitter should be between 0 and 1"},
      {"{}", R"({"failParentOnFailure": true, "ignoreDependencyOnFailure": true})",
       "The following options cannot be used together: failParentOnFailure, "
       "ignoreDependencyOnFailure"},
      {R"({"abc": "defgh"})", R"({"sizeLimit": 5})", "The size of job n exceeds the limit 5 bytes"},
  };
  for (const auto& c : cases) EXPECT_EQ(refusal(c.data, c.opts), c.message) << c.opts;
}

TEST(ProducerValidation, WarrenTypeChecks) {
  const std::vector<Refusal> cases = {
      {"[1]", "{}", R"(job data must be a JSON object, e.g. {"key": "value"})"},
      {R"("text")", "{}", R"(job data must be a JSON object, e.g. {"key": "value"})"},
      {"", "{}", "job data is empty"},
      {R"({"a": )", "{}", "job data is not valid JSON: unexpected end of text"},
      {"{} x", "{}", "job data is not valid JSON: Excess characters found after JSON end."},
      {"{}", "nope", R"(job options must be a JSON object, e.g. {"key": "value"})"},
      {"{}", R"({"delay": -1})", "delay must be a non-negative integer (milliseconds)"},
      {"{}", R"({"delay": "10"})", "delay must be a non-negative integer (milliseconds)"},
      {"{}", R"({"attempts": 2.5})", "attempts must be a non-negative integer"},
      {"{}", R"({"priority": "high"})", "priority must be a number"},
      {"{}", R"({"lifo": 1})", "lifo must be true or false"},
      {"{}", R"({"jobId": 17})", "jobId must be a string"},
      {"{}", R"({"backoff": "fixed"})",
       "backoff must be a non-negative integer (milliseconds) or an object {type, delay, jitter}"},
      {"{}", R"({"backoff": {"delay": 5}})",
       "backoff.type must be a non-empty string (fixed, exponential or a custom name)"},
      {"{}", R"({"backoff": {"type": "fixed", "max": 5}})",
       "unknown backoff option 'max' (expected type, delay, jitter)"},
      {"{}", R"({"removeOnComplete": -1})",
       "removeOnComplete must be true, false, a number of jobs to keep, or an object {age, "
       "count, limit}"},
      {"{}", R"({"removeOnFail": {"days": 1}})",
       "unknown removeOnFail option 'days' (expected age, count, limit)"},
      {"{}", R"({"keepLogs": true})", "keepLogs must be a non-negative integer"},
      {"{}", R"({"deduplication": {"id": 5}})", "deduplication.id must be a string"},
      {"{}", R"({"deduplication": {"id": "x", "extend": "yes"}})",
       "deduplication.extend must be true or false"},
      {"{}", R"({"deduplication": {"id": "x", "reschedule": true}})",
       "unknown deduplication option 'reschedule' (expected id, ttl, extend, replace, "
       "keepLastIfActive)"},
      {"{}", R"({"timestamp": -5})",
       "timestamp must be a non-negative integer (milliseconds since the epoch)"},
      {"{}", R"({"prority": 1})", "unknown job option 'prority'"},
      {"{}", R"({"parent": "bull:p:1"})",
       "parent must be an object {id, queue} (queue: the parent's \"<prefix>:<queue>\", e.g. "
       "\"bull:analyze\")"},
      {"{}", R"({"parent": {"id": "1"}})",
       "parent must be an object {id, queue} (queue: the parent's \"<prefix>:<queue>\", e.g. "
       "\"bull:analyze\")"},
      {"{}", R"({"parent": {"id": "1", "queue": "bull:p", "key": "x"}})",
       "unknown parent option 'key' (expected id, queue)"},
      {"{}", R"({"repeat": {"every": 1000}})",
       "job option 'repeat' is not supported by Warren's producer (use upsertJobScheduler)"},
  };
  for (const auto& c : cases) EXPECT_EQ(refusal(c.data, c.opts), c.message) << c.data << c.opts;
}

TEST(ProducerValidation, AcceptedCustomIds) {
  // BullMQ refuses only String(parseInt(id, 10)) === id, and ':' unless there are 3 parts.
  for (const char* id : {"abc", "007", "+5", "1.5", "1e3", "-0", "12345678901234567890",
                         "9007199254740993", "a:b:c", "repeat:x:1700000000000", "42abc", " 42"}) {
    const std::string opts = std::string(R"({"jobId": ")") + id + R"("})";
    EXPECT_EQ(prepareJob({"n", "{}", opts}, 1).customId, id);
  }
  EXPECT_EQ(prepareJob({"n", "{}", R"({"jobId": ""})"}, 1).customId, "")
      << "an empty jobId means no custom id, as in Node";
}

TEST(ProducerValidation, PreparedForm) {
  const PreparedJob job = prepareJob({"n", "  {\"a\": [1, 2]}\n", R"({"priority": 2.0})"}, 42);
  EXPECT_EQ(job.name, "n");
  EXPECT_EQ(job.data, "{\"a\": [1, 2]}") << "trimmed, otherwise as given";
  EXPECT_EQ(job.timestamp, 42) << "now, without a timestamp option";
  EXPECT_EQ(job.customId, "");
  EXPECT_EQ(job.storedOpts, R"({"priority":2,"attempts":0})") << "2.0 is the integer 2";
  EXPECT_EQ(prepareJob({"n", "{}", R"({"timestamp": 0})"}, 42).timestamp, 42)
      << "timestamp 0 means now, as in Node";
  EXPECT_EQ(prepareJob({"n", "{}", R"({"priority": 2097151, "delay": 0})"}, 1).storedOpts,
            R"({"delay":0,"priority":2097151,"attempts":0})");
}

TEST(ProducerValidation, PublicOptionsMapsShortKeysBack) {
  const auto opts = parseObject(
      publicOptions(R"({"de":{"id":"d"},"fpof":true,"cpof":false,"idof":true,"rdof":false,"kl":3,)"
                    R"("tm":"meta","omc":true,"attempts":1,"custom":"kept"})"));
  EXPECT_EQ(keysOf(opts), (std::vector<std::string>{"attempts", "continueParentOnFailure", "custom",
                                                    "deduplication", "failParentOnFailure",
                                                    "ignoreDependencyOnFailure", "keepLogs",
                                                    "removeDependencyOnFailure", "telemetry"}));
  EXPECT_EQ(opts->getObject("deduplication")->getValue<std::string>("id"), "d");
  EXPECT_EQ(opts->getValue<int>("keepLogs"), 3);
  EXPECT_EQ(opts->getObject("telemetry")->getValue<std::string>("metadata"), "meta");
  EXPECT_TRUE(opts->getObject("telemetry")->getValue<bool>("omitContext"));
}

}  // namespace
}  // namespace warren::queue::testing
