// A private redis-server child for a machine with no REDIS_URL: on a unix socket in the data
// directory (no TCP port), with an append-only file there so that jobs survive a restart.
// The child dies with its parent (PR_SET_PDEATHSIG) and is stopped with SIGTERM on destruction.
#pragma once

#include <chrono>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <sys/types.h>

namespace warren::lifecycle {

class EmbeddedRedisError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class EmbeddedRedis {
 public:
  // Starts redis-server (found on PATH or at /usr/bin/redis-server) and waits until it answers.
  // Throws EmbeddedRedisError with the server's log tail when it does not come up.
  explicit EmbeddedRedis(const std::filesystem::path& dataDir,
                         std::chrono::milliseconds startTimeout = std::chrono::seconds(10));
  ~EmbeddedRedis();
  EmbeddedRedis(const EmbeddedRedis&) = delete;
  EmbeddedRedis& operator=(const EmbeddedRedis&) = delete;

  // unix:///DATA/redis.sock
  std::string url() const { return "unix://" + socket_.string(); }
  pid_t pid() const { return pid_; }
  void stop();

  // The socket an embedded server of this data directory listens on.
  static std::filesystem::path socketPath(const std::filesystem::path& dataDir);
  // True when an embedded server of this data directory answers on its socket.
  static bool running(const std::filesystem::path& dataDir);

 private:
  std::filesystem::path dir_;
  std::filesystem::path socket_;
  pid_t pid_ = -1;
};

// The data directory: the configured one, else $XDG_DATA_HOME/warren or ~/.local/share/warren.
std::filesystem::path dataDirectory(const std::string& configured);

}  // namespace warren::lifecycle
