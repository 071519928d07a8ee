#include "queue/Producer.h"

#include "queue/JobJson.h"

#include "log/Log.h"
#include "queue/Scripts.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <map>
#include <stdexcept>
#include <utility>

namespace warren::queue {
namespace {

using Poco::Dynamic::Var;
using Poco::JSON::Array;
using Poco::JSON::Object;

// String(parseInt(id, 10)) === id in JavaScript: the ids BullMQ refuses as "integers".
bool isJavaScriptIntegerText(const std::string& id) {
  std::size_t i = id.empty() || id[0] != '-' ? 0 : 1;
  const std::string digits = id.substr(i);
  if (digits.empty() || digits.find_first_not_of("0123456789") != std::string::npos) return false;
  if (digits.size() > 1 && digits[0] == '0') return false;  // "007" prints as "7"
  if (id == "-0") return false;                             // String(-0) is "0"
  if (digits.size() <= 15) return true;                     // exact in a double
  // Longer: JavaScript prints the shortest round-trip digits of the double, then zeros, and
  // switches to exponent notation from 1e21.
  const double value = std::strtod(id.c_str(), nullptr);
  if (std::fabs(value) >= 1e21) return false;
  char buffer[64];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, std::fabs(value),
                                    std::chars_format::scientific);
  const std::string text(buffer, result.ptr);  // d.ddde+XX
  const auto e = text.find('e');
  std::string mantissa = text.substr(0, e);
  mantissa.erase(std::remove(mantissa.begin(), mantissa.end(), '.'), mantissa.end());
  const int exponent = std::atoi(text.c_str() + e + 1);
  const std::size_t integerDigits = static_cast<std::size_t>(exponent) + 1;
  if (mantissa.size() > integerDigits) return false;
  std::string printed = (value < 0 ? "-" : "") + mantissa;
  printed.append(integerDigits - mantissa.size(), '0');
  return printed == id;
}

std::string keepJobsJson(const Var& value, const std::string& name) {
  const std::string message =
      name + " must be true, false, a number of jobs to keep, or an object {age, count, limit}";
  if (isBool(value)) return value.extract<bool>() ? "true" : "false";
  if (numberOf(value)) return std::to_string(nonNegativeInteger(value, message));
  if (value.type() != typeid(Object::Ptr)) throw std::invalid_argument(message);
  JsonObjectWriter out;
  for (const auto& [key, member] : *value.extract<Object::Ptr>()) {
    if (member.isEmpty()) continue;
    if (key != "age" && key != "count" && key != "limit") {
      throw std::invalid_argument("unknown " + name + " option '" + key +
                                  "' (expected age, count, limit)");
    }
    out.integer(key,
                nonNegativeInteger(member, name + "." + key + " must be a non-negative integer"));
  }
  return out.done();
}

std::string backoffJson(const Var& value) {
  if (numberOf(value)) {  // Backoffs.normalize: a number is a fixed delay
    JsonObjectWriter out;
    out.string("type", "fixed");
    out.integer("delay",
                nonNegativeInteger(value,
                                   "backoff must be a non-negative integer (milliseconds) or an "
                                   "object {type, delay, jitter}"));
    return out.done();
  }
  if (value.type() != typeid(Object::Ptr)) {
    throw std::invalid_argument(
        "backoff must be a non-negative integer (milliseconds) or an object {type, delay, "
        "jitter}");
  }
  const auto object = value.extract<Object::Ptr>();
  JsonObjectWriter out;
  bool hasType = false;
  for (const auto& [key, member] : *object) {
    if (member.isEmpty()) continue;
    if (key == "type") {
      if (!member.isString() || member.convert<std::string>().empty()) {
        throw std::invalid_argument(
            "backoff.type must be a non-empty string (fixed, exponential or a custom name)");
      }
      hasType = true;
      out.string("type", member.convert<std::string>());
    } else if (key == "delay") {
      out.integer("delay",
                  nonNegativeInteger(
                      member, "backoff.delay must be a non-negative integer (milliseconds)"));
    } else if (key == "jitter") {
      const auto jitter = numberOf(member);
      if (!jitter) throw std::invalid_argument("backoff.jitter must be a number");
      if (*jitter < 0 || *jitter > 1)
        throw std::invalid_argument("Jitter should be between 0 and 1");
      out.raw("jitter", formatDouble(*jitter));
    } else {
      throw std::invalid_argument("unknown backoff option '" + key +
                                  "' (expected type, delay, jitter)");
    }
  }
  if (!hasType) {
    throw std::invalid_argument(
        "backoff.type must be a non-empty string (fixed, exponential or a custom name)");
  }
  return out.done();
}

std::string deduplicationJson(const Var& value) {
  if (value.type() != typeid(Object::Ptr)) {
    throw std::invalid_argument(
        "deduplication must be an object {id, ttl, extend, replace, keepLastIfActive}");
  }
  JsonObjectWriter out;
  bool hasId = false;
  for (const auto& [key, member] : *value.extract<Object::Ptr>()) {
    if (member.isEmpty()) continue;
    if (key == "id") {
      if (!member.isString()) throw std::invalid_argument("deduplication.id must be a string");
      const std::string id = member.convert<std::string>();
      if (id.empty()) continue;
      hasId = true;
      out.string("id", id);
    } else if (key == "ttl") {
      out.integer("ttl",
                  nonNegativeInteger(
                      member, "deduplication.ttl must be a non-negative integer (milliseconds)"));
    } else if (key == "extend" || key == "replace" || key == "keepLastIfActive") {
      out.boolean(key, booleanOf(member, "deduplication." + key));
    } else {
      throw std::invalid_argument("unknown deduplication option '" + key +
                                  "' (expected id, ttl, extend, replace, keepLastIfActive)");
    }
  }
  if (!hasId) throw std::invalid_argument("Deduplication id must be provided");
  return out.done();
}

void storeTelemetry(const Var& value, JsonObjectWriter& stored) {
  if (value.type() != typeid(Object::Ptr)) {
    throw std::invalid_argument("telemetry must be an object {metadata, omitContext}");
  }
  for (const auto& [key, member] : *value.extract<Object::Ptr>()) {
    if (member.isEmpty()) continue;
    if (key == "metadata") {
      if (!member.isString()) throw std::invalid_argument("telemetry.metadata must be a string");
      stored.string("tm", member.convert<std::string>());
    } else if (key == "omitContext") {
      stored.boolean("omc", booleanOf(member, "telemetry.omitContext"));
    } else {
      throw std::invalid_argument("unknown telemetry option '" + key +
                                  "' (expected metadata, omitContext)");
    }
  }
}

// The flow options, in the order BullMQ lists them when more than one is set.
constexpr std::array<std::pair<const char*, const char*>, 4> kFlowOptions = {{
    {"removeDependencyOnFailure", "rdof"},
    {"failParentOnFailure", "fpof"},
    {"continueParentOnFailure", "cpof"},
    {"ignoreDependencyOnFailure", "idof"},
}};

// Stored option names that differ from the public ones (§2.2), for decoding.
const std::map<std::string, std::string>& decodeMap() {
  static const std::map<std::string, std::string> map = {{"de", "deduplication"},
                                                         {"fpof", "failParentOnFailure"},
                                                         {"cpof", "continueParentOnFailure"},
                                                         {"idof", "ignoreDependencyOnFailure"},
                                                         {"rdof", "removeDependencyOnFailure"},
                                                         {"kl", "keepLogs"}};
  return map;
}

std::int64_t wallClockMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// ---- reading replies ---------------------------------------------------------------------

// parseInt(text, 10) for the integer fields of the hash (0 when there is no number).
std::int64_t parseInteger(const std::string& text) {
  std::size_t i = 0;
  while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
  std::int64_t value = 0;
  const char* begin = text.data() + i;
  if (i < text.size() && text[i] == '+') ++begin;
  std::from_chars(begin, text.data() + text.size(), value);
  return value;
}

const std::vector<redis::Reply>& execResults(const std::vector<redis::Reply>& replies,
                                             std::size_t expected, const std::string& what) {
  for (const auto& reply : replies) {
    if (reply.isError()) throw std::runtime_error(what + ": " + reply.str());
  }
  const redis::Reply& exec = replies.back();
  if (!exec.isArray() || exec.elements().size() != expected) {
    throw std::runtime_error(what + ": unexpected reply " + exec.describe());
  }
  for (const auto& reply : exec.elements()) {
    if (reply.isError()) throw std::runtime_error(what + ": " + reply.str());
  }
  return exec.elements();
}

// LLEN of a list, without a legacy (< 5.0) "0:..." marker id at its consuming end.
std::int64_t listCount(const redis::Reply& length, const redis::Reply& last) {
  const std::int64_t n = length.integer();
  if (last.isString() && last.str().rfind("0:", 0) == 0) return n > 0 ? n - 1 : 0;
  return n;
}

// opts.parent: {id, queue}, queue being the parent's "<prefix>:<queue>" (§2.2, §8.1).
std::pair<std::string, std::string> parentOf(const Var& value) {
  const std::string message =
      "parent must be an object {id, queue} (queue: the parent's \"<prefix>:<queue>\", e.g. "
      "\"bull:analyze\")";
  if (value.type() != typeid(Object::Ptr)) throw std::invalid_argument(message);
  const auto object = value.extract<Object::Ptr>();
  for (const auto& [key, member] : *object) {
    if (key != "id" && key != "queue") {
      throw std::invalid_argument("unknown parent option '" + key + "' (expected id, queue)");
    }
  }
  const auto text = [&](const char* key) {
    if (!object->has(key) || !object->get(key).isString() ||
        object->get(key).extract<std::string>().empty()) {
      throw std::invalid_argument(message);
    }
    return object->get(key).extract<std::string>();
  };
  return {text("id"), text("queue")};
}

// The child's parent fields: the parent's key, its `parent` field with the flow flags that are
// set, and the dependencies set the child joins.
void linkParent(PreparedJob& job, const std::pair<std::string, std::string>& parent,
                const Object& opts) {
  job.parentKey = parent.second + ":" + parent.first;
  job.parentDependencies = job.parentKey + ":dependencies";
  JsonObjectWriter field;
  field.string("id", parent.first);
  field.string("queueKey", parent.second);
  for (const auto& [name, shortKey] : kFlowOptions) {
    if (opts.has(name) && isBool(opts.get(name)) && opts.get(name).extract<bool>()) {
      field.boolean(shortKey, true);
    }
  }
  job.parentJson = field.done();
}

}  // namespace

