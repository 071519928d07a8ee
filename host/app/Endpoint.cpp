#include "app/Endpoint.h"

#include "app/Commands.h"
#include "log/Log.h"
#include "metrics/ProcessMetrics.h"
#include "queue/Keys.h"

namespace warren::app {

Endpoint::Endpoint(const Node& node) : node_(node) {
  const config::Config& config = node.config();
  if (config.httpPort == 0) return;
  http::ServerOptions options;
  options.host = config.httpHost;
  options.port = static_cast<std::uint16_t>(config.httpPort);
  options.version = config.appVersion.empty() ? WARREN_VERSION : config.appVersion;
  server_ = std::make_unique<http::Server>(options, health_);
  addChecks();
  server_->addCollector([this](metrics::Registry& registry) { collect(registry); });
  server_->start();
  log::info("http endpoint listening", {{"host", config.httpHost}, {"port", server_->port()}});
}

Endpoint::~Endpoint() {
  if (server_) server_->stop();
}

void Endpoint::setState(http::State state) {
  if (server_) server_->setState(state);
}

std::uint16_t Endpoint::port() const { return server_ ? server_->port() : 0; }

redis::Reply Endpoint::query(const std::vector<std::string>& argv) {
  std::lock_guard lock(redisMutex_);
  if (!redis_) {
    redis::ConnectionOptions options = redisOptions(node_.config());
    options.autoReconnect = true;
    options.commandTimeout = std::chrono::milliseconds(2000);
    options.connectTimeout = std::chrono::milliseconds(2000);
    redis_ = std::make_unique<redis::Connection>(node_.redisUrl(), options);
  }
  try {
    return redis_->command(argv);
  } catch (...) {
    redis_.reset();  // connect afresh next time
    throw;
  }
}

void Endpoint::addChecks() {
  health_.add("redis", [this] {
    const redis::Reply reply = query({"PING"});
    return reply.isError() ? http::CheckResult::failed(reply.str()) : http::CheckResult::ok();
  });
  health_.add("workers", [this] {
    for (const auto& worker : node_.workers()) {
      const auto status = worker->status();
      if (!status.lastError.empty() && status.fetching && status.lastFetchMs == 0) {
        return http::CheckResult::failed("queue '" + worker->options().queue +
                                         "' never fetched: " + status.lastError);
      }
    }
    return http::CheckResult::ok();
  });
  for (const auto& worker : node_.workers()) {
    const queue::Worker* w = worker.get();
    auto check = std::make_shared<http::ConsumptionCheck>(
        w->options().queue,
        [w] { return http::sampleOf(w->status(), w->options().concurrency, w->status().fetching); },
        http::limitsOf(w->options()));
    health_.add("queue:" + w->options().queue, http::asCheck(check));
  }
}

// Queue depth and the age of the oldest waiting job, for autoscalers and alerts.
void Endpoint::collect(metrics::Registry& registry) {
  for (const auto& worker : node_.workers()) {
    const auto& options = worker->options();
    const queue::Keys keys(options.prefix, options.queue);
    metrics::setWorkerSlots(registry, options.queue, worker->activeJobs(), options.concurrency);
    try {
      const double waiting = static_cast<double>(query({"LLEN", keys.key("wait")}).integer() +
                                                 query({"ZCARD", keys.key("prioritized")}).integer());
      metrics::setQueueDepth(registry, options.queue, waiting);
      const redis::Reply oldest = query({"LINDEX", keys.key("wait"), "-1"});
      double age = 0;
      if (oldest.isString()) {
        const redis::Reply stamp = query({"HGET", keys.job(oldest.str()), "timestamp"});
        if (stamp.isString()) {
          age = std::max(0.0, static_cast<double>(queue::nowMs() - std::stoll(stamp.str())) / 1000.0);
        }
      }
      registry.gaugeSet("worker_oldest_waiting_job_age_seconds", {{"queue", options.queue}}, age);
    } catch (const std::exception& e) {
      log::debug("queue gauges not collected", {{"queue", options.queue}, {"error", e.what()}});
    }
  }
}

}  // namespace warren::app
