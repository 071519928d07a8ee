#include "NotifySocket.h"

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstring>
#include <filesystem>
#include <stdexcept>

namespace warren::test {

NotifySocket::NotifySocket(std::string name) : name_(std::move(name)) {
  sockaddr_un address{};
  if (name_.empty() || name_.size() >= sizeof address.sun_path) {
    throw std::invalid_argument("unusable notify socket name '" + name_ + "'");
  }
  address.sun_family = AF_UNIX;
  std::memcpy(address.sun_path, name_.data(), name_.size());
  auto length = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + name_.size());
  if (name_.front() == '@') address.sun_path[0] = '\0';
  fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr*>(&address), length) != 0) {
    const std::string reason = std::strerror(errno);
    if (fd_ >= 0) ::close(fd_);
    throw std::runtime_error("cannot bind " + name_ + ": " + reason);
  }
}

NotifySocket::~NotifySocket() {
  ::close(fd_);
  if (name_.front() == '/') {
    std::error_code ignored;
    std::filesystem::remove(name_, ignored);
  }
}

std::string NotifySocket::next(std::chrono::milliseconds timeout) const {
  pollfd p{fd_, POLLIN, 0};
  if (::poll(&p, 1, static_cast<int>(timeout.count())) != 1) return "";
  char buffer[4096];
  const ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
  return n > 0 ? std::string(buffer, static_cast<std::size_t>(n)) : "";
}

}  // namespace warren::test
