#include "RedisSentinel.h"

#include "ChildExec.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <stdexcept>
#include <thread>

namespace warren::test {

RedisSentinel::RedisSentinel(RedisSentinelOptions options)
    : options_(std::move(options)), dir_("warren-sentinel") {
  port_ = RedisServer::freePort();
  if (options_.tls) tlsPort_ = RedisServer::freePort();
  writeConfig();
  start();
}

RedisSentinel::~RedisSentinel() {
  stop();
}

void RedisSentinel::writeConfig() const {
  const std::string& name = options_.masterName;
  std::string config = "port " + std::to_string(port_) + "\nbind 127.0.0.1\n" + "dir " +
                       dir_.path().string() + "\nlogfile " + (dir_ / "sentinel.log").string() +
                       "\n" + "sentinel monitor " + name + " 127.0.0.1 " +
                       std::to_string(options_.masterPort) + " " + std::to_string(options_.quorum) +
                       "\n" + "sentinel down-after-milliseconds " + name + " " +
                       std::to_string(options_.downAfterMs) + "\n" + "sentinel failover-timeout " +
                       name + " " + std::to_string(options_.failoverTimeoutMs) + "\n";
  if (options_.tls) {
    config += "tls-port " + std::to_string(tlsPort_) + "\ntls-cert-file " +
              options_.tls->serverCert.string() + "\ntls-key-file " +
              options_.tls->serverKey.string() + "\ntls-ca-cert-file " +
              options_.tls->caCert.string() + "\ntls-auth-clients no\ntls-replication yes\n";
  }
  for (const auto& line : options_.extraConfig) config += line + "\n";
  writeFile(dir_ / "sentinel.conf", config);
}

void RedisSentinel::start() {
  if (pid_ > 0) return;
  std::vector<std::string> args = {"/usr/bin/redis-sentinel", (dir_ / "sentinel.conf").string()};
  std::vector<char*> argv;
  for (auto& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  const std::string output = (dir_ / "sentinel.stdout").string();
  const pid_t parent = ::getpid();
  const pid_t child = ::fork();
  if (child < 0) throw std::runtime_error(std::string("fork failed: ") + std::strerror(errno));
  if (child == 0) execServerChild(argv.data(), output.c_str(), parent);
  pid_ = child;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      throw std::runtime_error("redis-sentinel exited during start\n" + log() +
                               readFile(dir_ / "sentinel.stdout"));
    }
    if (answersPing(port_)) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  stop();
  throw std::runtime_error("redis-sentinel did not answer PING\n" + log());
}

void RedisSentinel::stop() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGTERM);
  int status = 0;
  for (int i = 0; i < 500; ++i) {
    if (::waitpid(pid_, &status, WNOHANG) != 0) {
      pid_ = -1;
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ::kill(pid_, SIGKILL);
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
}

std::string RedisSentinel::log() const {
  return readFile(dir_ / "sentinel.log");
}

}  // namespace warren::test
