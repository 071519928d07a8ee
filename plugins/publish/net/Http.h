// Outbound HTTP for the platforms, over the host's pooled client (warren_http_api).
#pragma once

#include "json/Json.h"

#include <warren/plugin.hpp>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace publish::net {

using common::Json;

struct Request {
  std::string method = "GET";
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::uint32_t timeoutMs = 0;  // 0: the host's default
  bool idempotent = false;      // true lets the host retry a POST on connection errors and 5xx

  Request& header(std::string name, std::string value) {
    headers.emplace_back(std::move(name), std::move(value));
    return *this;
  }
  Request& json(const Json& value);  // body and Content-Type
};

struct Response {
  int status = 0;
  Json headers = Json::object();  // lower-case names
  std::string body;

  bool ok() const { return status >= 200 && status < 300; }
  // A header's value, or "" (names are matched in lower case).
  std::string header(const std::string& name) const;
  // The body as JSON, or null when it is empty or not JSON.
  Json json() const;
};

// No response arrived (connection refused or broken, timeout, cancelled). `sent` is false only
// when the host refused the request before sending it (a malformed URL or header).
class TransportError : public std::runtime_error {
 public:
  TransportError(warren_status status, const std::string& what, bool sent)
      : std::runtime_error(what), status_(status), sent_(sent) {}
  warren_status status() const { return status_; }
  bool mayHaveBeenSent() const { return sent_; }
  bool cancelled() const { return status_ == WARREN_ERR_CANCELLED; }

 private:
  warren_status status_;
  bool sent_;
};

class Http {
 public:
  explicit Http(const warren::Host& host) : host_(host) {}
  // Sends `request`; any HTTP status is a Response. Throws TransportError otherwise.
  Response send(const warren::Job* job, const Request& request) const;

 private:
  warren::Host host_;
};

// Percent-encodes a query or form value (RFC 3986 unreserved characters kept).
std::string urlEncode(const std::string& value);
// "a=1&b=2" from pairs, each encoded.
std::string formEncode(const std::vector<std::pair<std::string, std::string>>& fields);

}  // namespace publish::net