PreparedJob prepareJob(const JobSpec& spec, std::int64_t now) {
  PreparedJob job;
  job.name = spec.name;
  job.data = trim(spec.dataJson);
  parseObject(job.data, "job data", false);
  const Object::Ptr opts = parseObject(spec.optsJson, "job options", true);

  JsonObjectWriter stored;
  std::int64_t attempts = 0;
  std::optional<std::string> jobId;
  std::optional<std::int64_t> priority;
  std::optional<std::int64_t> sizeLimit;
  std::vector<std::string> flowOptions;
  std::int64_t timestamp = 0;
  std::optional<std::pair<std::string, std::string>> parent;  // id, queue key

  for (const auto& [key, value] : *opts) {
    if (value.isEmpty()) continue;  // null: as if undefined
    if (key == "jobId") {
      if (!value.isString()) throw std::invalid_argument("jobId must be a string");
      jobId = value.convert<std::string>();
      stored.string("jobId", *jobId);
    } else if (key == "delay") {
      stored.integer("delay", nonNegativeInteger(
                                  value, "delay must be a non-negative integer (milliseconds)"));
    } else if (key == "priority") {
      const auto number = numberOf(value);
      if (!number) throw std::invalid_argument("priority must be a number");
      if (std::trunc(*number) != *number)
        throw std::invalid_argument("Priority should not be float");
      if (*number < 0 || *number > static_cast<double>(kPriorityLimit)) {
        throw std::invalid_argument("Priority should be between 0 and " +
                                    std::to_string(kPriorityLimit));
      }
      priority = static_cast<std::int64_t>(*number);
      stored.integer("priority", *priority);
    } else if (key == "lifo") {
      stored.boolean("lifo", booleanOf(value, "lifo"));
    } else if (key == "attempts") {
      attempts = nonNegativeInteger(value, "attempts must be a non-negative integer");
    } else if (key == "backoff") {
      stored.raw("backoff", backoffJson(value));
    } else if (key == "removeOnComplete" || key == "removeOnFail") {
      stored.raw(key, keepJobsJson(value, key));
    } else if (key == "keepLogs") {
      stored.integer("kl", nonNegativeInteger(value, "keepLogs must be a non-negative integer"));
    } else if (key == "stackTraceLimit") {
      stored.integer("stackTraceLimit",
                     nonNegativeInteger(value, "stackTraceLimit must be a non-negative integer"));
    } else if (key == "sizeLimit") {
      sizeLimit = nonNegativeInteger(value, "sizeLimit must be a non-negative integer (bytes)");
      stored.integer("sizeLimit", *sizeLimit);
    } else if (key == "deduplication") {
      stored.raw("de", deduplicationJson(value));
    } else if (key == "timestamp") {
      timestamp = nonNegativeInteger(
          value, "timestamp must be a non-negative integer (milliseconds since the epoch)");
      stored.integer("timestamp", timestamp);
    } else if (key == "telemetry") {
      storeTelemetry(value, stored);
    } else if (key == "debounce") {
      throw std::invalid_argument(
          "Debounce option has been removed. Use deduplication option instead");
    } else if (key == "parent") {
      parent = parentOf(value);
      stored.raw("parent", toJson(value));
    } else if (key == "repeat" || key == "repeatJobKey" || key == "prevMillis") {
      throw std::invalid_argument("job option '" + key +
                                  "' is not supported by Warren's producer (use "
                                  "upsertJobScheduler)");
    } else {
      bool flow = false;
      for (const auto& [name, shortKey] : kFlowOptions) {
        if (key != name) continue;
        flow = true;
        const bool on = booleanOf(value, key);
        stored.boolean(shortKey, on);
      }
      if (!flow) throw std::invalid_argument("unknown job option '" + key + "'");
    }
  }
  stored.integer("attempts", attempts);  // the Node Job constructor always sets it

  // BullMQ's checks, in Queue.add's order.
  if (jobId && (*jobId == "0" || jobId->rfind("0:", 0) == 0)) {
    throw std::invalid_argument("JobId cannot be '0' or start with '0:'");
  }
  if (sizeLimit && *sizeLimit > 0 && static_cast<std::int64_t>(job.data.size()) > *sizeLimit) {
    throw std::invalid_argument("The size of job " + job.name + " exceeds the limit " +
                                std::to_string(*sizeLimit) + " bytes");
  }
  for (const auto& [name, shortKey] : kFlowOptions) {
    if (opts->has(name) && isBool(opts->get(name)) && opts->get(name).extract<bool>()) {
      flowOptions.emplace_back(name);
    }
  }
  if (flowOptions.size() > 1) {
    std::string list;
    for (const auto& name : flowOptions) list += (list.empty() ? "" : ", ") + name;
    throw std::invalid_argument("The following options cannot be used together: " + list);
  }
  if (jobId && !jobId->empty()) {
    if (isJavaScriptIntegerText(*jobId))
      throw std::invalid_argument("Custom Id cannot be integers");
    if (jobId->find(':') != std::string::npos &&
        std::count(jobId->begin(), jobId->end(), ':') != 2) {
      throw std::invalid_argument("Custom Id cannot contain :");
    }
    job.customId = *jobId;
  }
  job.timestamp = timestamp > 0 ? timestamp : now;
  job.storedOpts = stored.done();
  if (parent) linkParent(job, *parent, *opts);
  return job;
}

