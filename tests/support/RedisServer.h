// A private redis-server for one test (or suite): its own TempDir, 127.0.0.1 on a free port, a
// unix socket, no persistence, optional TLS port. Started in the constructor, killed in the
// destructor (SIGTERM, then SIGKILL).
//
// The server is started with PR_SET_PDEATHSIG so it dies with the test process even if the test
// crashes. Linux ties that to the *thread* that started it: call start() from a thread that
// outlives the server (normally the test's main thread), never from a short-lived helper thread.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "TempDir.h"

namespace warren::test {

// A throwaway CA and a server certificate for DNS:localhost and IP:127.0.0.1, made with the
// openssl command (EC P-256, valid 2 days).
struct TestCertificates {
  std::filesystem::path caCert;
  std::filesystem::path caKey;
  std::filesystem::path serverCert;
  std::filesystem::path serverKey;

  static TestCertificates generate(const std::filesystem::path& dir);
};

struct RedisServerOptions {
  // Appended to the command line, e.g. {"--requirepass", "pw"} or
  // {"--user", "alice", "on", ">secret", "~*", "+@all"}.
  std::vector<std::string> extraArgs;
  // Set to also listen with TLS on tlsPort() (clients are not asked for certificates).
  std::shared_ptr<const TestCertificates> tls;
  std::chrono::milliseconds startTimeout{10000};
};

class RedisServer {
 public:
  explicit RedisServer(RedisServerOptions options = {});
  explicit RedisServer(std::vector<std::string> extraArgs);
  ~RedisServer();
  RedisServer(const RedisServer&) = delete;
  RedisServer& operator=(const RedisServer&) = delete;

  // Starts (again) on the same ports and waits until it answers PING. Throws with the server log
  // if it exits or does not answer within the start timeout.
  void start();
  // SIGTERM, wait up to 5 s, then SIGKILL. No-op when not running.
  void stop();
  // SIGKILL at once (a crash, for chaos tests).
  void kill();
  bool running() const { return pid_ > 0; }

  int port() const { return port_; }
  int tlsPort() const { return tlsPort_; }  // 0 without TLS
  std::string unixSocket() const;
  std::string url() const;                                          // redis://127.0.0.1:PORT
  std::string tlsUrl(const std::string& host = "localhost") const;  // rediss://HOST:TLSPORT
  std::string unixUrl() const;                                      // unix:///.../redis.sock
  pid_t pid() const { return pid_; }
  const std::filesystem::path& dir() const { return dir_.path(); }
  std::string log() const;  // the server's log file so far

  // A port the kernel just handed out on 127.0.0.1 (bound, read, closed).
  static int freePort();

 private:
  std::vector<std::string> commandLine() const;
  void waitUntilReady();
  void reap(std::chrono::milliseconds grace);

  RedisServerOptions options_;
  TempDir dir_;
  int port_ = 0;
  int tlsPort_ = 0;
  pid_t pid_ = -1;
};

// True once something on 127.0.0.1:port answers an inline PING (an error such as -NOAUTH
// counts: the server is up).
bool answersPing(int port);

// Runs a program (PATH lookup), waits, returns its stdout+stderr. Throws std::runtime_error with
// that output if it cannot start or exits non-zero.
std::string runProgram(const std::vector<std::string>& argv);

}  // namespace warren::test
