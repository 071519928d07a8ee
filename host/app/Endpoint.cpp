#include "app/Endpoint.h"

#include "app/Commands.h"
#include "log/Log.h"
#include "metrics/ProcessMetrics.h"
#include "queue/Keys.h"

#include <algorithm>

namespace warren::app {

Endpoint::Endpoint(Node& node) : node_(node) {
  const config::Config& config = node.config();
  if (config.httpPort == 0) return;
  http::ServerOptions options;
  options.host = config.httpHost;
  options.port = static_cast<std::uint16_t>(config.httpPort);
  options.version = config.appVersion.empty() ? WARREN_VERSION : config.appVersion;
  server_ = std::make_unique<http::Server>(options, health_);
  addChecks();
  addAdminRoutes();
  node_.onReload([this] { refreshQueueChecks(); });
  server_->addCollector([this](metrics::Registry& registry) { collect(registry); });
  server_->start();
}

Endpoint::~Endpoint() {
  if (!server_) return;
  node_.onReload({});
  server_->stop();
}

void Endpoint::setState(http::State state) {
  if (server_) server_->setState(state);
}

std::uint16_t Endpoint::port() const {
  return server_ ? server_->port() : 0;
}

redis::Reply Endpoint::query(const std::vector<std::string>& argv) {
  std::lock_guard lock(redisMutex_);
  if (!redis_) {
    redis::ConnectionOptions options = redisOptions(node_.config());
    options.autoReconnect = true;
    options.commandTimeout = std::chrono::milliseconds(2000);
    options.connectTimeout = std::chrono::milliseconds(2000);
    // A check answers within seconds: one reconnect try, not the workers' patient backoff.
    options.reconnect.maxAttempts = 1;
    options.reconnect.giveUpAfter = std::chrono::milliseconds(2000);
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
  health_.add("database", [this] {
    const db::DbResult result = node_.database().ping(db::Intent::write);
    return result.ok ? http::CheckResult::ok() : http::CheckResult::failed(result.error);
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
  refreshQueueChecks();
  health_.add(
      "reload",
      [this] {
        const std::string error = node_.lastReloadError();
        return error.empty() ? http::CheckResult::ok()
                             : http::CheckResult::failed("last reload refused: " + error);
      },
      false);
}

void Endpoint::refreshQueueChecks() {
  std::lock_guard lock(checksMutex_);
  for (const auto& name : queueChecks_) health_.remove(name);
  queueChecks_.clear();
  for (const auto& check : node_.consumptionChecks()) {
    const std::string name = "queue:" + check->queue();
    health_.add(name, http::asCheck(check));
    queueChecks_.push_back(name);
  }
}

bool tokenMatches(std::string_view presented, std::string_view expected) {
  // Every byte of the longer one is looked at, whatever differs where.
  const std::size_t n = std::max(presented.size(), expected.size());
  unsigned char diff = presented.size() == expected.size() ? 0 : 1;
  for (std::size_t i = 0; i < n; ++i) {
    const auto a = static_cast<unsigned char>(i < presented.size() ? presented[i] : 0);
    const auto b = static_cast<unsigned char>(i < expected.size() ? expected[i] : 0);
    diff = static_cast<unsigned char>(diff | (a ^ b));
  }
  return diff == 0;
}

http::Handler Endpoint::guarded(http::Handler handler) const {
  return [this, handler = std::move(handler)](const http::Request& request) {
    const std::string& token = node_.config().adminToken;
    if (token.empty()) {
      return http::Response::error(403,
                                   "admin API disabled: set admin.token or WARREN_ADMIN_TOKEN");
    }
    const std::string header = request.header("Authorization");
    const std::string scheme = "Bearer ";
    if (header.size() <= scheme.size() || header.compare(0, scheme.size(), scheme) != 0) {
      http::Response refused = http::Response::error(401, "missing bearer token");
      refused.headers.emplace_back("WWW-Authenticate", "Bearer");
      return refused;
    }
    if (!tokenMatches(std::string_view(header).substr(scheme.size()), token)) {
      log::warn("admin request with an invalid token refused",
                {{"path", request.path}, {"remote", request.remoteAddress}});
      return http::Response::error(403, "invalid admin token");
    }
    return handler(request);
  };
}

http::Response Endpoint::drainStatus(int status) const {
  return http::Response::json(status,
                              "{\"state\":\"" + std::string(drainStateName(node_.drainState())) +
                                  "\",\"active\":" + std::to_string(node_.activeJobs()) + "}");
}

void Endpoint::addAdminRoutes() {
  server_->addRoute("POST", "/admin/reload", guarded([this](const http::Request&) {
                      log::info("reload requested over /admin/reload");
                      const ReloadOutcome outcome = node_.reload();
                      if (!outcome.ok) {
                        return http::Response::json(422, "{\"status\":\"refused\",\"error\":" +
                                                             log::jsonString(outcome.error) + "}");
                      }
                      return http::Response::json(
                          200, "{\"status\":\"reloaded\",\"queues\":" + outcome.summaryJson + "}");
                    }));
  server_->addRoute("POST", "/admin/drain", guarded([this](const http::Request&) {
                      node_.drain();
                      setState(http::State::draining);
                      return drainStatus(202);
                    }));
  server_->addRoute("GET", "/admin/drain",
                    guarded([this](const http::Request&) { return drainStatus(200); }));
  server_->addRoute("POST", "/admin/resume", guarded([this](const http::Request&) {
                      node_.resume();
                      setState(http::State::serving);
                      return http::Response::json(200, "{\"state\":\"serving\"}");
                    }));
}

// Queue depth (docs/deploy.md, "Queue depth") and the age of the oldest waiting job, for
// autoscalers and alerts.
void Endpoint::collect(metrics::Registry& registry) {
  for (const auto& worker : node_.workers()) {
    const auto& options = worker->options();
    const queue::Keys keys(options.prefix, options.queue);
    metrics::setWorkerSlots(registry, options.queue, worker->activeJobs(), worker->concurrency());
    const std::string pool = "worker:" + options.queue;
    registry.gaugeSet(metrics::names::redisPoolConnections, {{"pool", pool}, {"state", "open"}},
                      worker->openConnections());
    registry.gaugeSet(metrics::names::redisPoolMax, {{"pool", pool}}, 3);
    try {
      // Jobs that could start now if a slot were free: wait + prioritized + the delayed jobs
      // already due (a delayed score is due time × 4096 + a sequence number; due jobs are moved
      // to wait only by a fetch, so under load they pile up in `delayed`).
      const std::int64_t dueScore = (queue::nowMs() + 1) * 4096 - 1;
      const double waiting = static_cast<double>(
          query({"LLEN", keys.key("wait")}).integer() +
          query({"ZCARD", keys.key("prioritized")}).integer() +
          query({"ZCOUNT", keys.key("delayed"), "-inf", std::to_string(dueScore)}).integer());
      metrics::setQueueDepth(registry, options.queue, waiting);
      const redis::Reply oldest = query({"LINDEX", keys.key("wait"), "-1"});
      double age = 0;
      if (oldest.isString()) {
        const redis::Reply stamp = query({"HGET", keys.job(oldest.str()), "timestamp"});
        if (stamp.isString()) {
          age =
              std::max(0.0, static_cast<double>(queue::nowMs() - std::stoll(stamp.str())) / 1000.0);
        }
      }
      registry.gaugeSet("worker_oldest_waiting_job_age_seconds", {{"queue", options.queue}}, age);
    } catch (const std::exception& e) {
      log::debug("queue gauges not collected", {{"queue", options.queue}, {"error", e.what()}});
    }
  }
}

}  // namespace warren::app
