#include "app/Endpoint.h"

#include "app/Commands.h"
#include "log/Log.h"
#include "metrics/ProcessMetrics.h"
#include "queue/Keys.h"

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <set>

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

redis::Reply Endpoint::query(const std::string& key, const std::vector<std::string>& argv) {
  const auto& servers = node_.redisServers();
  const int route = servers->routeOf(key);
  std::lock_guard lock(redisMutex_);
  auto& connection = redis_[route];
  if (!connection) {
    redis::ConnectionOptions options = redisOptions(node_.config());
    options.autoReconnect = true;
    options.commandTimeout = std::chrono::milliseconds(2000);
    options.connectTimeout = std::chrono::milliseconds(2000);
    // A check answers within seconds: one reconnect try, not the workers' patient backoff.
    options.reconnect.maxAttempts = 1;
    options.reconnect.giveUpAfter = std::chrono::milliseconds(2000);
    connection =
        std::make_unique<redis::Connection>(node_.redisUrl(), servers->optionsFor(key, options));
  }
  try {
    return connection->command(argv);
  } catch (...) {
    connection.reset();  // connect afresh next time
    throw;
  }
}

namespace {

std::string isoTime(std::int64_t epochMs) {
  if (epochMs <= 0) return "null";
  const std::time_t seconds = static_cast<std::time_t>(epochMs / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &utc);
  char millis[8];
  std::snprintf(millis, sizeof millis, ".%03dZ", static_cast<int>(epochMs % 1000));
  return log::jsonString(std::string(text) + millis);
}

// What /health shows of the Redis topology: where the node's connections go, and failovers.
std::string redisDetail(const redis::Servers& servers) {
  const std::string mode = redis::Topology::modeName(servers.mode());
  std::string out = "{\"mode\":" + log::jsonString(mode);
  if (const auto* sentinel = servers.sentinel()) {
    const auto status = sentinel->status();
    out +=
        ",\"master_name\":" + log::jsonString(sentinel->masterName()) +
        ",\"master\":" + (status.master.empty() ? "null" : log::jsonString(status.master)) +
        ",\"watching\":" + (status.watching.empty() ? "null" : log::jsonString(status.watching)) +
        ",\"failovers\":" + std::to_string(status.failovers) + ",\"last_switch\":" +
        (status.lastSwitch.empty() ? "null" : log::jsonString(status.lastSwitch)) +
        ",\"last_switch_at\":" + isoTime(status.lastSwitchMs);
  } else if (const auto* cluster = servers.cluster()) {
    const auto status = cluster->status();
    std::string masters;
    for (const auto& address : cluster->masters())
      masters += (masters.empty() ? "" : ",") + log::jsonString(address.text());
    out += ",\"masters\":[" + masters + "]" +
           ",\"slots_covered\":" + std::to_string(status.slotsCovered) +
           ",\"failovers\":" + std::to_string(status.failovers) + ",\"last_failover\":" +
           (status.lastFailover.empty() ? "null" : log::jsonString(status.lastFailover)) +
           ",\"last_failover_at\":" + isoTime(status.lastFailoverMs) +
           ",\"map_refreshed_at\":" + isoTime(status.lastRefreshMs);
  } else {
    out += ",\"server\":" + log::jsonString(servers.url().endpoint());
  }
  return out + ",\"reconnects\":" + std::to_string(redis::stats().reconnects.load()) + "}";
}

}  // namespace

// PING where each queue's keys are served (on a Cluster, every slot of the node's queues).
http::CheckResult Endpoint::checkRedis() {
  std::vector<std::string> keys;
  std::set<int> routes;
  const auto& servers = node_.redisServers();
  for (const auto& worker : node_.workers()) {
    const queue::Keys queueKeys(worker->options().prefix, worker->options().queue);
    if (routes.insert(servers->routeOf(queueKeys.base())).second) keys.push_back(queueKeys.base());
  }
  if (keys.empty()) keys.push_back(node_.config().redisPrefix + ":");
  http::CheckResult result;
  try {
    for (const auto& key : keys) {
      const redis::Reply reply = query(key, {"PING"});
      if (reply.isError()) {
        result = http::CheckResult::failed(reply.str());
        break;
      }
    }
  } catch (const std::exception& e) {
    result = http::CheckResult::failed(std::string("check failed: ") + e.what());
  }
  result.detail = redisDetail(*servers);  // where the node looks for Redis, also when it fails
  return result;
}

void Endpoint::addChecks() {
  health_.add("redis", [this] { return checkRedis(); });
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
  collectRedis(registry);
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
      const std::string& key = keys.base();
      const std::int64_t dueScore = (queue::nowMs() + 1) * 4096 - 1;
      const double waiting = static_cast<double>(
          query(key, {"LLEN", keys.key("wait")}).integer() +
          query(key, {"ZCARD", keys.key("prioritized")}).integer() +
          query(key, {"ZCOUNT", keys.key("delayed"), "-inf", std::to_string(dueScore)}).integer());
      metrics::setQueueDepth(registry, options.queue, waiting);
      const redis::Reply oldest = query(key, {"LINDEX", keys.key("wait"), "-1"});
      double age = 0;
      if (oldest.isString()) {
        const redis::Reply stamp = query(key, {"HGET", keys.job(oldest.str()), "timestamp"});
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

// The Redis layer's counters, as the growth since the last scrape (they are process-wide).
void Endpoint::collectRedis(metrics::Registry& registry) {
  const auto& now = redis::stats();
  const auto exportDelta = [&](const char* name, const metrics::Labels& labels,
                               const std::atomic<std::uint64_t>& current,
                               std::atomic<std::uint64_t>& exported) {
    const std::uint64_t value = current.load();
    const std::uint64_t before = exported.exchange(value);
    registry.counterAdd(name, labels, static_cast<double>(value - before));
  };
  exportDelta(metrics::names::redisReconnects, {}, now.reconnects, exported_.reconnects);
  exportDelta(metrics::names::redisFailovers, {}, now.failovers, exported_.failovers);
  exportDelta(metrics::names::redisRedirects, {{"kind", "moved"}}, now.moved, exported_.moved);
  exportDelta(metrics::names::redisRedirects, {{"kind", "ask"}}, now.asked, exported_.asked);
}

}  // namespace warren::app
