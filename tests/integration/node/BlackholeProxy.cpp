#include "BlackholeProxy.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>

namespace warren::test {
namespace {

sockaddr_in loopback(int port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return address;
}

int connectTo(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address = loopback(port);
  if (fd >= 0 && ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0) {
    return fd;
  }
  if (fd >= 0) ::close(fd);
  return -1;
}

// Copies what is readable on `from` to `to`; false once either side is gone.
bool forward(int from, int to) {
  char buffer[16384];
  const ssize_t n = ::recv(from, buffer, sizeof buffer, 0);
  if (n <= 0) return n < 0 && errno == EINTR;
  for (ssize_t sent = 0; sent < n;) {
    const ssize_t m = ::send(to, buffer + sent, static_cast<std::size_t>(n - sent), MSG_NOSIGNAL);
    if (m <= 0) return false;
    sent += m;
  }
  return true;
}

}  // namespace

struct BlackholeProxy::Session {
  int client = -1;
  int server = -1;
  std::atomic<bool> frozen{false};
  ~Session() {
    ::close(client);
    ::close(server);
  }
};

BlackholeProxy::BlackholeProxy(int targetPort) : targetPort_(targetPort) {
  listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address = loopback(0);
  socklen_t length = sizeof address;
  if (listener_ < 0 || ::bind(listener_, reinterpret_cast<sockaddr*>(&address), length) != 0 ||
      ::listen(listener_, 64) != 0 ||
      ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    throw std::runtime_error(std::string("proxy cannot listen: ") + std::strerror(errno));
  }
  port_ = ntohs(address.sin_port);
  acceptor_ = std::thread([this] { acceptLoop(); });
}

BlackholeProxy::~BlackholeProxy() {
  stopping_ = true;
  acceptor_.join();
  for (auto& thread : threads_) thread.join();
  ::close(listener_);
}

std::size_t BlackholeProxy::blackholeOpen() {
  std::lock_guard lock(mutex_);
  for (auto& session : sessions_) session->frozen = true;
  return sessions_.size();
}

void BlackholeProxy::acceptLoop() {
  while (!stopping_) {
    pollfd waiting{listener_, POLLIN, 0};
    if (::poll(&waiting, 1, 100) <= 0) continue;
    const int client = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
    if (client < 0) continue;
    auto session = std::make_shared<Session>();
    session->client = client;
    session->server = connectTo(targetPort_);
    if (session->server < 0) continue;  // the client sees the close, as with the server down
    ++accepted_;
    std::lock_guard lock(mutex_);
    sessions_.push_back(session);
    threads_.emplace_back([this, session] { pump(session); });
  }
}

void BlackholeProxy::pump(const std::shared_ptr<Session>& session) {
  while (!stopping_) {
    if (session->frozen) {
      // Nothing is read, nothing is written, nothing is closed.
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      continue;
    }
    pollfd fds[2] = {{session->client, POLLIN, 0}, {session->server, POLLIN, 0}};
    if (::poll(fds, 2, 50) <= 0 || session->frozen) continue;
    const bool alive = ((fds[0].revents & (POLLIN | POLLHUP | POLLERR)) == 0 ||
                        forward(session->client, session->server)) &&
                       ((fds[1].revents & (POLLIN | POLLHUP | POLLERR)) == 0 ||
                        forward(session->server, session->client));
    if (!alive) {
      ::shutdown(session->client, SHUT_RDWR);
      ::shutdown(session->server, SHUT_RDWR);
      return;
    }
  }
}

}  // namespace warren::test
