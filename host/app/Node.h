// One warren node: its Redis (given or embedded), its plugin instances and queue workers.
#pragma once

#include "config/Config.h"
#include "lifecycle/EmbeddedRedis.h"
#include "lifecycle/Signals.h"
#include "queue/Worker.h"
#include "redis/Url.h"

#include <memory>
#include <vector>

namespace warren::app {

class Node {
 public:
  // Starts the embedded Redis when the config has no REDIS_URL, checks the server (preflight),
  // loads every queue's plugin and starts its worker. Throws PluginError, PreflightError,
  // redis::ConnectionError, lifecycle::EmbeddedRedisError or config::ConfigError.
  explicit Node(const config::Config& config);
  ~Node();

  // Graceful stop: stop fetching everywhere, wait up to the shutdown timeout for running jobs,
  // give the rest back to wait. A second SIGTERM/SIGINT meanwhile exits the process at once.
  void stop(lifecycle::Signals& signals);

  const redis::Url& redisUrl() const { return url_; }
  const config::Config& config() const { return config_; }
  const std::vector<std::unique_ptr<queue::Worker>>& workers() const { return workers_; }

 private:
  config::Config config_;
  std::unique_ptr<lifecycle::EmbeddedRedis> embedded_;
  redis::Url url_;
  std::vector<std::unique_ptr<queue::Worker>> workers_;
};

}  // namespace warren::app
