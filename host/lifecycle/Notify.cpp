#include "lifecycle/Notify.h"

#include "log/Log.h"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <ctime>

namespace warren::lifecycle {
namespace {

std::string takeEnvironment(const char* name) {
  const char* value = std::getenv(name);
  std::string text = value != nullptr ? value : "";
  ::unsetenv(name);
  return text;
}

// A whole positive number, or 0 when the text is not one.
long long positive(const std::string& text) {
  char* end = nullptr;
  errno = 0;
  const long long value = std::strtoll(text.c_str(), &end, 10);
  return text.empty() || *end != '\0' || errno != 0 || value <= 0 ? 0 : value;
}

// A STATUS= value on one line: a newline would start another assignment.
std::string oneLine(std::string text) {
  for (char& c : text) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return text;
}

std::uint64_t monotonicMicros() {
  timespec now{};
  ::clock_gettime(CLOCK_MONOTONIC, &now);
  return static_cast<std::uint64_t>(now.tv_sec) * 1000000u +
         static_cast<std::uint64_t>(now.tv_nsec) / 1000u;
}

}  // namespace

Notifier::Notifier(std::string socket, std::chrono::microseconds watchdog,
                   std::function<Clock::time_point()> clock)
    : socket_(std::move(socket)), watchdog_(watchdog), clock_(std::move(clock)) {
  // A path that does not fit sockaddr_un cannot be reached: better disabled than half-working.
  if (socket_.empty()) return;
  if (socket_.size() >= sizeof(sockaddr_un::sun_path) ||
      (socket_.front() != '/' && socket_.front() != '@')) {
    log::warn("NOTIFY_SOCKET ignored: expected an absolute path or @name shorter than 108 bytes",
              {{"notify_socket", socket_}});
    socket_.clear();
  }
}

Notifier Notifier::fromEnvironment() {
  const std::string socket = takeEnvironment("NOTIFY_SOCKET");
  const long long usec = positive(takeEnvironment("WATCHDOG_USEC"));
  const std::string pid = takeEnvironment("WATCHDOG_PID");
  if (socket.empty()) return {};
  const bool ours = pid.empty() || positive(pid) == static_cast<long long>(::getpid());
  return Notifier(socket, std::chrono::microseconds(ours ? usec : 0));
}

bool Notifier::send(const std::string& message) const {
  if (!enabled()) return false;
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::memcpy(address.sun_path, socket_.data(), socket_.size());
  auto length = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + socket_.size());
  if (socket_.front() == '@') {
    address.sun_path[0] = '\0';  // abstract namespace: no terminating NUL in the length
  } else {
    length = static_cast<socklen_t>(length + 1);
  }
  const int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  const ssize_t sent = ::sendto(fd, message.data(), message.size(), MSG_NOSIGNAL,
                                reinterpret_cast<const sockaddr*>(&address), length);
  const int error = errno;
  ::close(fd);
  if (sent != static_cast<ssize_t>(message.size())) {
    log::debug("service manager notification not sent",
               {{"notify_socket", socket_}, {"error", std::strerror(error)}});
    return false;
  }
  return true;
}

void Notifier::ready(const std::string& text) {
  send("READY=1\nSTATUS=" + oneLine(text));
  keepalives_ = watchdog_.count() > 0;
  lastKeepalive_ = clock_();
}

void Notifier::reloading() {
  send("RELOADING=1\nMONOTONIC_USEC=" + std::to_string(monotonicMicros()));
}

void Notifier::stopping(const std::string& text) {
  keepalives_ = false;
  send("STOPPING=1\nSTATUS=" + oneLine(text));
}

void Notifier::status(const std::string& text) {
  send("STATUS=" + oneLine(text));
}

std::optional<std::chrono::milliseconds> Notifier::keepalive() {
  if (!keepalives_) return std::nullopt;
  const auto interval = std::chrono::duration_cast<Clock::duration>(watchdog_) / 2;
  const auto now = clock_();
  if (now - lastKeepalive_ >= interval) {
    send("WATCHDOG=1");
    lastKeepalive_ = now;
  }
  const auto due = lastKeepalive_ + interval - now;
  // Rounded up: waking a little late is fine at half the period; waking early would spin.
  return std::chrono::ceil<std::chrono::milliseconds>(due);
}

}  // namespace warren::lifecycle
