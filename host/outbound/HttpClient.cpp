#include "outbound/HttpClient.h"

#include "log/Log.h"
#include "metrics/Registry.h"
#include "outbound/Budget.h"
#include "outbound/Connection.h"
#include "outbound/ConnectionPool.h"
#include "outbound/Exchange.h"
#include "outbound/Protocol.h"
#include "outbound/RateLimiter.h"
#include "outbound/Url.h"
#include "outbound/Watchdog.h"

#include <mutex>
#include <new>
#include <optional>
#include <random>
#include <stdexcept>

namespace warren::outbound {
namespace {

using Clock = std::chrono::steady_clock;

constexpr const char* kRequests = "warren_http_client_requests_total";
constexpr const char* kDuration = "warren_http_client_request_duration_seconds";

const std::vector<double> kDurationBuckets = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5,
                                              1,     2.5,  5,     10,   30,  60};

void describeMetrics(metrics::Registry& registry) {
  registry.describe(kRequests, metrics::Kind::counter,
                    "Outbound HTTP requests made for plugins (each attempt), by host and by "
                    "status code or error kind.");
  registry.describe(kDuration, metrics::Kind::histogram,
                    "Duration of one outbound HTTP request attempt made for plugins, by host, "
                    "in seconds.",
                    kDurationBuckets);
}

warren_status statusOf(FailureKind kind) {
  switch (kind) {
    case FailureKind::unavailable:
    case FailureKind::tls:
      return WARREN_ERR_UNAVAILABLE;
    case FailureKind::timeout:
      return WARREN_ERR_TIMEOUT;
    case FailureKind::cancelled:
      return WARREN_ERR_CANCELLED;
    case FailureKind::tooLarge:
      return WARREN_ERR_INVALID;
  }
  return WARREN_ERR_INTERNAL;
}

std::string statusLabel(const Outcome& outcome) {
  if (outcome.responded) return std::to_string(outcome.code);
  switch (*outcome.failure) {
    case FailureKind::unavailable:
      return "unavailable";
    case FailureKind::timeout:
      return "timeout";
    case FailureKind::cancelled:
      return "cancelled";
    case FailureKind::tls:
      return "tls";
    case FailureKind::tooLarge:
      return "too_large";
  }
  return "error";
}

// The idle pool's key: connections are shared per scheme, host and port.
std::string originOf(const Url& url) {
  return url.scheme() + "://" + url.authority();
}

bool worthRetrying(const Outcome& outcome) {
  if (outcome.responded) return retryableStatus(outcome.code);
  return outcome.failure == FailureKind::unavailable || outcome.failure == FailureKind::timeout;
}

// A kept-alive connection the server closed: it broke before any response.
bool staleConnection(const Outcome& outcome) {
  return outcome.reusedConnection && outcome.failure == FailureKind::unavailable &&
         outcome.beforeResponse;
}

HttpResult failed(HttpResult result, warren_status status, std::string error) {
  result.status = status;
  result.error = std::move(error);
  return result;
}

HttpResult settle(HttpResult result, Outcome& outcome) {
  if (!outcome.responded)
    return failed(std::move(result), statusOf(*outcome.failure), outcome.error);
  result.status = WARREN_OK;
  result.code = outcome.code;
  result.headersJson = std::move(outcome.headersJson);
  result.body = std::move(outcome.body);
  return result;
}

}  // namespace

class HttpClient::Impl {
 public:
  Impl(HttpOptions options, metrics::Registry& registry)
      : options_((validate(options), std::move(options))),
        registry_(registry),
        // With a CA file the context is made now (a bad file is a start-up error); with the
        // system store only on the first https request, which saves every node that never
        // calls out the store's ~10 MB and ~70 ms.
        tls_(options_.caFile.empty() ? nullptr : makeTlsContext(options_.caFile)),
        limiter_(options_.rateLimits, options_.defaultRateLimit),
        pool_(options_.maxIdlePerHost, options_.idleExpiry),
        random_(std::random_device{}()),
        watchdog_([this] { pool_.sweep(); }) {
    describeMetrics(registry_);
  }

