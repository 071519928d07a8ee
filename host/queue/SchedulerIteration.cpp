// A job scheduler's next iteration, created when the current one starts (fact sheet §9.3).
#include "log/Log.h"
#include "queue/Cron.h"
#include "queue/WorkerParts.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>

#include <sstream>

namespace warren::queue {
namespace {

using Poco::JSON::Object;

std::int64_t number(const Object::Ptr& object, const std::string& key, std::int64_t fallback) {
  if (!object->has(key) || object->get(key).isEmpty()) return fallback;
  const auto value = object->get(key);
  if (value.isString()) {  // a date given as text: BullMQ stores ms, keep what parses
    try {
      return std::stoll(value.extract<std::string>());
    } catch (...) {
      return fallback;
    }
  }
  return static_cast<std::int64_t>(value.convert<double>());
}

// BullMQ 5's repeatable keys look like name:id:endDate:tz:pattern (§9.3 step 1).
bool legacyShape(const std::string& key) {
  std::vector<std::string> parts;
  std::string part;
  std::istringstream in(key);
  while (std::getline(in, part, ':')) parts.push_back(part);
  if (parts.size() < 5) return false;
  const std::string& endDate = parts[2];
  if (!endDate.empty() && endDate.find_first_not_of("0123456789") != std::string::npos)
    return false;
  std::size_t cut = 0;
  for (int i = 0; i < 4; ++i) cut = key.find(':', cut) + 1;
  const std::string tail = key.substr(cut);
  return !tail.empty() && (tail.find(' ') != std::string::npos ||
                           tail.find_first_not_of("0123456789") == std::string::npos);
}

std::string condense(const Object::Ptr& object) {
  std::ostringstream out;
  object->stringify(out);
  return out.str();
}

}  // namespace

void Worker::scheduleNextIteration(const JobRecord& record) {
  const std::string& id = *record.schedulerId;
  if (legacyShape(id)) {
    const redis::Reply ic =
        scriptsConnection().command({"HEXISTS", keys_.key("repeat:" + id), "ic"});
    if (ic.integer() == 0) {
      throw std::runtime_error(
          "Legacy repeatable job metadata is not supported in BullMQ v6 "
          "(key: \"" +
          id + "\")");
    }
  }
  Poco::JSON::Parser parser;
  const auto opts = parser.parse(record.optsJson).extract<Object::Ptr>();
  if (!opts->has("repeat")) throw std::runtime_error("job has rjk but no repeat option");
  const auto repeat = opts->getObject("repeat");
  const bool every = repeat->has("every") && !repeat->get("every").isEmpty();
  const std::int64_t iteration = number(repeat, "count", 0) + 1;
  if (repeat->has("limit") && !repeat->get("limit").isEmpty() &&
      iteration > number(repeat, "limit", 0)) {
    return;
  }
  const std::int64_t current = nowMs();
  const std::int64_t endDate = number(repeat, "endDate", 0);
  if (endDate > 0 && current > endDate) return;
  const std::int64_t now = std::max(current, number(opts, "prevMillis", 0));
  std::string next;
  if (!every) {
    if (!repeat->has("pattern"))
      throw std::runtime_error("repeat option has neither every nor pattern");
    const std::string tz = repeat->optValue<std::string>("tz", "");
    std::int64_t nextMs = current;  // `immediately`: now, whatever the pattern says
    if (!repeat->optValue<bool>("immediately", false)) {
      const auto occurrence = Cron::parse(repeat->getValue<std::string>("pattern"))
                                  .next(std::max(now, number(repeat, "startDate", 0)), tz, endDate);
      if (!occurrence) return;
      nextMs = *occurrence;
    }
    next = std::to_string(std::max(nextMs, now));
  }
  Object::Ptr nextRepeat = new Object(*repeat);
  nextRepeat->remove("immediately");
  if (every && repeat->has("offset") && !repeat->get("offset").isEmpty()) {
    nextRepeat->set("offset", repeat->get("offset"));
  } else {
    nextRepeat->set("offset", Poco::Dynamic::Var());
  }
  nextRepeat->set("count", iteration);
  Object::Ptr nextOpts = new Object(*opts);
  nextOpts->set("repeat", nextRepeat);
  nextOpts->set("timestamp", now);
  const redis::Reply reply =
      script(ScriptId::scheduler)
          .run(scriptsConnection(), {keys_.key("repeat")},
               {keys_.base(), id, next, condense(nextOpts), std::to_string(current), record.id});
  if (reply.isError()) throw std::runtime_error(reply.str());
  if (reply.isString()) {
    log::debug("scheduled next iteration", {{"queue", options_.queue}, {"jobId", reply.str()}});
  }
}

}  // namespace warren::queue
