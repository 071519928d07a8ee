#include "app/DemoPlatforms.h"

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>
#include <chrono>
#include <fstream>
#include <stdexcept>
#include <thread>
#include <vector>

namespace warren::app {
namespace {

constexpr const char* kName = "warren-fake-platforms";

// Waits up to `limit` for the child to exit; true when it did.
bool reaped(pid_t pid, std::chrono::milliseconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (true) {
    int status = 0;
    const pid_t r = ::waitpid(pid, &status, WNOHANG);
    if (r == pid || r < 0) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

}  // namespace

std::filesystem::path DemoPlatforms::find() {
  std::error_code error;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", error);
  if (error) return {};
  for (const auto& candidate :
       {exe.parent_path() / kName, exe.parent_path().parent_path() / "lib" / "warren" / kName}) {
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return {};
}

DemoPlatforms::DemoPlatforms(const std::filesystem::path& executable,
                             const std::filesystem::path& dir)
    : log_(dir / "fake-platforms.log") {
  const std::string portFile = (dir / "fake-platforms.port").string();
  const std::string program = executable.string();
  std::vector<std::string> args = {program, "--host",      "127.0.0.1", "--port",
                                   "0",     "--port-file", portFile};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  const int out = ::open(log_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (out < 0) throw std::runtime_error("cannot create " + log_.string());
  const pid_t parent = ::getpid();
  pid_ = ::fork();
  if (pid_ == 0) {
    // Only async-signal-safe calls here. The demo's signal mask (SIGTERM blocked for its signal
    // thread) must not stop the fake from being stopped.
    ::prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (::getppid() != parent) ::_exit(127);
    sigset_t none;
    ::sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    ::dup2(out, STDOUT_FILENO);
    ::dup2(out, STDERR_FILENO);
    ::execv(program.c_str(), argv.data());
    ::_exit(127);
  }
  ::close(out);
  if (pid_ < 0) throw std::runtime_error("cannot start " + program);
  for (int i = 0; i < 400 && port_ == 0; ++i) {
    std::ifstream in(portFile);
    if (!(in >> port_)) port_ = 0;
    if (port_ == 0) {
      if (reaped(pid_, std::chrono::milliseconds(0))) {
        pid_ = -1;
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
  }
  if (port_ == 0) {
    stop();
    throw std::runtime_error(program + " did not start (its output: " + log_.string() + ")");
  }
}

DemoPlatforms::~DemoPlatforms() {
  stop();
}

void DemoPlatforms::stop() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGTERM);
  if (!reaped(pid_, std::chrono::seconds(5))) {
    ::kill(pid_, SIGKILL);
    reaped(pid_, std::chrono::seconds(5));
  }
  pid_ = -1;
}

std::string DemoPlatforms::base(const std::string& platform) const {
  return "http://127.0.0.1:" + std::to_string(port_) + "/" + platform;
}

nlohmann::json DemoPlatforms::admin(const std::string& method, const std::string& path,
                                    const nlohmann::json& body) const {
  return fakePlatformsAdmin(port_, method, path, body);
}

nlohmann::json fakePlatformsAdmin(int port, const std::string& method, const std::string& path,
                                  const nlohmann::json& body) {
  Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(port));
  session.setTimeout(Poco::Timespan(10, 0));
  Poco::Net::HTTPRequest request(method, "/_admin" + path, Poco::Net::HTTPMessage::HTTP_1_1);
  const std::string text = body.is_null() ? std::string() : body.dump();
  if (!text.empty()) {
    request.setContentType("application/json");
    request.setContentLength(static_cast<std::streamsize>(text.size()));
  }
  session.sendRequest(request) << text;
  Poco::Net::HTTPResponse response;
  std::string answer;
  Poco::StreamCopier::copyToString(session.receiveResponse(response), answer);
  if (response.getStatus() >= 300) {
    throw std::runtime_error("the fake platforms' " + method + " /_admin" + path + " answered " +
                             std::to_string(response.getStatus()) + ": " + answer);
  }
  return answer.empty() ? nlohmann::json() : nlohmann::json::parse(answer);
}

}  // namespace warren::app
