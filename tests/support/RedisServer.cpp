#include "RedisServer.h"

#include "ChildExec.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace warren::test {
namespace {

using Clock = std::chrono::steady_clock;

std::vector<char*> toArgv(std::vector<std::string>& args) {
  std::vector<char*> argv;
  for (auto& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  return argv;
}

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

sockaddr_in loopback(int port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return address;
}

}  // namespace

// True once something on the port answers an inline PING with a RESP status or error
// (-NOAUTH counts: the server is up, it just wants a password).
bool answersPing(int port) {
  Fd fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (fd.get() < 0) return false;
  const timeval timeout{1, 0};
  ::setsockopt(fd.get(), SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  sockaddr_in address = loopback(port);
  if (::connect(fd.get(), reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) return false;
  const char ping[] = "PING\r\n";
  if (::send(fd.get(), ping, sizeof ping - 1, MSG_NOSIGNAL) != sizeof ping - 1) return false;
  char first = 0;
  return ::recv(fd.get(), &first, 1, 0) == 1 && (first == '+' || first == '-');
}

TestCertificates TestCertificates::generate(const std::filesystem::path& dir) {
  std::filesystem::create_directories(dir);
  TestCertificates certs{dir / "ca.crt", dir / "ca.key", dir / "server.crt", dir / "server.key"};
  const auto csr = (dir / "server.csr").string();
  const auto extensions = dir / "server.ext";
  writeFile(extensions,
            "subjectAltName=DNS:localhost,IP:127.0.0.1\n"
            "basicConstraints=CA:FALSE\n"
            "keyUsage=critical,digitalSignature,keyEncipherment\n"
            "extendedKeyUsage=serverAuth\n");
  const std::vector<std::string> ecKey = {"-newkey", "ec", "-pkeyopt",
                                          "ec_paramgen_curve:prime256v1", "-nodes"};
  std::vector<std::string> ca = {"openssl", "req", "-x509"};
  ca.insert(ca.end(), ecKey.begin(), ecKey.end());
  ca.insert(ca.end(), {"-keyout", certs.caKey.string(), "-out", certs.caCert.string(), "-days", "2",
                       "-subj", "/CN=Warren Test CA"});
  runProgram(ca);
  std::vector<std::string> request = {"openssl", "req"};
  request.insert(request.end(), ecKey.begin(), ecKey.end());
  request.insert(request.end(),
                 {"-keyout", certs.serverKey.string(), "-out", csr, "-subj", "/CN=localhost"});
  runProgram(request);
  runProgram({"openssl", "x509", "-req", "-in", csr, "-CA", certs.caCert.string(), "-CAkey",
              certs.caKey.string(), "-CAcreateserial", "-out", certs.serverCert.string(), "-days",
              "2", "-extfile", extensions.string()});
  return certs;
}

RedisServer::RedisServer(RedisServerOptions options)
    : options_(std::move(options)), dir_("warren-redis") {
  port_ = freePort();
  if (options_.tls) tlsPort_ = freePort();
  start();
}

RedisServer::RedisServer(std::vector<std::string> extraArgs)
    : RedisServer(RedisServerOptions{std::move(extraArgs), nullptr, std::chrono::seconds(10)}) {}

RedisServer::~RedisServer() {
  stop();
}

std::vector<std::string> RedisServer::commandLine() const {
  std::vector<std::string> args = {"/usr/bin/redis-server",
                                   "--bind",
                                   "127.0.0.1",
                                   "--port",
                                   std::to_string(port_),
                                   "--unixsocket",
                                   unixSocket(),
                                   "--unixsocketperm",
                                   "700",
                                   "--save",
                                   "",
                                   "--appendonly",
                                   "no",
                                   "--dir",
                                   dir().string(),
                                   "--logfile",
                                   (dir() / "redis.log").string(),
                                   "--daemonize",
                                   "no",
                                   "--enable-debug-command",
                                   "local"};
  if (options_.tls) {
    args.insert(args.end(), {"--tls-port", std::to_string(tlsPort_), "--tls-cert-file",
                             options_.tls->serverCert.string(), "--tls-key-file",
                             options_.tls->serverKey.string(), "--tls-ca-cert-file",
                             options_.tls->caCert.string(), "--tls-auth-clients", "no"});
  }
  args.insert(args.end(), options_.extraArgs.begin(), options_.extraArgs.end());
  return args;
}

void RedisServer::start() {
  if (running()) return;
  auto args = commandLine();
  auto argv = toArgv(args);
  const std::string output = (dir() / "redis.stdout").string();
  const pid_t parent = ::getpid();
  const pid_t child = ::fork();
  if (child < 0) throw std::runtime_error(std::string("fork failed: ") + std::strerror(errno));
  if (child == 0) execServerChild(argv.data(), output.c_str(), parent);
  pid_ = child;
  waitUntilReady();
}

void RedisServer::waitUntilReady() {
  const auto deadline = Clock::now() + options_.startTimeout;
  while (Clock::now() < deadline) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      throw std::runtime_error("redis-server exited during start (status " +
                               std::to_string(status) + ")\n" + log() +
                               readFile(dir() / "redis.stdout"));
    }
    if (answersPing(port_)) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  kill();
  throw std::runtime_error("redis-server did not answer PING on port " + std::to_string(port_) +
                           "\n" + log());
}

void RedisServer::reap(std::chrono::milliseconds grace) {
  const auto deadline = Clock::now() + grace;
  int status = 0;
  while (Clock::now() < deadline) {
    if (::waitpid(pid_, &status, WNOHANG) != 0) {
      pid_ = -1;
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ::kill(pid_, SIGKILL);
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
}

void RedisServer::stop() {
  if (!running()) return;
  ::kill(pid_, SIGTERM);
  reap(std::chrono::seconds(5));
}

void RedisServer::kill() {
  if (!running()) return;
  ::kill(pid_, SIGKILL);
  reap(std::chrono::seconds(5));
}

std::string RedisServer::unixSocket() const {
  return (dir() / "redis.sock").string();
}

std::string RedisServer::url() const {
  return "redis://127.0.0.1:" + std::to_string(port_);
}

std::string RedisServer::tlsUrl(const std::string& host) const {
  return "rediss://" + host + ":" + std::to_string(tlsPort_);
}

std::string RedisServer::unixUrl() const {
  return "unix://" + unixSocket();
}

std::string RedisServer::log() const {
  return readFile(dir() / "redis.log");
}

int RedisServer::freePort() {
  Fd fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (fd.get() < 0) throw std::runtime_error("socket() failed");
  sockaddr_in address = loopback(0);
  socklen_t length = sizeof address;
  if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      ::getsockname(fd.get(), reinterpret_cast<sockaddr*>(&address), &length) != 0)
    throw std::runtime_error(std::string("cannot get a free port: ") + std::strerror(errno));
  return ntohs(address.sin_port);
}

std::string runProgram(const std::vector<std::string>& command) {
  int pipeFds[2];
  if (::pipe2(pipeFds, O_CLOEXEC) != 0) throw std::runtime_error("pipe2 failed");
  Fd readEnd(pipeFds[0]);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, pipeFds[1], 1);
  posix_spawn_file_actions_adddup2(&actions, pipeFds[1], 2);
  auto args = command;
  auto argv = toArgv(args);
  pid_t child = -1;
  const int rc = ::posix_spawnp(&child, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(pipeFds[1]);
  if (rc != 0) throw std::runtime_error("cannot run " + command[0] + ": " + std::strerror(rc));
  std::string output;
  char buffer[4096];
  for (ssize_t n; (n = ::read(readEnd.get(), buffer, sizeof buffer)) != 0;) {
    if (n > 0)
      output.append(buffer, static_cast<std::size_t>(n));
    else if (errno != EINTR)
      break;
  }
  int status = 0;
  ::waitpid(child, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    throw std::runtime_error(command[0] + " failed (status " + std::to_string(status) +
                             "): " + output);
  return output;
}

}  // namespace warren::test
