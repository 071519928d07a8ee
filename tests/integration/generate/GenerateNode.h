// A `warren run` node serving content-generate with the generate plugin (and, when asked,
// content-analyze with the analyze plugin, from a config file), on its own redis-server, its
// database (SQLite in the node's data directory, or DATABASE_URL) open to the test, and jobs
// added and read back as a BullMQ producer does.
#pragma once

#include "NodeProcess.h"
#include "QueueState.h"
#include "RedisServer.h"
#include "TempDir.h"

#include "db/Database.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace warren::test {

using Json = nlohmann::json;

inline constexpr const char* kGenerateQueue = "content-generate";
inline constexpr const char* kAnalyzeQueue = "content-analyze";

// A job as BullMQ leaves it: its state and the fields of its hash.
struct GeneratedJob {
  std::string state;  // completed, failed, delayed, wait, active, or ""
  std::map<std::string, std::string> hash;
  std::vector<std::string> logs;  // the job's log lines (job.log)
  Json result() const;
  std::string failedReason() const;
  int attemptsMade() const;
  std::string describe() const;
  bool logged(const std::string& text) const;  // a log line holds `text`
};

struct GenerateNodeOptions {
  GenerateNodeOptions& withEnv(std::vector<std::string> values) {
    env = std::move(values);
    return *this;
  }
  GenerateNodeOptions& set(std::string keyValue) {
    sets.push_back(std::move(keyValue));
    return *this;
  }
  GenerateNodeOptions& withAnalyze() {
    analyze = true;
    return *this;
  }
  std::vector<std::string> env;   // NAME=VALUE (AI_PROVIDER, DATABASE_URL...)
  std::vector<std::string> sets;  // --set KEY=VALUE for content-generate
  bool analyze = false;           // also serve content-analyze with the analyze plugin
};

class GenerateNode {
 public:
  explicit GenerateNode(GenerateNodeOptions options = {});
  ~GenerateNode();

  std::string add(const Json& data, const Json& opts = Json::object());
  GeneratedJob run(const Json& data, const Json& opts = Json::object());
  GeneratedJob runAnalyze(const Json& data);
  GeneratedJob wait(const std::string& queue, const std::string& id,
                    std::chrono::seconds timeout = std::chrono::seconds(60));

  // A statement on the node's database; throws with the database's error.
  Json sql(const std::string& statement, const Json& params = Json::array());

  NodeProcess& node() { return *node_; }
  QueueState& queue(const std::string& name);
  std::string log() const { return node_->log(); }
  const std::string& redisUrl() const { return url_; }

 private:
  RedisServer redis_;
  std::string url_;
  TempDir dir_;
  std::unique_ptr<NodeProcess> node_;
  std::map<std::string, std::unique_ptr<QueueState>> queues_;
  std::unique_ptr<redis::Connection> connection_;
  std::unique_ptr<db::Database> database_;
};

// The plugin's result schema; nullopt when `result` satisfies it.
std::optional<std::string> resultSchemaFailure(const Json& result);

// The inline brand and analysis most tests use.
Json bakeryBrand();
Json bakeryAnalysis();

}  // namespace warren::test
