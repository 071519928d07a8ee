// Small helpers shared by the outbound client's integration tests.
#pragma once

#include "outbound/HttpClient.h"
#include "plugins/JobContext.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <chrono>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace warren::outbound {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

inline HttpRequest makeRequest(std::string method, std::string url,
                               std::vector<std::pair<std::string, std::string>> headers = {},
                               std::string body = {}) {
  HttpRequest request;
  request.method = std::move(method);
  request.url = std::move(url);
  request.headers = std::move(headers);
  request.body = std::move(body);
  return request;
}

// Retries in milliseconds rather than the production 200 ms base.
inline HttpOptions fastRetries() {
  HttpOptions options;
  options.backoffBase = 10ms;
  options.backoffCap = 50ms;
  return options;
}

inline Poco::JSON::Object::Ptr parseObject(const std::string& json) {
  return Poco::JSON::Parser().parse(json).extract<Poco::JSON::Object::Ptr>();
}

inline double secondsBetween(Clock::time_point from, Clock::time_point to) {
  return std::chrono::duration<double>(to - from).count();
}

// Cancels `job` from another thread after `delay`; joins on destruction.
class CancelLater {
 public:
  CancelLater(plugins::JobContext& job, std::chrono::milliseconds delay)
      : thread_([&job, delay] {
          std::this_thread::sleep_for(delay);
          job.cancel("test");
        }) {}
  ~CancelLater() { thread_.join(); }
  CancelLater(const CancelLater&) = delete;
  CancelLater& operator=(const CancelLater&) = delete;

 private:
  std::thread thread_;
};

}  // namespace warren::outbound
