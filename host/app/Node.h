// One warren node: its Redis (given or embedded), its database, the plugin generation serving
// each configured queue and the queue's worker; hot reload, drain and the consumption watchdog.
#pragma once

#include "app/Services.h"
#include "config/Config.h"
#include "db/Database.h"
#include "executor/CrashLedger.h"
#include "lifecycle/DirectoryWatch.h"
#include "lifecycle/EmbeddedRedis.h"
#include "lifecycle/Signals.h"
#include "plugins/Generation.h"
#include "queue/CancelListener.h"
#include "queue/QueueService.h"
#include "queue/RedisPool.h"
#include "queue/Worker.h"
#include "redis/Servers.h"
#include "redis/Url.h"

#include <atomic>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace warren::http {
class ConsumptionCheck;
}

namespace warren::app {

enum class DrainState { serving, draining, drained };
std::string_view drainStateName(DrainState state);

// What a reload did: ok, or refused with the reason (and then nothing changed).
struct ReloadOutcome {
  bool ok = false;
  std::string error;
  std::string summaryJson;  // {"<queue>":{"plugin":..,"version":..,"generation":N},...}
};

class Node {
 public:
  // Re-reads the node's configuration (file, environment, command line) for reloads.
  using ConfigSource = std::function<config::Config()>;

  // Starts the embedded Redis when the config has no REDIS_URL, checks the server (preflight),
  // opens the database (SQLite in the data directory without DATABASE_URL) and runs the host's
  // migrations, loads every queue's plugin and starts its worker. Throws PluginError,
  // PreflightError, redis::ConnectionError, lifecycle::EmbeddedRedisError, db::DbError or
  // config::ConfigError.
  Node(const config::Config& config, ConfigSource source = {});
  ~Node();

  // Graceful stop: stop fetching everywhere, wait up to the shutdown timeout for running jobs,
  // give the rest back to wait. A second SIGTERM/SIGINT meanwhile exits the process at once.
  void stop(lifecycle::Signals& signals);

  // Re-reads the config and reloads: queues added start, queues removed drain and stop, a queue
  // whose plugin file (by content) or plugin config changed gets a new generation, concurrency
  // changes apply live. Every new generation is loaded and initialised before any is switched;
  // any failure refuses the whole reload and the old generations keep serving. Serialised.
  ReloadOutcome reload();
  ReloadOutcome reload(const config::Config& next);
  std::string lastReloadError() const;
  // Called after each successful reload (queues may have come and gone), outside node locks.
  void onReload(std::function<void()> listener);

  // Blue-green: stop taking jobs on every queue (running jobs finish), and undo it.
  void drain();
  void resume();
  DrainState drainState() const;
  std::size_t activeJobs() const;

  // Watchdog: rebuilds the connections of workers that stopped consuming; called periodically.
  void watchdog();

  const redis::Url& redisUrl() const { return url_; }
  // Sentinel's master or Cluster's slot map, shared by every connection of the node.
  const std::shared_ptr<redis::Servers>& redisServers() const { return servers_; }
  const config::Config& config() const { return config_; }
  db::Database& database() { return *services_.database; }
  // The workers serving now (a snapshot: reloads may add and remove workers meanwhile).
  std::vector<std::shared_ptr<queue::Worker>> workers() const;
  // The queues served now, and one's configuration (nullopt when not served here).
  std::vector<std::string> servedQueues() const;
  std::optional<config::QueueConfig> queueConfig(const std::string& queue) const;
  // Each queue's consumption check (for /health and the watchdog).
  std::vector<std::shared_ptr<http::ConsumptionCheck>> consumptionChecks() const;

 private:
  struct Served {
    config::QueueConfig config;
    plugins::Generation generation;
    std::shared_ptr<queue::Worker> worker;
    std::shared_ptr<http::ConsumptionCheck> check;
  };
  struct Plan;

  plugins::GenerationSpec prepare(const config::QueueConfig& q, const std::string& pluginDir,
                                  const config::Config& from) const;
  void checkRedisFor(const std::vector<config::QueueConfig>& queues) const;
  Served startQueue(const config::QueueConfig& q, plugins::Generation generation,
                    std::uint32_t slots);
  ReloadOutcome apply(const config::Config& next, std::vector<Plan>& plans,
                      const std::vector<std::string>& removed);
  void retireGeneration(std::shared_ptr<queue::Worker> worker,
                        std::shared_ptr<plugins::Executor> old);
  void retireQueue(std::shared_ptr<queue::Worker> worker);
  void startRetirement(std::function<void()> work);
  void startWatching();
  void startCancelListener();
  std::string summaryLocked() const;

  config::Config config_;
  ConfigSource source_;
  std::unique_ptr<lifecycle::EmbeddedRedis> embedded_;
  std::shared_ptr<redis::Servers> servers_;
  redis::Url url_;
  Services services_;  // outlives every plugin instance (declared before queues_)
  // Plugins' calls to the node's Redis (the once() ledger), on connections of their own.
  std::shared_ptr<queue::RedisPool> pluginRedis_;
  std::shared_ptr<plugins::OnceLedger> ledger_;
  std::shared_ptr<executor::CrashLedger> crashes_;     // executors killed per job (isolation)
  std::unique_ptr<queue::QueueService> queueService_;  // the plugins' queue table
  std::filesystem::path copiesDir_;

  mutable std::mutex mutex_;  // queues_, draining_, lastReloadError_, stopping_
  std::map<std::string, Served> queues_;
  std::uint64_t generations_ = 0;  // generation numbers, node-wide
  bool draining_ = false;
  bool stopping_ = false;
  std::string lastReloadError_;
  std::condition_variable stopWake_;
  struct Retirement {
    std::thread thread;
    std::shared_ptr<std::atomic<bool>> done;
  };
  std::vector<Retirement> retirements_;  // old generations draining, removed queues closing

  std::function<void()> reloadListener_;
  std::mutex reloadMutex_;  // one reload at a time
  std::unique_ptr<lifecycle::DirectoryWatch> watch_;
  // The cancel channels of the queues served (Cancel.h); after queues_ in destruction order.
  std::unique_ptr<queue::CancelListener> cancels_;
};

}  // namespace warren::app
