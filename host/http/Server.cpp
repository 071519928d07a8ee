#include "http/Server.h"

#include "log/Log.h"
#include "metrics/ProcessMetrics.h"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/ThreadPool.h>
#include <Poco/Timespan.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <istream>
#include <mutex>
#include <stdexcept>

namespace warren::http {
namespace {

bool equalsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

using log::jsonString;

double epochSeconds() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace

std::string_view stateName(State state) {
  switch (state) {
    case State::starting:
      return "starting";
    case State::serving:
      return "serving";
    case State::draining:
      return "draining";
    case State::stopping:
      return "stopping";
  }
  return "unknown";
}

std::string Request::header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (equalsIgnoreCase(key, name)) return value;
  }
  return {};
}

Response Response::error(int status, std::string_view message) {
  return json(status, "{\"error\":" + jsonString(message) + "}");
}

// ---- Poco glue ---------------------------------------------------------------------------------

namespace {

class RequestHandler : public Poco::Net::HTTPRequestHandler {
 public:
  RequestHandler(const Server& server, std::size_t maxBody) : server_(server), maxBody_(maxBody) {}

  void handleRequest(Poco::Net::HTTPServerRequest& in,
                     Poco::Net::HTTPServerResponse& out) override {
    Response response;
    try {
      response = respond(in);
    } catch (const std::exception& e) {
      response = Response::error(500, e.what());
    }
    out.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(response.status));
    out.setContentType(response.contentType);
    out.set("Cache-Control", "no-store");
    for (const auto& [key, value] : response.headers) out.set(key, value);
    out.setContentLength64(static_cast<Poco::Int64>(response.body.size()));
    out.sendBuffer(response.body.data(), response.body.size());
  }

 private:
  Response respond(Poco::Net::HTTPServerRequest& in) const {
    Request request;
    request.method = in.getMethod();
    const std::string& uri = in.getURI();
    const auto question = uri.find('?');
    request.path = uri.substr(0, question);
    if (question != std::string::npos) request.query = uri.substr(question + 1);
    for (const auto& [key, value] : in) request.headers.emplace_back(key, value);
    request.remoteAddress = in.clientAddress().toString();
    if (in.hasContentLength() && in.getContentLength64() > static_cast<Poco::Int64>(maxBody_)) {
      return Response::error(413,
                             "request body larger than " + std::to_string(maxBody_) + " bytes");
    }
    if (in.hasContentLength() || in.getChunkedTransferEncoding()) {
      std::istream& body = in.stream();
      char buffer[8192];
      while (body.read(buffer, sizeof buffer) || body.gcount() > 0) {
        request.body.append(buffer, static_cast<std::size_t>(body.gcount()));
        if (request.body.size() > maxBody_) {
          return Response::error(413,
                                 "request body larger than " + std::to_string(maxBody_) + " bytes");
        }
      }
    }
    return server_.handle(request);
  }

  const Server& server_;
  const std::size_t maxBody_;
};

class HandlerFactory : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  HandlerFactory(const Server& server, std::size_t maxBody) : server_(server), maxBody_(maxBody) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(
      const Poco::Net::HTTPServerRequest&) override {
    return new RequestHandler(server_, maxBody_);
  }

 private:
  const Server& server_;
  const std::size_t maxBody_;
};

}  // namespace

struct Server::Impl {
  std::mutex mutex;  // start/stop
  std::unique_ptr<Poco::ThreadPool> pool;
  std::unique_ptr<Poco::Net::HTTPServer> server;
  std::string host;
  std::uint16_t port = 0;
  double processStart = 0;  // seconds since the epoch
};

// ---- Server ------------------------------------------------------------------------------------

Server::Server(ServerOptions options, Health& health, metrics::Registry& registry)
    : options_(std::move(options)),
      health_(health),
      registry_(registry),
      impl_(std::make_unique<Impl>()) {
  metrics::describeHostMetrics(registry_);
  const auto stats = metrics::readProcessStats();
  impl_->processStart = stats.startTimeSeconds.value_or(epochSeconds());
  addRoute("GET", "/health", [this](const Request&) { return healthResponse(); });
  addRoute("GET", "/ready", [this](const Request&) { return readyResponse(); });
  addRoute("GET", "/metrics", [this](const Request&) { return metricsResponse(); });
}

Server::~Server() {
  stop();
}

void Server::addRoute(const std::string& method, const std::string& path, Handler handler) {
  if (method.empty() || path.empty() || path[0] != '/') {
    throw std::invalid_argument("route needs a method and a path starting with '/': '" + method +
                                " " + path + "'");
  }
  Route route;
  route.method = method;
  route.prefix = path.size() >= 2 && path.compare(path.size() - 2, 2, "/*") == 0;
  route.path = route.prefix ? path.substr(0, path.size() - 1) : path;
  route.handler = std::make_shared<const Handler>(std::move(handler));
  std::unique_lock lock(mutex_);
  for (auto& existing : routes_) {
    if (existing.method == route.method && existing.path == route.path &&
        existing.prefix == route.prefix) {
      existing.handler = route.handler;
      return;
    }
  }
  routes_.push_back(std::move(route));
}

void Server::addCollector(Collector collector) {
  std::unique_lock lock(mutex_);
  collectors_.push_back(std::make_shared<const Collector>(std::move(collector)));
}

