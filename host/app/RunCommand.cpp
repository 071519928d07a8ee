// warren run: serve the configured queues until SIGTERM/SIGINT.
#include "app/Commands.h"
#include "lifecycle/EmbeddedRedis.h"
#include "lifecycle/Signals.h"
#include "log/Log.h"
#include "plugins/Instance.h"
#include "queue/Preflight.h"
#include "queue/Worker.h"
#include "redis/Connection.h"
#include "redis/Errors.h"

#include <csignal>
#include <future>
#include <iostream>
#include <unistd.h>

namespace warren::app {
namespace {

redis::Url redisUrl(const config::Config& config) {
  try {
    redis::Url url = redis::Url::parse(config.redisUrl);
    if (config.redisTls) url.tls = true;
    return url;
  } catch (const std::invalid_argument& e) {
    throw config::ConfigError(e.what());
  }
}

redis::ConnectionOptions redisOptions(const config::Config& config) {
  redis::ConnectionOptions options;
  options.connectTimeout = std::chrono::milliseconds(config.redisConnectTimeoutMs);
  options.commandTimeout = std::chrono::milliseconds(config.redisCommandTimeoutMs);
  options.caFile = config.redisCaFile;
  return options;
}

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

std::vector<std::unique_ptr<queue::Worker>> startWorkers(const config::Config& config) {
  const redis::Url url = redisUrl(config);
  const redis::ConnectionOptions options = redisOptions(config);
  {
    redis::Connection probe(url, options);
    queue::preflight(probe);
  }
  std::vector<std::unique_ptr<queue::Worker>> workers;
  for (const auto& q : config.queues) {
    const auto path = plugins::Library::resolve(q.plugin, config.pluginDir);
    auto instance =
        std::make_shared<plugins::Instance>(plugins::Library::load(path), q.pluginConfig, q.name);
    workers.push_back(std::make_unique<queue::Worker>(
        workerOptions(config, q, instance->info()), url, options, instance));
  }
  for (auto& worker : workers) worker->start();
  return workers;
}

// Without REDIS_URL, a private redis-server in the data directory serves the queues.
config::Config withRedis(const config::Config& config,
                         std::unique_ptr<lifecycle::EmbeddedRedis>& embedded) {
  if (!config.redisUrl.empty()) return config;
  embedded = std::make_unique<lifecycle::EmbeddedRedis>(lifecycle::dataDirectory(config.dataDir));
  config::Config copy = config;
  copy.redisUrl = embedded->url();
  return copy;
}

// Graceful stop of every worker at once; a second signal ends the process at once.
void stopWorkers(std::vector<std::unique_ptr<queue::Worker>>& workers, std::int64_t timeoutMs,
                 lifecycle::Signals& signals) {
  for (auto& worker : workers) worker->stopFetching();
  auto done = std::async(std::launch::async, [&] {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
    std::size_t givenBack = 0;
    for (auto& worker : workers) {
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
}

}  // namespace

int runCommand(const Options& options) {
  const config::Config config = loadConfig(options);
  setUpLogging(config);
  if (config.queues.empty()) {
    throw config::ConfigError(
        "no queues to serve: give --plugin and --queue, or queue.NAME.plugin in a config file");
  }
  lifecycle::Signals signals;  // before any thread starts
  std::unique_ptr<lifecycle::EmbeddedRedis> embedded;
  std::vector<std::unique_ptr<queue::Worker>> workers;
  try {
    workers = startWorkers(withRedis(config, embedded));
  } catch (const plugins::PluginError& e) {
    std::cerr << "warren: " << e.what() << "\n";
    return kExitRefused;
  } catch (const queue::PreflightError& e) {
    std::cerr << "warren: " << e.what() << "\n";
    return kExitConfig;
  } catch (const redis::ConnectionError& e) {
    std::cerr << "warren: cannot reach Redis: " << e.what() << "\n";
    return kExitFailed;
  } catch (const lifecycle::EmbeddedRedisError& e) {
    std::cerr << "warren: " << e.what() << "\n";
    return kExitFailed;
  }
  log::info("warren started", {{"queues", static_cast<std::int64_t>(config.queues.size())},
                               {"profile", config.profile}});
  for (;;) {
    const int signal = signals.wait(std::chrono::milliseconds(1000));
    if (signal == SIGTERM || signal == SIGINT) break;
  }
  log::info("warren stopping", {{"timeout_ms", config.shutdownTimeoutMs}});
  stopWorkers(workers, config.shutdownTimeoutMs, signals);
  workers.clear();
  log::info("warren stopped");
  return kExitOk;
}

}  // namespace warren::app