PreparedJob prepareJob(const JobSpec& spec) {
  return prepareJob(spec, wallClockMs());
}

std::string publicOptions(const std::string& storedOpts) {
  const Object::Ptr stored = parseObject(storedOpts, "stored job options", true);
  Object::Ptr options = new Object();
  Object::Ptr telemetry;
  for (const auto& [key, value] : *stored) {
    const auto& map = decodeMap();
    if (const auto it = map.find(key); it != map.end()) {
      options->set(it->second, value);
    } else if (key == "tm" || key == "omc") {
      if (!telemetry) telemetry = new Object();
      telemetry->set(key == "tm" ? "metadata" : "omitContext", value);
    } else {
      options->set(key, value);
    }
  }
  if (telemetry) options->set("telemetry", telemetry);
  return toJson(options);
}

// ---- Producer ------------------------------------------------------------------------------

Producer::Producer(redis::Connection& connection, std::string prefix, std::string queue)
    : connection_(&connection), keys_(std::move(prefix), std::move(queue)) {}

Producer::Producer(const redis::Url& url, const redis::ConnectionOptions& options,
                   std::string prefix, std::string queue)
    : owned_(std::make_unique<redis::Connection>(url, options)),
      connection_(owned_.get()),
      keys_(std::move(prefix), std::move(queue)) {}

