// The fake platforms (build/bin/warren-fake-platforms) for one test suite: started on a free
// loopback port, driven through its admin API.
#pragma once

#include "Command.h"
#include "TempDir.h"

#include <nlohmann/json.hpp>

#include <memory>
#include <string>

namespace warren::test {

using Json = nlohmann::json;

class FakePlatforms {
 public:
  FakePlatforms();
  ~FakePlatforms();

  int port() const { return port_; }
  // An account's base URL on the fake: http://127.0.0.1:PORT/<platform>.
  std::string base(const std::string& platform) const;

  // One admin call; throws std::runtime_error on a non-2xx answer.
  Json admin(const std::string& method, const std::string& path, const Json& body = nullptr) const;
  void reset() const { admin("POST", "/reset"); }
  // Registers an account on the fake; returns what it issued ({accessToken, refreshToken}).
  Json account(const Json& fields) const { return admin("POST", "/accounts", fields); }
  void scenario(const std::string& platform, Json controls) const;
  Json posts(const std::string& platform) const;
  Json deliveries() const { return admin("GET", "/deliveries")["deliveries"]; }
  std::int64_t counter(const std::string& name) const;
  std::string log() const;

 private:
  TempDir dir_{"warren-fakes"};
  std::unique_ptr<BackgroundProcess> process_;
  int port_ = 0;
};

}  // namespace warren::test