  HttpResult request(const HttpRequest& request, plugins::JobContext* job);

  const HttpOptions options_;
  metrics::Registry& registry_;
  Poco::Net::Context::Ptr tlsContext() {
    std::call_once(tlsOnce_, [this] {
      if (!tls_) tls_ = makeTlsContext(options_.caFile);
    });
    return tls_;
  }

  Poco::Net::Context::Ptr tls_;
  std::once_flag tlsOnce_;
  RateLimiter limiter_;
  ConnectionPool pool_;

 private:
  struct Call {
    const HttpRequest& request;
    const Url url;
    const Budget budget;
    const std::string what;  // "GET https://host:443/path", for messages
    const bool idempotent;
  };

  std::optional<HttpResult> awaitToken(const Call& call, HttpResult& result);
  Outcome attempt(const Call& call, unsigned number, bool fresh);
  std::unique_ptr<Connection> acquire(const Call& call, bool fresh);
  std::chrono::milliseconds delayBefore(const Outcome& outcome, unsigned failed);
  void record(const Call& call, const Outcome& outcome, unsigned number, Clock::duration took);

  std::mutex randomMutex_;
  std::mt19937_64 random_;
  Watchdog watchdog_;  // last: its thread sweeps pool_
};

std::optional<HttpResult> HttpClient::Impl::awaitToken(const Call& call, HttpResult& result) {
  TokenBucket* bucket = limiter_.bucketFor(call.url.host);
  if (bucket == nullptr) return std::nullopt;
  const std::string limit =
      "the rate limit of host '" + call.url.host + "' (" + describeRateLimit(bucket->limit()) + ")";
  const auto due = bucket->reserve(Clock::now(), call.budget.deadline());
  if (!due)
    return failed(std::move(result), WARREN_ERR_TIMEOUT,
                  call.what + ": " + limit + " leaves no slot before the deadline (timeout" +
                      call.budget.describeLimit() + ")");
  if (call.budget.sleepUntil(*due)) return std::nullopt;
  bucket->release(Clock::now());
  return failed(std::move(result), WARREN_ERR_CANCELLED,
                call.what + " cancelled while waiting for " + limit);
}

std::unique_ptr<Connection> HttpClient::Impl::acquire(const Call& call, bool fresh) {
  if (!fresh) {
    while (std::unique_ptr<Connection> idle = pool_.take(originOf(call.url))) {
      if (idle->peerClosed()) continue;  // closed by the server while parked: drop it
      idle->reused = true;
      return idle;
    }
  }
  const Poco::Net::Context::Ptr tls = call.url.tls ? tlsContext() : nullptr;
  return Connection::open(call.url, tls, call.budget, options_.connectTimeout, watchdog_);
}

Outcome HttpClient::Impl::attempt(const Call& call, unsigned number, bool fresh) {
  const auto started = Clock::now();
  Outcome outcome;
  std::unique_ptr<Connection> connection;
  try {
    connection = acquire(call, fresh);
    outcome = exchange(*connection, call.url, call.request, call.budget, watchdog_,
                       options_.maxResponseBytes);
    outcome.reusedConnection = connection->reused;
  } catch (const Failure& failure) {
    outcome.failure = failure.kind();
    outcome.error = failure.what();
    outcome.beforeResponse = true;
    outcome.nothingSent = true;
  }
  if (outcome.reusable) pool_.put(originOf(call.url), std::move(connection));
  connection.reset();
  record(call, outcome, number, Clock::now() - started);
  return outcome;
}

std::chrono::milliseconds HttpClient::Impl::delayBefore(const Outcome& outcome, unsigned failed) {
  const bool mayAskToWait = outcome.responded && (outcome.code == 429 || outcome.code == 503);
  if (mayAskToWait && outcome.retryAfter) return *outcome.retryAfter;
  std::lock_guard lock(randomMutex_);
  const double unit = std::uniform_real_distribution<double>(0, 1)(random_);
  return backoffDelay(failed, options_.backoffBase, options_.backoffCap, unit);
}

