// One request/response exchange over one connection: what came back, or why nothing did.
#pragma once

#include "outbound/Failure.h"

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>

namespace warren::outbound {

class Budget;
class Connection;
class Watchdog;
struct HttpRequest;
struct Url;

struct Outcome {
  bool responded = false;  // a complete response (any status code)
  int code = 0;
  std::string headersJson = "{}";
  std::optional<std::chrono::milliseconds> retryAfter;
  std::string body;

  std::optional<FailureKind> failure;  // set when !responded
  std::string error;
  bool beforeResponse = false;  // failed before the first byte of a response arrived
  bool nothingSent = false;     // not one byte of the request reached the socket

  bool reusable = false;          // the connection may carry another request
  bool reusedConnection = false;  // the connection came from the idle pool
};

Outcome exchange(Connection& connection, const Url& url, const HttpRequest& request,
                 const Budget& budget, Watchdog& watchdog, std::size_t maxBody);

}  // namespace warren::outbound
