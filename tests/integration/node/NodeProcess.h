// A `warren run` process serving one queue with the echo plugin (or another), as an operator starts
// it: the configuration comes from the environment (REDIS_URL, HTTP_PORT, ...) and --set; its own
// data directory; its JSON log on stderr. Plus the HTTP calls and polling the node tests share.
#pragma once

#include "Command.h"
#include "TempDir.h"

#include <Poco/JSON/Object.h>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace warren::test {

// How to start the node, e.g. NodeOptions("q", url).slots(2).set("queue.drainDelay=1").
struct NodeOptions {
  NodeOptions(std::string queueName, std::string redis)
      : queue(std::move(queueName)), redisUrl(std::move(redis)) {}
  NodeOptions& slots(std::uint32_t n) {
    concurrency = n;
    return *this;
  }
  NodeOptions& env(std::string nameValue) {
    environment.push_back(std::move(nameValue));
    return *this;
  }
  NodeOptions& set(std::string keyValue) {
    assignments.push_back(std::move(keyValue));
    return *this;
  }
  NodeOptions& withoutHttp() {
    http = false;
    return *this;
  }
  NodeOptions& worker(std::string id) {
    workerId = std::move(id);
    return *this;
  }
  NodeOptions& withPlugin(std::string nameOrPath) {
    plugin = std::move(nameOrPath);
    return *this;
  }

  std::string queue;                     // served with --plugin PLUGIN --queue QUEUE
  std::string plugin = "echo";           // a built plugin's name, or a path
  std::string redisUrl;                  // REDIS_URL
  std::uint32_t concurrency = 0;         // --concurrency (0: the plugin's default)
  std::vector<std::string> environment;  // extra NAME=VALUE
  std::vector<std::string> assignments;  // --set KEY=VALUE
  bool http = true;                      // HTTP_PORT on a free port
  std::string workerId = "node-test";
};

struct HttpReply {
  int status = 0;  // 0: no answer (connection refused, timeout)
  std::string body;
  std::string wwwAuthenticate;
};

// One HTTP/1.1 request to 127.0.0.1:port; never throws (status 0 when nothing answered).
HttpReply httpCall(int port, const std::string& method, const std::string& path,
                   const std::vector<std::pair<std::string, std::string>>& headers = {});

// The body parsed as a JSON object; a test failure (and nullptr) when it is not one.
Poco::JSON::Object::Ptr jsonObject(const std::string& body);

// Calls `done` every `interval` until it returns true or `deadline` passed; returns its last value.
bool eventually(const std::function<bool()>& done, std::chrono::milliseconds deadline,
                std::chrono::milliseconds interval = std::chrono::milliseconds(200));

// The value of one sample in a Prometheus exposition, e.g. `worker_active_jobs{queue="q"}`.
std::optional<double> metricValue(const std::string& exposition, const std::string& series);

std::vector<std::string> warrenCommand(const std::vector<std::string>& args);

class NodeProcess {
 public:
  // Starts the node and waits (up to 30 s) for "warren started"; throws with its log otherwise.
  explicit NodeProcess(NodeOptions options);

  int port() const { return port_; }
  pid_t pid() const { return process_->pid(); }
  const std::filesystem::path& dataDir() const { return dataDir_.path(); }

  HttpReply get(const std::string& path) const { return httpCall(port_, "GET", path); }
  // With "Authorization: Bearer TOKEN" unless the token is empty.
  HttpReply admin(const std::string& method, const std::string& path,
                  const std::string& token) const;

  // Sends `signal` and waits for the exit; returns the exit code (128+N when killed by N, -1
  // when it did not exit within the timeout and was killed).
  int stop(int signal, std::chrono::milliseconds timeout = std::chrono::seconds(30));
  // Sends a signal without waiting.
  void signal(int signal) const;
  // Waits for the exit without sending anything.
  int waitExit(std::chrono::milliseconds timeout);
  bool waitForLog(const std::string& needle, std::chrono::milliseconds timeout);
  std::string log() const { return process_->out() + process_->err(); }

 private:
  NodeOptions options_;
  TempDir dataDir_{"warren-node-data"};
  int port_ = 0;
  std::unique_ptr<BackgroundProcess> process_;
};

}  // namespace warren::test