Producer::~Producer() = default;

void Producer::writeMetaOnce() {
  if (metaWritten_) return;
  // HSETNX: a Node Queue may have written its own (newer) version and events length.
  const auto replies = connection_->pipeline(
      {{"HSETNX", keys_.key("meta"), "version", kProducerVersion},
       {"HSETNX", keys_.key("meta"), "opts.maxLenEvents", std::to_string(kDefaultMaxLenEvents)}});
  for (const auto& reply : replies) {
    if (reply.isError()) {
      throw std::runtime_error("cannot write the meta of queue " + keys_.queue() + ": " +
                               reply.str());
    }
  }
  metaWritten_ = true;
}

std::string Producer::idFrom(const redis::Reply& reply) const {
  if (reply.isError()) {
    throw std::runtime_error("adding a job to queue " + keys_.queue() + " failed: " + reply.str());
  }
  if (reply.isString() || reply.isStatus()) return reply.str();
  if (reply.isInteger() && reply.integer() == -5) {
    throw ParentMissing("adding a job to queue " + keys_.queue() +
                        " failed: the parent job does not exist");
  }
  if (reply.isInteger() && reply.integer() == -7) {
    throw std::invalid_argument("adding a job to queue " + keys_.queue() +
                                " failed: the job exists with another parent, which cannot be "
                                "replaced");
  }
  throw std::runtime_error("adding a job to queue " + keys_.queue() + " failed: unexpected reply " +
                           reply.describe());
}

