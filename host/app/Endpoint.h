// The node's HTTP endpoint: /health (Redis, database, workers, each queue's consumption, the
// last reload), /ready, /metrics (per-queue gauges read at scrape time), and the admin API
// (/admin/reload, /admin/drain, /admin/resume) behind a bearer token. Off when http.port is 0.
#pragma once

#include "app/Node.h"
#include "http/Server.h"
#include "redis/Connection.h"
#include "redis/Stats.h"

#include <map>
#include <memory>
#include <mutex>

namespace warren::app {

class Endpoint {
 public:
  // Starts listening (state "starting") when the config has an HTTP port.
  explicit Endpoint(Node& node);
  ~Endpoint();

  void setState(http::State state);
  std::uint16_t port() const;
  // Re-registers the per-queue checks (after a reload added or removed queues).
  void refreshQueueChecks();

 private:
  void addChecks();
  void addAdminRoutes();
  http::Handler guarded(http::Handler handler) const;
  http::Response drainStatus(int status) const;
  void collect(metrics::Registry& registry);
  void collectRedis(metrics::Registry& registry);
  http::CheckResult checkRedis();
  // A command on the connection serving `key` (on a Cluster, one per slot of the node's queues).
  redis::Reply query(const std::string& key, const std::vector<std::string>& argv);

  Node& node_;
  http::Health health_;
  std::unique_ptr<http::Server> server_;
  std::mutex redisMutex_;
  std::map<int, std::unique_ptr<redis::Connection>> redis_;  // for checks and gauges, by route
  redis::Stats exported_;  // redis::stats() as last exported to /metrics (collect runs serially)
  std::mutex checksMutex_;
  std::vector<std::string> queueChecks_;  // names registered in health_
};

// Constant-time comparison of a presented token with the configured one.
bool tokenMatches(std::string_view presented, std::string_view expected);

}  // namespace warren::app