void HttpClient::Impl::record(const Call& call, const Outcome& outcome, unsigned number,
                              Clock::duration took) {
  const std::string status = statusLabel(outcome);
  const double seconds = std::chrono::duration<double>(took).count();
  try {
    registry_.counterAdd(kRequests, {{"host", call.url.host}, {"status", status}}, 1);
    registry_.histogramObserve(kDuration, {{"host", call.url.host}}, seconds);
  } catch (const std::invalid_argument&) {  // names are constant and valid: cannot happen
  }
  if (!log::enabled(log::Level::debug)) return;
  log::debug("outbound http request", {{"plugin", call.request.caller},
                                       {"method", call.request.method},
                                       {"url", call.url.redacted()},
                                       {"status", status},
                                       {"attempt", number},
                                       {"duration_ms", static_cast<std::int64_t>(seconds * 1000)}});
}

HttpResult HttpClient::Impl::request(const HttpRequest& request, plugins::JobContext* job) {
  HttpResult result;
  Url url;
  try {
    url = parseUrl(request.url);
    if (!validMethod(request.method))
      throw std::invalid_argument("invalid method '" + request.method +
                                  "': expected an HTTP method like GET or POST");
    for (const auto& [name, value] : request.headers) checkRequestHeader(name, value);
  } catch (const std::invalid_argument& e) {
    return failed(std::move(result), WARREN_ERR_INVALID, e.what());
  }
  const Call call{
      request, url,
      Budget(job, request.timeout.count() > 0 ? request.timeout : options_.requestTimeout),
      request.method + " " + url.redacted(),
      request.idempotent || idempotentMethod(request.method)};
  bool freshRetried = false;
  bool fresh = false;
  for (unsigned counted = 0;;) {
    if (call.budget.cancelled())
      return failed(std::move(result), WARREN_ERR_CANCELLED,
                    call.what + " cancelled: the job was cancelled");
    if (call.budget.expired())
      return failed(std::move(result), WARREN_ERR_TIMEOUT,
                    call.what + " timed out" + call.budget.describeLimit());
    if (auto refused = awaitToken(call, result)) return std::move(*refused);
    Outcome outcome = attempt(call, ++result.attempts, fresh);
    fresh = false;
    if (staleConnection(outcome) && !freshRetried && (call.idempotent || outcome.nothingSent)) {
      freshRetried = fresh = true;  // once, on a new connection, not counted as an attempt
      continue;
    }
    ++counted;
    if (!call.idempotent || counted >= options_.maxAttempts || !worthRetrying(outcome))
      return settle(std::move(result), outcome);
    const auto wait = delayBefore(outcome, counted);
    if (Clock::now() + wait >= call.budget.deadline()) return settle(std::move(result), outcome);
    if (!call.budget.sleepUntil(Clock::now() + wait))
      return failed(std::move(result), WARREN_ERR_CANCELLED,
                    call.what + " cancelled while waiting to retry: the job was cancelled");
  }
}

HttpClient::HttpClient(HttpOptions options) : HttpClient(std::move(options), metrics::registry()) {}

HttpClient::HttpClient(HttpOptions options, metrics::Registry& registry)
    : impl_(std::make_unique<Impl>(std::move(options), registry)) {}

HttpClient::~HttpClient() = default;

HttpResult HttpClient::request(const HttpRequest& request, plugins::JobContext* job) {
  try {
    return impl_->request(request, job);
  } catch (const std::bad_alloc&) {
    return failed({}, WARREN_ERR_INTERNAL, "out of memory");
  } catch (const std::exception& e) {
    return failed({}, WARREN_ERR_INTERNAL, std::string("outbound http: ") + e.what());
  }
}

const HttpOptions& HttpClient::options() const {
  return impl_->options_;
}

std::size_t HttpClient::idleConnections() const {
  return impl_->pool_.idle();
}

}  // namespace warren::outbound
