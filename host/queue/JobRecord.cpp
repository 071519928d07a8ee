#include "queue/JobRecord.h"

#include "json/Json.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>

#include <charconv>
#include <cmath>
#include <sstream>

namespace warren::queue {
namespace {

Poco::Dynamic::Var parseJson(const std::string& text) {
  return json::parse(text);
}

std::optional<std::int64_t> integerField(const std::string& text) {
  if (text.empty()) return std::nullopt;
  std::size_t used = 0;
  try {
    const long long value = std::stoll(text, &used);
    if (used != text.size()) return std::nullopt;
    return value;
  } catch (...) {
    return std::nullopt;
  }
}

std::string condense(const Poco::Dynamic::Var& value) {
  return json::stringify(value);
}

std::int64_t toInt(const Poco::Dynamic::Var& value) {
  if (value.isEmpty()) return 0;
  if (value.isNumeric()) return static_cast<std::int64_t>(std::llround(value.convert<double>()));
  return value.convert<std::int64_t>();
}

Backoff parseBackoff(const Poco::Dynamic::Var& value) {
  Backoff backoff;
  if (value.isNumeric()) {  // a bare number is a fixed delay
    backoff.type = "fixed";
    backoff.delayMs = toInt(value);
    return backoff;
  }
  const auto object = value.extract<Poco::JSON::Object::Ptr>();
  backoff.type = object->optValue<std::string>("type", "fixed");
  if (object->has("delay")) backoff.delayMs = toInt(object->get("delay"));
  if (object->has("jitter")) backoff.jitter = object->get("jitter").convert<double>();
  return backoff;
}

JobOptions parseOptions(const Poco::Dynamic::Var& parsed) {
  JobOptions opts;
  const auto object = parsed.extract<Poco::JSON::Object::Ptr>();
  if (object->has("attempts")) opts.attempts = toInt(object->get("attempts"));
  if (object->has("backoff") && !object->get("backoff").isEmpty()) {
    opts.backoff = parseBackoff(object->get("backoff"));
  }
  if (object->has("lifo")) opts.lifo = object->get("lifo").convert<bool>();
  if (object->has("removeOnComplete"))
    opts.removeOnComplete = condense(object->get("removeOnComplete"));
  if (object->has("removeOnFail")) opts.removeOnFail = condense(object->get("removeOnFail"));
  if (object->has("kl")) opts.keepLogs = toInt(object->get("kl"));
  if (object->has("stackTraceLimit")) opts.stackTraceLimit = toInt(object->get("stackTraceLimit"));
  return opts;
}

// An integer option's value text: plain integers directly, any other form through the parser.
std::int64_t integerOption(std::string_view text) {
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  // Past 2^53 JSON.parse (so BullMQ) and the parser path hold the nearest double: so does this.
  constexpr std::int64_t kExact = std::int64_t{1} << 53;
  if (error == std::errc() && end == text.data() + text.size()) {
    if (value > kExact || value < -kExact) {
      return static_cast<std::int64_t>(std::llround(static_cast<double>(value)));
    }
    return value;
  }
  return toInt(json::parse(text));
}

bool boolOption(std::string_view text) {
  if (text == "true") return true;
  if (text == "false") return false;
  return json::parse(text).convert<bool>();
}

std::string retentionOption(std::string_view text) {
  if (text == "true" || text == "false") return std::string(text);
  return condense(json::parse(text));
}

// The options read from the members' texts, without building a JSON tree for the usual forms;
// nullopt when the text is not an object with plain keys (the parser then decodes or refuses it).
std::optional<JobOptions> readOptions(const std::string& text) {
  const auto members = json::objectMembers(text);
  if (!members) return std::nullopt;
  JobOptions opts;
  for (const auto& [key, value] : *members) {
    if (key.find('\\') != std::string_view::npos) return std::nullopt;
    if (key == "attempts") {
      opts.attempts = integerOption(value);
    } else if (key == "backoff") {
      // null clears it: a later duplicate key wins, as in JSON.parse and the parser path.
      if (value == "null") {
        opts.backoff.reset();
      } else {
        opts.backoff = parseBackoff(json::parse(value));
      }
    } else if (key == "lifo") {
      opts.lifo = boolOption(value);
    } else if (key == "removeOnComplete") {
      opts.removeOnComplete = retentionOption(value);
    } else if (key == "removeOnFail") {
      opts.removeOnFail = retentionOption(value);
    } else if (key == "kl") {
      opts.keepLogs = integerOption(value);
    } else if (key == "stackTraceLimit") {
      opts.stackTraceLimit = integerOption(value);
    }
  }
  return opts;
}

// Parses a JSON field of the job hash; nullopt (and job.problem set) when it is not valid JSON.
std::optional<Poco::Dynamic::Var> parseField(JobRecord& job, const char* field,
                                             const std::string& text) {
  if (job.problem) return std::nullopt;
  try {
    return std::optional<Poco::Dynamic::Var>(std::in_place, parseJson(text));
  } catch (const Poco::Exception& e) {
    job.problem = std::string("job ") + field + " is not valid JSON: " + e.displayText();
    return std::nullopt;
  }
}

// The data only needs checking (the plugin gets the text): the fast check first, and the parser
// for the error message.
void checkData(JobRecord& job) {
  if (job.problem || json::wellFormed(job.data)) return;
  parseField(job, "data", job.data);
}

}  // namespace

JobRecord JobRecord::fromHash(std::string id, const redis::Reply& fields) {
  JobRecord job;
  job.id = std::move(id);
  bool hasName = false;
  const auto& items = fields.elements();
  for (std::size_t i = 0; i + 1 < items.size(); i += 2) {
    const std::string& field = items[i].str();
    const std::string& value = items[i + 1].str();
    if (field == "name") {
      job.name = value;
      hasName = true;
    } else if (field == "data")
      job.data = value.empty() ? "{}" : value;
    else if (field == "opts")
      job.optsJson = value.empty() ? "{}" : value;
    else if (field == "timestamp")
      job.timestamp = integerField(value).value_or(0);
    else if (field == "priority")
      job.priority = integerField(value).value_or(0);
    else if (field == "atm" || (field == "attemptsMade" && job.attemptsMade == 0)) {
      job.attemptsMade = integerField(value).value_or(0);
    } else if (field == "ats")
      job.attemptsStarted = integerField(value).value_or(0);
    else if (field == "stacktrace")
      job.stacktrace = value;
    else if (field == "defa")
      job.deferredFailure = value;
    else if (field == "rjk")
      job.schedulerId = value;
    else if (field == "warren-cancel")
      job.cancelReason = value;
  }
  if (!hasName) job.problem = "job hash has no name field";
  checkData(job);
  if (job.problem || job.optsJson == "{}") return job;  // defaults
  try {
    if (auto fast = readOptions(job.optsJson)) {
      job.opts = std::move(*fast);
      return job;
    }
  } catch (const Poco::Exception& e) {
    job.problem = std::string("job options are malformed: ") + e.displayText();
    return job;
  } catch (const std::exception& e) {
    job.problem = std::string("job options are malformed: ") + e.what();
    return job;
  }
  const auto opts = parseField(job, "opts field", job.optsJson);
  if (opts) {
    try {
      job.opts = parseOptions(*opts);
    } catch (const Poco::Exception& e) {
      job.problem = std::string("job options are malformed: ") + e.displayText();
    } catch (const std::exception& e) {
      job.problem = std::string("job options are malformed: ") + e.what();
    }
  }
  return job;
}

KeepJobs keepJobs(const std::optional<std::string>& jobOption, const std::string& workerDefault) {
  KeepJobs keep;
  const std::string text = jobOption ? *jobOption : workerDefault;
  if (text.empty()) return keep;
  try {
    const auto value = parseJson(text);
    if (value.isBoolean()) {
      keep.count = value.convert<bool>() ? 0 : -1;
    } else if (value.isNumeric()) {
      keep.count = toInt(value);
    } else if (value.type() == typeid(Poco::JSON::Object::Ptr)) {
      const auto object = value.extract<Poco::JSON::Object::Ptr>();
      keep.count = object->has("count") ? toInt(object->get("count")) : -1;
      if (object->has("age")) keep.ageSeconds = toInt(object->get("age"));
      if (object->has("limit")) keep.limit = toInt(object->get("limit"));
    }
  } catch (...) {
    // An unreadable retention option keeps the job: losing data is worse than keeping it.
  }
  return keep;
}

std::optional<std::int64_t> backoffDelay(const Backoff& backoff, std::int64_t n, double random) {
  double base = 0;
  if (backoff.type == "fixed") {
    base = static_cast<double>(backoff.delayMs);
  } else if (backoff.type == "exponential") {
    base = std::round(std::pow(2.0, static_cast<double>(n - 1)) *
                      static_cast<double>(backoff.delayMs));
  } else {
    return std::nullopt;
  }
  if (backoff.jitter > 0) {
    const double j = std::min(backoff.jitter, 1.0);
    return static_cast<std::int64_t>(std::floor(random * base * j + base * (1 - j)));
  }
  return static_cast<std::int64_t>(base);
}

std::string appendStacktrace(const std::string& stored, const std::string& entry,
                             const std::optional<std::int64_t>& limit) {
  Poco::JSON::Array::Ptr traces = new Poco::JSON::Array();
  if (!stored.empty()) {
    try {
      const auto value = parseJson(stored);
      if (value.type() == typeid(Poco::JSON::Array::Ptr)) {
        traces = value.extract<Poco::JSON::Array::Ptr>();
      }
    } catch (...) {
      // a broken stored value is replaced, not propagated
    }
  }
  traces->add(entry);
  Poco::JSON::Array::Ptr kept = new Poco::JSON::Array();
  if (!limit || *limit != 0) {
    const std::size_t size = traces->size();
    const std::size_t keep = limit && *limit > 0 ? std::min<std::size_t>(size, *limit) : size;
    for (std::size_t i = size - keep; i < size; ++i)
      kept->add(traces->get(static_cast<unsigned>(i)));
  }
  return condense(kept);
}

}  // namespace warren::queue
