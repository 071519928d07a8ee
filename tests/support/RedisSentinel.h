// A private redis-sentinel for one test: its config file in its own TempDir (Sentinel rewrites
// it), 127.0.0.1 on a free port, monitoring one master. Started in the constructor, killed in the
// destructor; dies with the test process (PR_SET_PDEATHSIG, see RedisServer.h).
#pragma once

#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

#include "RedisServer.h"
#include "TempDir.h"

namespace warren::test {

struct RedisSentinelOptions {
  std::string masterName = "mymaster";
  int masterPort = 0;  // on 127.0.0.1
  int quorum = 1;
  int downAfterMs = 1000;
  int failoverTimeoutMs = 3000;
  // Config lines added as they are, e.g. "requirepass x", "sentinel auth-pass mymaster pw".
  std::vector<std::string> extraConfig;
  // Set to also listen with TLS on tlsPort() and reach the master over TLS (masterPort is then
  // the master's TLS port).
  std::shared_ptr<const TestCertificates> tls;
};

class RedisSentinel {
 public:
  explicit RedisSentinel(RedisSentinelOptions options);
  ~RedisSentinel();
  RedisSentinel(const RedisSentinel&) = delete;
  RedisSentinel& operator=(const RedisSentinel&) = delete;

  void start();
  void stop();  // SIGTERM, then SIGKILL after 5 s
  int port() const { return port_; }
  int tlsPort() const { return tlsPort_; }
  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }
  std::string log() const;

 private:
  void writeConfig() const;

  RedisSentinelOptions options_;
  TempDir dir_;
  int port_ = 0;
  int tlsPort_ = 0;
  pid_t pid_ = -1;
};

}  // namespace warren::test
