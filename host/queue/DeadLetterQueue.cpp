#include "queue/DeadLetterQueue.h"

#include "queue/Scripts.h"
#include "queue/Worker.h"

#include <stdexcept>

namespace warren::queue {
namespace {

constexpr std::size_t kReadBatch = 500;  // dead letters read per pipeline

struct Listing {
  const char* state;
  std::vector<std::string> command;  // reads the ids of that state
};

}  // namespace

DeadLetterQueue::DeadLetterQueue(redis::Connection& connection, std::string prefix,
                                 const std::string& queue)
    : connection_(connection), keys_(std::move(prefix), queue) {}

std::vector<DeadLetter> DeadLetterQueue::list(std::size_t* others) {
  const std::vector<Listing> listings = {
      {"waiting", {"LRANGE", keys_.key("wait"), "0", "-1"}},
      {"prioritized", {"ZRANGE", keys_.key("prioritized"), "0", "-1"}},
      {"delayed", {"ZRANGE", keys_.key("delayed"), "0", "-1"}},
      {"active", {"LRANGE", keys_.key("active"), "0", "-1"}},
      {"completed", {"ZREVRANGE", keys_.key("completed"), "0", "-1"}},
      {"failed", {"ZREVRANGE", keys_.key("failed"), "0", "-1"}},
  };
  std::vector<std::vector<std::string>> commands;
  for (const auto& listing : listings) commands.push_back(listing.command);
  const auto replies = connection_.pipeline(commands);
  std::vector<std::pair<std::string, const char*>> ids;  // id, state
  for (std::size_t i = 0; i < replies.size(); ++i) {
    if (replies[i].isError())
      throw std::runtime_error("reading " + keys_.queue() + ": " + replies[i].str());
    for (const auto& id : replies[i].elements()) ids.emplace_back(id.str(), listings[i].state);
  }
  std::vector<DeadLetter> letters;
  std::size_t notLetters = 0;
  for (std::size_t first = 0; first < ids.size(); first += kReadBatch) {
    std::vector<std::vector<std::string>> reads;
    const std::size_t end = std::min(ids.size(), first + kReadBatch);
    for (std::size_t i = first; i < end; ++i)
      reads.push_back({"HGET", keys_.job(ids[i].first), "data"});
    const auto data = connection_.pipeline(reads);
    for (std::size_t i = first; i < end; ++i) {
      const auto& reply = data[i - first];
      auto letter = reply.isString() ? readDeadLetter(reply.str()) : std::nullopt;
      if (!letter) {
        ++notLetters;
        continue;
      }
      letter->id = ids[i].first;
      letter->state = ids[i].second;
      letters.push_back(std::move(*letter));
    }
  }
  if (others != nullptr) *others = notLetters;
  return letters;
}

std::optional<DeadLetter> DeadLetterQueue::get(const std::string& id) {
  // getState's order (4.1); LPOS needs Redis 6.0.6, which the preflight ensures.
  static const std::vector<std::pair<const char*, const char*>> states = {
      {"completed", "ZSCORE"},   {"failed", "ZSCORE"}, {"delayed", "ZSCORE"},
      {"prioritized", "ZSCORE"}, {"active", "LPOS"},   {"wait", "LPOS"}};
  std::vector<std::vector<std::string>> commands = {{"HGET", keys_.job(id), "data"}};
  for (const auto& [set, command] : states) commands.push_back({command, keys_.key(set), id});
  const auto replies = connection_.pipeline(commands);
  for (const auto& reply : replies) {
    if (reply.isError()) throw std::runtime_error("reading " + keys_.queue() + ": " + reply.str());
  }
  auto letter = replies[0].isString() ? readDeadLetter(replies[0].str()) : std::nullopt;
  if (!letter) return std::nullopt;
  letter->id = id;
  letter->state = "unknown";
  for (std::size_t i = 0; i < states.size(); ++i) {
    if (replies[i + 1].isNil()) continue;
    letter->state = std::string(states[i].first) == "wait" ? "waiting" : states[i].first;
    break;
  }
  return letter;
}

DeadLetterQueue::Result DeadLetterQueue::run(const std::vector<std::string>& args) {
  const redis::Reply reply =
      script(ScriptId::deadletter).run(connection_, {keys_.key("meta")}, args);
  if (reply.isError()) throw std::runtime_error(keys_.queue() + ": " + reply.str());
  const auto& parts = reply.asArray();
  Result result;
  const std::string kind = parts.empty() ? "" : parts[0].str();
  if (kind == "done")
    result.outcome = Result::Outcome::done;
  else if (kind == "missing")
    result.outcome = Result::Outcome::missing;
  else if (kind == "active")
    result.outcome = Result::Outcome::active;
  else if (kind == "exists")
    result.outcome = Result::Outcome::exists;
  else
    throw std::runtime_error(keys_.queue() + ": unexpected reply " + reply.describe());
  if (parts.size() > 1) result.detail = parts[1].str();
  return result;
}

DeadLetterQueue::Result DeadLetterQueue::replay(const DeadLetter& letter) {
  const Keys original(keys_.prefix(), letter.queue);  // throws for a name that is no queue name
  const std::int64_t timestamp = letter.timestamp > 0 ? letter.timestamp : nowMs();
  return run({keys_.base(), "replay", letter.id, original.base(), letter.jobId, letter.name,
              letter.data, replayOptions(letter.opts), std::to_string(timestamp)});
}

DeadLetterQueue::Result DeadLetterQueue::purge(const std::string& id) {
  return run({keys_.base(), "purge", id});
}

}  // namespace warren::queue