void Server::start() {
  std::lock_guard lock(impl_->mutex);
  if (impl_->server) return;
  try {
    const Poco::Net::SocketAddress address(options_.host, options_.port);
    Poco::Net::ServerSocket socket;
    socket.bind(address, /*reuseAddress=*/true, /*reusePort=*/false);
    socket.listen(64);
    auto params = Poco::AutoPtr<Poco::Net::HTTPServerParams>(new Poco::Net::HTTPServerParams);
    const int threads = std::max(options_.threads, 1);
    params->setMaxThreads(threads);
    params->setMaxQueued(std::max(options_.maxQueued, 1));
    params->setKeepAlive(true);
    params->setTimeout(Poco::Timespan(static_cast<Poco::Timespan::TimeDiff>(
        std::chrono::duration_cast<std::chrono::microseconds>(options_.timeout).count())));
    params->setThreadIdleTime(Poco::Timespan(60, 0));
    // The acceptor thread comes from the pool too: one more than the request threads.
    auto pool = std::make_unique<Poco::ThreadPool>(2, threads + 1, 60);
    auto server = std::make_unique<Poco::Net::HTTPServer>(
        new HandlerFactory(*this, options_.maxBodyBytes), *pool, socket, params);
    server->start();
    const Poco::Net::SocketAddress bound = socket.address();
    impl_->host = bound.host().toString();
    impl_->port = bound.port();
    impl_->pool = std::move(pool);
    impl_->server = std::move(server);
  } catch (const Poco::Exception& e) {
    throw std::runtime_error("cannot listen on " + options_.host + ":" +
                             std::to_string(options_.port) + ": " + e.displayText());
  }
  log::info("http endpoint listening",
            {{"host", impl_->host}, {"port", static_cast<unsigned>(impl_->port)}});
}

void Server::stop() {
  std::lock_guard lock(impl_->mutex);
  if (!impl_->server) return;
  impl_->server->stopAll(/*abortCurrent=*/true);
  impl_->pool->joinAll();
  impl_->server.reset();
  impl_->pool.reset();
}

bool Server::running() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->server != nullptr;
}

std::uint16_t Server::port() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->port;
}

std::string Server::host() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->host;
}

Response Server::handle(const Request& request) const {
  std::shared_ptr<const Handler> handler;
  std::string allow;  // the methods of every route matching the path
  {
    std::shared_lock lock(mutex_);
    const Route* best = nullptr;  // the most specific route for this method
    bool matched = false;
    for (const auto& route : routes_) {
      const bool matches =
          route.prefix ? request.path.rfind(route.path, 0) == 0 : request.path == route.path;
      if (!matches) continue;
      matched = true;
      if ((", " + allow + ", ").find(", " + route.method + ", ") == std::string::npos) {
        allow += (allow.empty() ? "" : ", ") + route.method;
      }
      if (route.method != request.method) continue;
      const bool better = best == nullptr || (best->prefix && !route.prefix) ||
                          (best->prefix && route.prefix && route.path.size() > best->path.size());
      if (better) best = &route;
    }
    if (!matched) {
      return Response::json(404,
                            "{\"error\":\"not found\",\"path\":" + jsonString(request.path) + "}");
    }
    if (best != nullptr) handler = best->handler;
  }
  if (!handler) {
    Response response = Response::json(
        405, "{\"error\":\"method not allowed\",\"method\":" + jsonString(request.method) +
                 ",\"allow\":" + jsonString(allow) + "}");
    response.headers.emplace_back("Allow", allow);
    return response;
  }
  try {
    return (*handler)(request);
  } catch (const std::exception& e) {
    log::error("http handler failed",
               {{"method", request.method}, {"path", request.path}, {"error", e.what()}});
    return Response::error(500, e.what());
  }
}

Response Server::healthResponse() const {
  const Health::Report report = health_.run();
  std::string body = "{\"status\":";
  body += report.healthy ? "\"healthy\"" : "\"unhealthy\"";
  body += ",\"checks\":{";
  bool first = true;
  for (const auto& entry : report.checks) {
    if (!first) body += ',';
    first = false;
    body += jsonString(entry.name);
    body += ":{\"healthy\":";
    body += entry.result.healthy ? "true" : "false";
    body += ",\"error\":";
    body += entry.result.healthy ? "null" : jsonString(entry.result.error);
    if (!entry.result.detail.empty()) body += ",\"detail\":" + entry.result.detail;
    if (!entry.critical) body += ",\"critical\":false";
    body += '}';
  }
  const double uptime = std::max(0.0, epochSeconds() - impl_->processStart);
  body += "},\"uptime_s\":" + std::to_string(static_cast<std::int64_t>(std::floor(uptime)));
  body += ",\"version\":" + jsonString(options_.version) + "}";
  return Response::json(report.healthy ? 200 : 503, std::move(body));
}

Response Server::readyResponse() const {
  const State state = state_.load();
  if (state == State::serving) return Response::json(200, "{\"ready\":true}");
  return Response::json(503, "{\"ready\":false,\"state\":" + jsonString(stateName(state)) + "}");
}

Response Server::metricsResponse() const {
  metrics::collectProcessMetrics(registry_);
  std::vector<std::shared_ptr<const Collector>> collectors;
  {
    std::shared_lock lock(mutex_);
    collectors = collectors_;
  }
  for (const auto& collector : collectors) {
    try {
      (*collector)(registry_);
    } catch (const std::exception& e) {
      log::warn("metrics collector failed", {{"error", e.what()}});
    }
  }
  return {200, "text/plain; version=0.0.4; charset=utf-8", registry_.exposition(), {}};
}

}  // namespace warren::http
