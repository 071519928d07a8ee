// Queue.upsertJobScheduler for Warren's producer (fact sheet §9.1): the repeat options and the
// job template are checked and put in their stored form here; the scheduler's hash, its place in
// the repeat set and its first iteration are written by host/queue/lua/upsert.lua.
#include "queue/Cron.h"
#include "queue/JobJson.h"
#include "queue/Producer.h"
#include "queue/Scripts.h"

#include <Poco/JSON/Parser.h>

#include <chrono>
#include <set>

namespace warren::queue {
namespace {

using Poco::Dynamic::Var;
using Poco::JSON::Object;

struct RepeatSpec {
  std::optional<std::int64_t> every;
  std::optional<std::string> pattern;
  std::string tz;
  std::optional<std::int64_t> limit;
  std::optional<std::int64_t> startDate;
  std::optional<std::int64_t> endDate;
  std::optional<std::int64_t> offset;
  bool immediately = false;
};

std::int64_t positive(const Var& value, const std::string& message) {
  const auto n = integerOf(value);
  if (!n || *n <= 0) throw std::invalid_argument(message);
  return *n;
}

RepeatSpec repeatSpec(const std::string& json) {
  const Object::Ptr repeat = parseObject(json, "repeat options", true);
  RepeatSpec spec;
  for (const auto& [key, value] : *repeat) {
    if (value.isEmpty()) continue;
    if (key == "every") {
      spec.every = positive(value, "repeat.every must be a positive integer (milliseconds)");
    } else if (key == "pattern") {
      if (!value.isString() || value.extract<std::string>().empty()) {
        throw std::invalid_argument("repeat.pattern must be a cron pattern");
      }
      spec.pattern = value.extract<std::string>();
      Cron::parse(*spec.pattern);  // throws CronError naming the field
    } else if (key == "tz") {
      if (!value.isString()) throw std::invalid_argument("repeat.tz must be a time zone name");
      spec.tz = value.extract<std::string>();
    } else if (key == "limit") {
      spec.limit = positive(value, "repeat.limit must be a positive integer");
    } else if (key == "startDate" || key == "endDate") {
      (key == "startDate" ? spec.startDate : spec.endDate) = nonNegativeInteger(
          value, "repeat." + key + " must be a time in milliseconds since the epoch");
    } else if (key == "offset") {
      spec.offset = nonNegativeInteger(value, "repeat.offset must be a non-negative integer");
    } else if (key == "immediately") {
      spec.immediately = booleanOf(value, "repeat.immediately");
    } else {
      throw std::invalid_argument("unknown repeat option '" + key +
                                  "' (expected every, pattern, tz, limit, startDate, endDate, "
                                  "offset, immediately)");
    }
  }
  // BullMQ's own texts.
  if (spec.every && spec.pattern) {
    throw std::invalid_argument(
        "Both .pattern and .every options are defined for this repeatable job");
  }
  if (!spec.every && !spec.pattern) {
    throw std::invalid_argument(
        "Either .pattern or .every options must be defined for this repeatable job");
  }
  if (spec.immediately && spec.startDate) {
    throw std::invalid_argument(
        "Both .immediately and .startDate options are defined for this repeatable job");
  }
  return spec;
}

// The template as one job to add (name, data, options), with what each iteration sets itself
// refused.
JobSpec templateSpec(const std::string& schedulerId, const std::string& json) {
  JobSpec spec;
  spec.name = schedulerId;
  if (trim(json).empty()) return spec;
  const Object::Ptr job = parseObject(json, "job template", false);
  for (const auto& [key, value] : *job) {
    if (value.isEmpty()) continue;
    if (key == "name") {
      if (!value.isString()) throw std::invalid_argument("job template name must be a string");
      spec.name = value.extract<std::string>();
    } else if (key == "data") {
      spec.dataJson = toJson(value);
    } else if (key == "opts") {
      spec.optsJson = toJson(value);
    } else {
      throw std::invalid_argument("unknown job template member '" + key +
                                  "' (expected name, data, opts)");
    }
  }
  static const std::set<std::string> kOwn = {"jobId",  "delay",      "timestamp",
                                             "repeat", "prevMillis", "repeatJobKey"};
  static const std::set<std::string> kUnsupported = {"deduplication", "parent", "debounce"};
  const Object::Ptr opts = parseObject(spec.optsJson, "job template options", true);
  for (const auto& [key, value] : *opts) {
    if (kOwn.count(key) != 0) {
      throw std::invalid_argument("job template option '" + key +
                                  "' is not allowed: each iteration sets its own");
    }
    if (kUnsupported.count(key) != 0) {
      throw std::invalid_argument("job template option '" + key +
                                  "' is not supported for job schedulers");
    }
  }
  return spec;
}

// The template's stored options; `attempts` only when the template gives it (prepareJob always
// adds it, as Node's Job constructor does, but iterations are stored as given).
Object::Ptr storedTemplateOptions(const PreparedJob& prepared, const std::string& optsJson) {
  Poco::JSON::Parser parser;
  auto stored = parser.parse(prepared.storedOpts).extract<Object::Ptr>();
  if (!parseObject(optsJson, "job template options", true)->has("attempts")) {
    stored->remove("attempts");
  }
  return stored;
}

// The repeat option of the first iteration (§9.1): the options as given, dates in ms, count 1.
Object::Ptr iterationRepeat(const RepeatSpec& spec) {
  Object::Ptr repeat = new Object();
  if (spec.every) repeat->set("every", *spec.every);
  if (spec.pattern) repeat->set("pattern", *spec.pattern);
  if (!spec.tz.empty()) repeat->set("tz", spec.tz);
  if (spec.limit) repeat->set("limit", *spec.limit);
  if (spec.startDate) repeat->set("startDate", *spec.startDate);
  if (spec.endDate) repeat->set("endDate", *spec.endDate);
  if (spec.every && spec.offset && *spec.offset > 0) repeat->set("offset", *spec.offset);
  repeat->set("count", 1);
  return repeat;
}

std::int64_t wallClockMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string optionalText(const std::optional<std::int64_t>& value) {
  return value ? std::to_string(*value) : std::string();
}

}  // namespace

std::optional<std::string> Producer::upsertJobScheduler(const std::string& schedulerId,
                                                        const std::string& repeatJson,
                                                        const std::string& templateJson) {
  if (schedulerId.empty()) throw std::invalid_argument("the job scheduler id is empty");
  const RepeatSpec spec = repeatSpec(repeatJson);
  const JobSpec job = templateSpec(schedulerId, templateJson);
  const std::int64_t now = wallClockMs();
  const PreparedJob prepared = prepareJob(job, now);
  if (spec.endDate && now > *spec.endDate) return std::nullopt;
  std::string nextMillis;  // every: upsert.lua places it on the scheduler's grid
  if (spec.pattern) {
    std::int64_t next = now;
    if (!spec.immediately) {
      const auto occurrence =
          Cron::parse(*spec.pattern)
              .next(std::max(now, spec.startDate.value_or(0)), spec.tz, spec.endDate.value_or(0));
      if (!occurrence) return std::nullopt;
      next = std::max(*occurrence, now);
    }
    nextMillis = std::to_string(next);
  }
  const Object::Ptr templateOpts = storedTemplateOptions(prepared, job.optsJson);
  Object::Ptr iterationOpts = new Object(*templateOpts);
  iterationOpts->set("repeat", iterationRepeat(spec));

  std::vector<std::string> args = {keys_.base(),
                                   schedulerId,
                                   prepared.name,
                                   std::to_string(now),
                                   nextMillis,
                                   optionalText(spec.every),
                                   optionalText(spec.offset),
                                   optionalText(spec.startDate),
                                   toJson(iterationOpts),
                                   prepared.data};
  const auto field = [&args](const char* name, const std::string& value) {
    args.push_back(name);
    args.push_back(value);
  };
  if (!spec.tz.empty()) field("tz", spec.tz);
  if (spec.limit) field("limit", std::to_string(*spec.limit));
  if (spec.pattern) field("pattern", *spec.pattern);
  if (spec.startDate) field("startDate", std::to_string(*spec.startDate));
  if (spec.endDate) field("endDate", std::to_string(*spec.endDate));
  if (spec.every) field("every", std::to_string(*spec.every));
  if (templateOpts->size() > 0) field("opts", toJson(templateOpts));
  if (prepared.data != "{}") field("data", prepared.data);

  writeMetaOnce();
  const redis::Reply reply = script(ScriptId::upsert).run(*connection_, {}, args);
  const std::string failed =
      "upserting job scheduler " + schedulerId + " of queue " + keys_.queue() + " failed: ";
  if (reply.isError()) throw std::runtime_error(failed + reply.str());
  if (reply.isInteger() && reply.integer() == -10) {
    throw std::runtime_error(failed +
                             "Cannot create job scheduler iteration - job ID already exists");
  }
  if (reply.isInteger() && reply.integer() == -11) {
    throw std::runtime_error(failed +
                             "Cannot create job scheduler iteration - current and next time "
                             "slots already have jobs");
  }
  if (!reply.isArray() || reply.elements().empty()) {
    throw std::runtime_error(failed + "unexpected reply " + reply.describe());
  }
  return reply.elements()[0].str();
}

}  // namespace warren::queue
