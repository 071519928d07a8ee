// The node's HTTP endpoint (Poco HTTPServer): GET /health, GET /ready, GET /metrics, and routes
// added by others (the admin endpoints). Bound to 127.0.0.1 unless configured otherwise.
//
//   /health   200 or 503: {"status":"healthy"|"unhealthy","checks":{NAME:{"healthy":B,
//             "error":null|TEXT},...},"uptime_s":N,"version":"APP_VERSION"}
//   /ready    200 {"ready":true} in state serving; otherwise 503
//             {"ready":false,"state":"starting"|"draining"|"stopping"}
//   /metrics  the registry in the Prometheus text format (0.0.4), process metrics collected at
//             scrape time, then the collectors added with addCollector()
//   other     404 {"error":"not found",...}; a known path with another method: 405 with Allow
#pragma once

#include "http/Health.h"
#include "metrics/Registry.h"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace warren::http {

enum class State { starting, serving, draining, stopping };
std::string_view stateName(State state);

struct ServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;                    // 0: the kernel chooses (see Server::port())
  std::string version;                       // APP_VERSION, reported by /health
  int threads = 4;                           // request threads
  int maxQueued = 64;                        // accepted connections waiting for a thread
  std::chrono::milliseconds timeout{10000};  // socket send/receive timeout
  std::size_t maxBodyBytes = 1 << 20;        // larger request bodies get 413
};

struct Request {
  std::string method;
  std::string path;   // without the query string
  std::string query;  // after '?', undecoded; empty when none
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::string remoteAddress;  // "127.0.0.1:53412"

  // The first header of that name (case-insensitive), or "".
  std::string header(std::string_view name) const;
};

struct Response {
  int status = 200;
  std::string contentType = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;

  static Response json(int status, std::string body) {
    return {status, "application/json", std::move(body), {}};
  }
  // {"error":MESSAGE}
  static Response error(int status, std::string_view message);
};

using Handler = std::function<Response(const Request&)>;
// Runs at each scrape, before the registry is rendered (e.g. to read queue depths).
using Collector = std::function<void(metrics::Registry&)>;

class Server {
 public:
  // `health` and `registry` must outlive the server. Calls metrics::describeHostMetrics.
  explicit Server(ServerOptions options, Health& health,
                  metrics::Registry& registry = metrics::registry());
  ~Server();  // stop()
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Adds a route: exact path, or a prefix when `path` ends in "/*" ("/admin/*" matches
  // "/admin/x/y", not "/admin"). Of the routes for the request's method that match its path,
  // an exact one wins over prefixes, a longer prefix over a shorter; when the path matches only
  // routes for other methods the answer is 405 with their methods in Allow.
  // Replaces an existing route for the same method and path. Any time, also while serving.
  // A handler that throws answers 500 {"error":...}; it may run on several threads at once.
  void addRoute(const std::string& method, const std::string& path, Handler handler);
  void addCollector(Collector collector);

  // Binds and starts serving; throws std::runtime_error ("cannot listen on HOST:PORT: ...").
  void start();
  // Stops accepting, aborts open connections, waits for the request threads. Idempotent.
  void stop();
  bool running() const;

  std::uint16_t port() const;  // the bound port (after start())
  std::string host() const;    // the bound address, e.g. "127.0.0.1"

  void setState(State state) { state_.store(state); }
  State state() const { return state_.load(); }

  // The response to a request, without the network (used by the request threads; for tests).
  Response handle(const Request& request) const;

 private:
  struct Impl;
  struct Route {
    std::string method;
    std::string path;  // exact, or prefix ending in '/'
    bool prefix = false;
    std::shared_ptr<const Handler> handler;
  };

  Response healthResponse() const;
  Response readyResponse() const;
  Response metricsResponse() const;

  const ServerOptions options_;
  Health& health_;
  metrics::Registry& registry_;
  const std::chrono::steady_clock::time_point created_ = std::chrono::steady_clock::now();
  std::atomic<State> state_{State::starting};

  mutable std::shared_mutex mutex_;  // routes_, collectors_
  std::vector<Route> routes_;
  std::vector<std::shared_ptr<const Collector>> collectors_;

  std::unique_ptr<Impl> impl_;
};

}  // namespace warren::http
