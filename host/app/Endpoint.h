// The node's /health, /ready and /metrics: checks of Redis and of each queue's consuming loops,
// and per-queue gauges read at scrape time. Off when http.port is 0.
#pragma once

#include "app/Node.h"
#include "http/Server.h"
#include "redis/Connection.h"

#include <memory>
#include <mutex>

namespace warren::app {

class Endpoint {
 public:
  // Starts listening (state "starting") when the config has an HTTP port.
  explicit Endpoint(const Node& node);
  ~Endpoint();

  void setState(http::State state);
  std::uint16_t port() const;

 private:
  void addChecks();
  void collect(metrics::Registry& registry);
  redis::Reply query(const std::vector<std::string>& argv);

  const Node& node_;
  http::Health health_;
  std::unique_ptr<http::Server> server_;
  std::mutex redisMutex_;
  std::unique_ptr<redis::Connection> redis_;  // for checks and gauges only
};

}  // namespace warren::app