namespace {

std::vector<std::string> addArguments(const Keys& keys, const PreparedJob& job) {
  return {keys.base(),    job.customId,  job.name,       std::to_string(job.timestamp), job.data,
          job.storedOpts, job.parentKey, job.parentJson, job.parentDependencies};
}

}  // namespace

std::string Producer::add(const std::string& name, const std::string& dataJson,
                          const std::string& optsJson) {
  return add(prepareJob({name, dataJson, optsJson}));
}

std::string Producer::add(const PreparedJob& job) {
  writeMetaOnce();
  return idFrom(script(ScriptId::add).run(*connection_, {}, addArguments(keys_, job)));
}

std::vector<std::string> Producer::addBulk(const std::vector<JobSpec>& jobs) {
  std::vector<redis::Script::Call> calls;
  calls.reserve(jobs.size());
  const std::int64_t now = wallClockMs();
  for (std::size_t i = 0; i < jobs.size(); ++i) {
    try {
      calls.push_back({{}, addArguments(keys_, prepareJob(jobs[i], now))});
    } catch (const std::invalid_argument& e) {
      throw std::invalid_argument("job " + std::to_string(i + 1) + " of " +
                                  std::to_string(jobs.size()) + ": " + e.what());
    }
  }
  if (calls.empty()) return {};
  writeMetaOnce();
  const auto replies = script(ScriptId::add).runBatch(*connection_, calls);
  std::vector<std::string> ids;
  ids.reserve(replies.size());
  for (const auto& reply : replies) ids.push_back(idFrom(reply));
  return ids;
}

