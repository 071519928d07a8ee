// The host's outbound HTTP client: one per node, shared by every plugin, thread-safe.
//
// - Keep-alive: idle connections are pooled per scheme+host+port (HttpOptions::maxIdlePerHost,
//   idleExpiry). A pooled connection the server closed is detected before use and replaced.
// - TLS always verifies the server's certificate chain (caFile, or the system's store) and that
//   the certificate names the URL's host; an untrusted or mismatched certificate is an error.
// - Retries: only idempotent requests (GET HEAD PUT DELETE OPTIONS TRACE, or `idempotent`) are
//   tried again, up to maxAttempts, on connection errors, timeouts, 429 and 5xx, after an
//   exponential backoff with jitter, or after Retry-After on 429/503. A request whose pooled
//   connection turned out closed by the server before any response is sent once more on a new
//   connection; for a non-idempotent request only when not one byte of it was written.
// - Rate limits: a token bucket per host name; a request waits for its token, and gives up when
//   the job is cancelled or the token would come after the deadline.
// - Time: one call (all attempts and waits) ends by its deadline: the request's timeout (or
//   requestTimeout), never later than the job's deadline. Every wait wakes on cancellation.
// - Redirects are not followed: a 3xx goes back to the plugin. Following one would resend the
//   plugin's Authorization header or API key to whatever origin the Location names, and replay
//   a non-idempotent body; the plugin knows whether the new place deserves them.
// - Logs (debug) carry method, scheme://host:port/path, status, attempt and duration: never
//   request headers, bodies or query strings, which hold tokens and API keys.
#pragma once

#include "outbound/HttpOptions.h"

#include <warren/plugin.h>

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace warren::plugins {
class JobContext;
}
namespace warren::metrics {
class Registry;
}

namespace warren::outbound {

struct HttpRequest {
  std::string method;  // an HTTP token, sent as given ("GET", "POST", ...)
  std::string url;     // http:// or https://
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::chrono::milliseconds timeout{0};  // 0: HttpOptions::requestTimeout
  bool idempotent = false;               // true: may be retried whatever the method
  std::string caller;                    // who asks (the plugin's name), for logs
};

struct HttpResult {
  warren_status status = WARREN_ERR_INTERNAL;  // WARREN_OK when a response arrived (any code)
  int code = 0;                                // the HTTP status code, on WARREN_OK
  std::string headersJson = "{}";  // lower-case names; repeated headers joined with ", "
  std::string body;
  std::string error;      // the reason, when status is not WARREN_OK
  unsigned attempts = 0;  // requests tried, the retries included
};

class HttpClient {
 public:
  // Throws std::invalid_argument for options out of range or an unusable caFile.
  explicit HttpClient(HttpOptions options = {});
  // Records warren_http_client_requests_total{host,status} and
  // warren_http_client_request_duration_seconds{host} (one per attempt) in `registry`.
  HttpClient(HttpOptions options, metrics::Registry& registry);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Sends `request`; `job` (may be null) gives cancellation and a deadline. Never throws.
  // Errors: WARREN_ERR_INVALID (bad url, method or header; response over maxResponseBytes),
  // WARREN_ERR_UNAVAILABLE (connection failed or broke, TLS refused), WARREN_ERR_TIMEOUT,
  // WARREN_ERR_CANCELLED (the job was cancelled), WARREN_ERR_INTERNAL (out of memory...).
  HttpResult request(const HttpRequest& request, plugins::JobContext* job = nullptr);

  const HttpOptions& options() const;
  std::size_t idleConnections() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace warren::outbound
