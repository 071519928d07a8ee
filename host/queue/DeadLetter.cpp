#include "queue/DeadLetter.h"

#include "json/Json.h"
#include "queue/JobJson.h"

#include <Poco/Exception.h>

#include <array>
#include <map>

namespace warren::queue {
namespace {

// A member's text decoded as a string or an integer; nullopt when it is neither.
std::optional<std::string> stringOf(std::string_view text) {
  if (text.empty() || text.front() != '"') return std::nullopt;
  try {
    return json::parse(text).convert<std::string>();
  } catch (const Poco::Exception&) {
    return std::nullopt;
  }
}

std::int64_t integerOrZero(std::string_view text) {
  try {
    return integerOf(json::parse(text)).value_or(0);
  } catch (const Poco::Exception&) {
    return 0;
  }
}

// An object member's key as written (escapes not decoded) is compared as is: the keys of a dead
// letter are plain.
std::map<std::string, std::string_view, std::less<>> membersOf(std::string_view text) {
  std::map<std::string, std::string_view, std::less<>> out;
  if (const auto members = json::objectMembers(text)) {
    for (const auto& member : *members) out.emplace(std::string(member.key), member.value);
  }
  return out;
}

}  // namespace

std::string deadLetterData(const JobRecord& job, const FinalFailure& failure) {
  JsonObjectWriter out;
  out.string("queue", failure.queue);
  out.string("jobId", job.id);
  out.string("name", job.name);
  // Bull Board and Node's Job.fromJSON parse the data: only well-formed JSON goes in as it is.
  if (json::wellFormed(job.data))
    out.raw("data", job.data);
  else
    out.string("dataText", job.data);
  const bool optsObject = !job.optsJson.empty() && job.optsJson.front() == '{' &&
                          json::objectMembers(job.optsJson).has_value();
  if (optsObject)
    out.raw("opts", job.optsJson);
  else
    out.string("optsText", job.optsJson);
  out.string("failedReason", failure.failedReason);
  out.raw("stacktrace", json::wellFormed(failure.stacktrace) ? failure.stacktrace : "[]");
  out.integer("attemptsMade", job.attemptsMade + 1);
  out.integer("attemptsStarted", job.attemptsStarted);
  out.integer("timestamp", job.timestamp);
  out.integer("failedOn", failure.failedOnMs);
  if (!failure.processedBy.empty()) out.string("processedBy", failure.processedBy);
  return out.done();
}

std::optional<DeadLetter> readDeadLetter(std::string_view data) {
  const auto members = membersOf(data);
  const auto text = [&](const char* key) -> std::optional<std::string_view> {
    const auto it = members.find(key);
    if (it == members.end()) return std::nullopt;
    return it->second;
  };
  DeadLetter letter;
  const auto queue = text("queue");
  const auto jobId = text("jobId");
  const auto name = text("name");
  if (!queue || !jobId || !name) return std::nullopt;
  const auto decoded = std::array{stringOf(*queue), stringOf(*jobId), stringOf(*name)};
  for (const auto& value : decoded)
    if (!value) return std::nullopt;
  letter.queue = *decoded[0];
  letter.jobId = *decoded[1];
  letter.name = *decoded[2];
  if (const auto value = text("data")) {
    letter.data = std::string(*value);
  } else if (const auto raw = text("dataText"); raw && stringOf(*raw)) {
    letter.data = *stringOf(*raw);
    letter.dataIsText = true;
  } else {
    return std::nullopt;
  }
  if (const auto value = text("opts"); value && value->front() == '{') letter.opts = *value;
  if (const auto value = text("failedReason")) letter.failedReason = stringOf(*value).value_or("");
  if (const auto value = text("stacktrace")) letter.stacktrace = *value;
  if (const auto value = text("processedBy")) letter.processedBy = stringOf(*value).value_or("");
  if (const auto value = text("attemptsMade")) letter.attemptsMade = integerOrZero(*value);
  if (const auto value = text("attemptsStarted")) letter.attemptsStarted = integerOrZero(*value);
  if (const auto value = text("timestamp")) letter.timestamp = integerOrZero(*value);
  if (const auto value = text("failedOn")) letter.failedOnMs = integerOrZero(*value);
  return letter;
}

std::string replayOptions(std::string_view storedOpts) {
  static const std::array<std::string_view, 10> kept = {
      "attempts",     "backoff", "priority",        "lifo",      "removeOnComplete",
      "removeOnFail", "kl",      "stackTraceLimit", "sizeLimit", "jobId"};
  JsonObjectWriter out;
  const auto members = json::objectMembers(storedOpts);
  if (!members) return out.done();
  for (const auto& member : *members) {
    for (const auto& key : kept) {
      if (member.key == key) out.raw(std::string(key), std::string(member.value));
    }
  }
  return out.done();
}

}  // namespace warren::queue
