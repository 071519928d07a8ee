#include "lifecycle/EmbeddedRedis.h"

#include "log/Log.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <vector>

namespace warren::lifecycle {
namespace {

std::string findServer() {
  if (const char* path = std::getenv("PATH")) {
    std::istringstream dirs(path);
    std::string dir;
    while (std::getline(dirs, dir, ':')) {
      const auto candidate = std::filesystem::path(dir) / "redis-server";
      if (::access(candidate.c_str(), X_OK) == 0) return candidate;
    }
  }
  if (::access("/usr/bin/redis-server", X_OK) == 0) return "/usr/bin/redis-server";
  throw EmbeddedRedisError(
      "no REDIS_URL and no redis-server to start (install it: apt-get install redis-server)");
}

// True when something accepts connections and answers PING on the socket.
bool answers(const std::filesystem::path& socket) {
  const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
  if (fd < 0) return false;
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::strncpy(address.sun_path, socket.c_str(), sizeof address.sun_path - 1);
  bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  if (ok) {
    const char ping[] = "PING\r\n";
    ok = ::write(fd, ping, sizeof ping - 1) == static_cast<ssize_t>(sizeof ping - 1);
    char reply[16] = {0};
    ok = ok && ::read(fd, reply, sizeof reply - 1) > 0 && std::strncmp(reply, "+PONG", 5) == 0;
  }
  ::close(fd);
  return ok;
}

std::string tail(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  std::string out;
  for (std::size_t i = lines.size() > 5 ? lines.size() - 5 : 0; i < lines.size(); ++i) {
    out += "\n  " + lines[i];
  }
  return out;
}

}  // namespace

std::filesystem::path dataDirectory(const std::string& configured) {
  if (!configured.empty()) return configured;
  if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg != nullptr && *xdg != '\0') {
    return std::filesystem::path(xdg) / "warren";
  }
  const char* home = std::getenv("HOME");
  return std::filesystem::path(home != nullptr ? home : "/tmp") / ".local" / "share" / "warren";
}

std::filesystem::path EmbeddedRedis::socketPath(const std::filesystem::path& dataDir) {
  return dataDir / "redis.sock";
}

bool EmbeddedRedis::running(const std::filesystem::path& dataDir) {
  return answers(socketPath(dataDir));
}

EmbeddedRedis::EmbeddedRedis(const std::filesystem::path& dataDir,
                             std::chrono::milliseconds startTimeout)
    : dir_(dataDir), socket_(socketPath(dataDir)) {
  std::filesystem::create_directories(dir_);
  if (answers(socket_)) {
    throw EmbeddedRedisError("an embedded Redis already runs on " + socket_.string() +
                             " (another warren with the same data directory?)");
  }
  std::filesystem::remove(socket_);
  const std::string server = findServer();
  const std::vector<std::string> args = {
      server, "--port", "0", "--unixsocket", socket_.string(), "--unixsocketperm", "700",
      "--dir", dir_.string(), "--appendonly", "yes", "--save", "", "--maxmemory-policy",
      "noeviction", "--logfile", (dir_ / "redis.log").string(), "--daemonize", "no"};
  const pid_t parent = ::getpid();
  pid_ = ::fork();
  if (pid_ < 0) throw EmbeddedRedisError("cannot start redis-server: fork failed");
  if (pid_ == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGTERM);  // the server goes when warren goes
    if (::getppid() != parent) ::_exit(1);
    ::setpgid(0, 0);  // a Ctrl-C in the terminal reaches warren, which stops the server itself
    std::vector<char*> argv;
    for (const auto& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
    argv.push_back(nullptr);
    ::execv(server.c_str(), argv.data());
    ::_exit(127);
  }
  const auto deadline = std::chrono::steady_clock::now() + startTimeout;
  while (!answers(socket_)) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_ || std::chrono::steady_clock::now() > deadline) {
      stop();
      throw EmbeddedRedisError("embedded redis-server did not start:" + tail(dir_ / "redis.log"));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  log::info("embedded Redis started", {{"socket", socket_.string()}, {"pid", pid_}});
}

EmbeddedRedis::~EmbeddedRedis() { stop(); }

void EmbeddedRedis::stop() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGTERM);
  for (int i = 0; i < 500; ++i) {  // up to 10 s: it writes its append-only file on the way out
    if (::waitpid(pid_, nullptr, WNOHANG) == pid_) {
      pid_ = -1;
      log::info("embedded Redis stopped");
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ::kill(pid_, SIGKILL);
  ::waitpid(pid_, nullptr, 0);
  pid_ = -1;
}

}  // namespace warren::lifecycle
