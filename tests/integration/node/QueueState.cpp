#include "QueueState.h"

#include <numeric>

namespace warren::test {
namespace {

redis::ConnectionOptions testOptions() {
  redis::ConnectionOptions options;
  options.connectTimeout = std::chrono::seconds(5);
  options.commandTimeout = std::chrono::seconds(5);
  options.autoReconnect = true;  // the health test restarts the server under it
  return options;
}

}  // namespace

std::size_t JobStates::count(const std::string& state) const {
  const auto found = ids.find(state);
  return found == ids.end() ? 0 : found->second.size();
}

std::size_t JobStates::total() const {
  return std::accumulate(
      ids.begin(), ids.end(), std::size_t{0},
      [](std::size_t sum, const auto& entry) { return sum + entry.second.size(); });
}

std::string JobStates::summary() const {
  std::string text;
  for (const auto& [state, list] : ids) {
    text += (text.empty() ? "" : " ") + state + "=" + std::to_string(list.size());
  }
  return text;
}

QueueState::QueueState(const std::string& redisUrl, std::string queue)
    : queue_(std::move(queue)),
      connection_(std::make_unique<redis::Connection>(redis::Url::parse(redisUrl), testOptions())),
      producer_(std::make_unique<queue::Producer>(*connection_, "bull", queue_)) {}

JobStates QueueState::read() {
  JobStates states;
  const auto replies = connection_->pipeline({
      {"LRANGE", key("wait"), "0", "-1"},
      {"LRANGE", key("active"), "0", "-1"},
      {"ZRANGE", key("completed"), "0", "-1"},
      {"ZRANGE", key("failed"), "0", "-1"},
      {"ZRANGE", key("delayed"), "0", "-1"},
      {"ZRANGE", key("prioritized"), "0", "-1"},
  });
  const char* names[] = {"wait", "active", "completed", "failed", "delayed", "prioritized"};
  for (std::size_t i = 0; i < replies.size(); ++i) {
    auto& list = states.ids[names[i]];
    for (const auto& id : replies[i].asArray()) list.push_back(id.str());
  }
  return states;
}

std::vector<std::string> QueueState::add(std::size_t n, const std::string& dataJson,
                                         const std::string& optsJson) {
  std::vector<std::string> ids;
  for (std::size_t i = 0; i < n; ++i) ids.push_back(producer_->add("echo", dataJson, optsJson));
  return ids;
}

std::map<std::string, int> QueueState::eventsPerJob(const std::string& event) {
  std::map<std::string, int> counts;
  const redis::Reply reply = connection_->command({"XRANGE", key("events"), "-", "+"});
  for (const auto& entry : reply.asArray()) {
    const auto& fields = entry.elements()[1].elements();
    std::string name;
    std::string jobId;
    for (std::size_t i = 0; i + 1 < fields.size(); i += 2) {
      if (fields[i].str() == "event") name = fields[i + 1].str();
      if (fields[i].str() == "jobId") jobId = fields[i + 1].str();
    }
    if (name == event) ++counts[jobId];
  }
  return counts;
}

std::map<std::string, std::string> QueueState::jobHash(const std::string& id) {
  std::map<std::string, std::string> out;
  const redis::Reply reply = connection_->command({"HGETALL", key(id)});
  const auto& list = reply.asArray();
  for (std::size_t i = 0; i + 1 < list.size(); i += 2) out[list[i].str()] = list[i + 1].str();
  return out;
}

}  // namespace warren::test
