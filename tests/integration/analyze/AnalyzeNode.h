// A `warren run` node serving content-analyze with the analyze plugin, on its own redis-server,
// with its object storage (a local directory in the node's data directory) filled by the test,
// and jobs added and read back as a BullMQ producer does.
#pragma once

#include "NodeProcess.h"
#include "QueueState.h"
#include "RedisServer.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace warren::test {

using Json = nlohmann::json;

// A job as BullMQ leaves it: its state and the fields of its hash.
struct FinishedJob {
  std::string state;  // completed, failed, delayed, wait, active, or "" (not found)
  std::map<std::string, std::string> hash;
  Json result() const;  // the parsed returnvalue (null when there is none)
  std::string failedReason() const;
  int attemptsMade() const;
  std::string describe() const;  // for assertion messages
};

class AnalyzeNode {
 public:
  // `env`: NAME=VALUE added to the node's environment (AI_PROVIDER...); `sets`: --set KEY=VALUE.
  explicit AnalyzeNode(std::vector<std::string> env = {}, std::vector<std::string> sets = {});
  ~AnalyzeNode();

  // Puts `file` (or `text`) into the node's object storage under `key`.
  void put(const std::string& key, const std::filesystem::path& file);
  void putText(const std::string& key, const std::string& text);

  std::string add(const Json& data, const Json& opts = Json::object());
  // The job once it left wait/active (completed or failed), or as it is at the deadline.
  FinishedJob wait(const std::string& id, std::chrono::seconds timeout = std::chrono::seconds(60));
  FinishedJob read(const std::string& id);
  // The job once it is in `state` (e.g. "delayed"), or as it is at the deadline.
  FinishedJob waitFor(const std::string& id, const std::string& state,
                      std::chrono::seconds timeout = std::chrono::seconds(20));
  // Adds `data` and waits for the job.
  FinishedJob run(const Json& data, const Json& opts = Json::object());

  NodeProcess& node() { return *node_; }
  QueueState& queue() { return *state_; }
  std::string log() const { return node_->log(); }
  const std::string& redisUrl() const { return url_; }

 private:
  RedisServer redis_;
  std::string url_;
  std::unique_ptr<NodeProcess> node_;
  std::unique_ptr<QueueState> state_;
  std::unique_ptr<redis::Connection> connection_;
  std::unique_ptr<queue::Producer> producer_;
};

// The queue the plugin serves in these tests.
inline constexpr const char* kQueue = "content-analyze";

// The plugin's result schema, compiled once; nullopt when `result` satisfies it.
std::optional<std::string> resultSchemaFailure(const Json& result);

}  // namespace warren::test