JobCounts Producer::getJobCounts() {
  const auto key = [this](const char* suffix) { return keys_.key(suffix); };
  const auto replies = connection_->pipeline({
      {"MULTI"},
      {"LLEN", key("wait")},
      {"LINDEX", key("wait"), "-1"},
      {"LLEN", key("paused")},
      {"LINDEX", key("paused"), "-1"},
      {"LLEN", key("active")},
      {"ZCARD", key("completed")},
      {"ZCARD", key("failed")},
      {"ZCARD", key("delayed")},
      {"ZCARD", key("prioritized")},
      {"ZCARD", key("waiting-children")},
      {"EXEC"},
  });
  const auto& r = execResults(replies, 10, "reading the job counts of queue " + keys_.queue());
  JobCounts counts;
  counts.waiting = listCount(r[0], r[1]) + listCount(r[2], r[3]);
  counts.active = r[4].integer();
  counts.completed = r[5].integer();
  counts.failed = r[6].integer();
  counts.delayed = r[7].integer();
  counts.prioritized = r[8].integer();
  counts.waitingChildren = r[9].integer();
  return counts;
}

std::optional<JobView> Producer::getJob(const std::string& id) {
  const auto key = [this](const char* suffix) { return keys_.key(suffix); };
  const auto replies = connection_->pipeline({
      {"MULTI"},
      {"HGETALL", keys_.job(id)},
      {"ZSCORE", key("completed"), id},
      {"ZSCORE", key("failed"), id},
      {"ZSCORE", key("delayed"), id},
      {"ZSCORE", key("prioritized"), id},
      {"LPOS", key("active"), id},
      {"LPOS", key("wait"), id},
      {"LPOS", key("paused"), id},
      {"ZSCORE", key("waiting-children"), id},
      {"EXEC"},
  });
  const auto& r = execResults(replies, 9, "reading job " + id + " of queue " + keys_.queue());
  const auto& fields = r[0].elements();
  if (fields.empty()) return std::nullopt;

  std::map<std::string, std::string> hash;
  for (std::size_t i = 0; i + 1 < fields.size(); i += 2)
    hash[fields[i].str()] = fields[i + 1].str();
  const auto field = [&hash](const char* name) -> std::optional<std::string> {
    const auto it = hash.find(name);
    if (it == hash.end()) return std::nullopt;
    return it->second;
  };
  const auto text = [&field](const char* name, const char* fallback) {
    const auto value = field(name);
    return value && !value->empty() ? *value : std::string(fallback);
  };

  JobView job;
  job.id = id;
  static constexpr std::array<const char*, 8> kStates = {
      "completed", "failed",  "delayed", "prioritized",
      "active",    "waiting", "waiting", "waiting-children"};
  job.state = "unknown";
  for (std::size_t i = 0; i < kStates.size(); ++i) {
    if (!r[i + 1].isNil()) {
      job.state = kStates[i];
      break;
    }
  }
  job.name = text("name", "");
  job.data = text("data", "{}");
  try {
    job.opts = publicOptions(text("opts", "{}"));
  } catch (const std::invalid_argument&) {
    job.opts = text("opts", "{}");  // shown as stored; Node would fail to read it
  }
  job.progress = text("progress", "0");
  job.returnvalue = field("returnvalue");
  job.failedReason = field("failedReason");
  job.stacktrace = text("stacktrace", "[]");
  job.timestamp = parseInteger(text("timestamp", "0"));
  job.delay = parseInteger(text("delay", "0"));
  job.priority = parseInteger(text("priority", "0"));
  // Node: parseInt(attemptsMade || atm || '0'); the legacy name wins when both exist.
  job.attemptsMade = parseInteger(text("attemptsMade", text("atm", "0").c_str()));
  job.attemptsStarted = parseInteger(text("ats", "0"));
  job.stalledCounter = parseInteger(text("stc", "0"));
  if (const auto v = field("processedOn"); v && !v->empty()) job.processedOn = parseInteger(*v);
  if (const auto v = field("finishedOn"); v && !v->empty()) job.finishedOn = parseInteger(*v);
  job.parentKey = field("parentKey");
  job.parent = field("parent");
  job.deduplicationId = field("deid");
  job.repeatJobKey = field("rjk");
  job.processedBy = field("pb");
  job.deferredFailure = field("defa");
  return job;
}

}  // namespace warren::queue
