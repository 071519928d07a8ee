#include "app/Node.h"

#include "app/Commands.h"

#include "log/Log.h"
#include "plugins/Instance.h"
#include "queue/Preflight.h"
#include "redis/Connection.h"

#include <csignal>
#include <future>
#include <unistd.h>

namespace warren::app {
namespace {

queue::WorkerOptions workerOptions(const config::Config& config, const config::QueueConfig& q,
                                   const plugins::PluginInfo& plugin) {
  queue::WorkerOptions o;
  o.prefix = config.redisPrefix;
  o.queue = q.name;
  o.name = config.workerId;
  o.concurrency = q.concurrency > 0 ? q.concurrency : plugin.defaultConcurrency;
  o.lockDurationMs = q.lockDurationMs;
  o.lockRenewTimeMs = q.lockRenewTimeMs;
  o.stalledIntervalMs = q.stalledIntervalMs;
  o.maxStalledCount = q.maxStalledCount;
  o.maxStartedAttempts = q.maxStartedAttempts;
  o.drainDelayS = q.drainDelayS;
  o.limiterMax = q.limiterMax;
  o.limiterDurationMs = q.limiterDurationMs;
  o.timeoutMs = q.timeoutMs;
  o.removeOnComplete = q.removeOnComplete;
  o.removeOnFail = q.removeOnFail;
  o.metricsPoints = q.maxMetricsPoints;
  return o;
}

}  // namespace

Node::Node(const config::Config& config) : config_(config) {
  if (config_.redisUrl.empty()) {
    embedded_ = std::make_unique<lifecycle::EmbeddedRedis>(
        lifecycle::dataDirectory(config_.dataDir));
    config_.redisUrl = embedded_->url();
  }
  url_ = app::redisUrl(config_);
  const redis::ConnectionOptions options = redisOptions(config_);
  {
    redis::Connection probe(url_, options);
    queue::preflight(probe);
  }
  for (const auto& q : config_.queues) {
    const auto path = plugins::Library::resolve(q.plugin, config_.pluginDir);
    auto instance =
        std::make_shared<plugins::Instance>(plugins::Library::load(path), q.pluginConfig, q.name);
    workers_.push_back(std::make_unique<queue::Worker>(
        workerOptions(config_, q, instance->info()), url_, options, instance));
  }
  for (auto& worker : workers_) worker->start();
}

Node::~Node() { workers_.clear(); }

void Node::stop(lifecycle::Signals& signals) {
  log::info("warren stopping", {{"timeout_ms", config_.shutdownTimeoutMs}});
  for (auto& worker : workers_) worker->stopFetching();
  auto done = std::async(std::launch::async, [this] {
    const auto deadline =
        std::chrono::steady_clock::now() + std::chrono::milliseconds(config_.shutdownTimeoutMs);
    std::size_t givenBack = 0;
    for (auto& worker : workers_) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      givenBack += worker->close(std::max(left, std::chrono::milliseconds(0)));
    }
    return givenBack;
  });
  while (done.wait_for(std::chrono::milliseconds(100)) != std::future_status::ready) {
    const int signal = signals.wait(std::chrono::milliseconds(100));
    if (signal == SIGTERM || signal == SIGINT) {
      log::warn("second signal: exiting now; running jobs are left to the stalled checker");
      ::_exit(1);
    }
  }
  const std::size_t givenBack = done.get();
  if (givenBack > 0) {
    log::warn("jobs still running at the shutdown deadline were given back to wait",
              {{"jobs", static_cast<std::int64_t>(givenBack)}});
  }
  workers_.clear();
  if (embedded_) embedded_->stop();
  log::info("warren stopped");
}

}  // namespace warren::app
