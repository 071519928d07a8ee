#include "executor/Channel.h"

#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace warren::executor {

Channel::~Channel() {
  close();
}

void Channel::close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

void Channel::send(const std::string& frame) {
  std::size_t sent = 0;
  while (sent < frame.size()) {
    // MSG_NOSIGNAL: a closed peer is an error value here, whatever SIGPIPE's disposition.
    const ssize_t n = ::send(fd_, frame.data() + sent, frame.size() - sent, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) throw ChannelClosed(std::string("cannot write: ") + std::strerror(errno));
    sent += static_cast<std::size_t>(n);
  }
}

bool Channel::receiveSome() {
  char chunk[64 * 1024];
  for (;;) {
    const ssize_t n = ::read(fd_, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw ChannelClosed(std::string("cannot read: ") + std::strerror(errno));
    if (n == 0) return false;
    buffer_.append(chunk, static_cast<std::size_t>(n));
    return true;
  }
}

std::optional<Frame> Channel::receive() {
  for (;;) {
    if (auto frame = next()) return frame;
    if (!receiveSome()) return std::nullopt;
  }
}

}  // namespace warren::executor
