// A TCP proxy on 127.0.0.1 in front of a server, able to turn the connections it carries into
// black holes: after blackholeOpen() those connections stay open but nothing moves on them any
// more, in either direction, and nothing is closed, like a peer that vanished without a RST (a
// failed-over Redis behind a dropped network path). Connections accepted later are forwarded
// normally.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace warren::test {

class BlackholeProxy {
 public:
  explicit BlackholeProxy(int targetPort);
  ~BlackholeProxy();
  BlackholeProxy(const BlackholeProxy&) = delete;
  BlackholeProxy& operator=(const BlackholeProxy&) = delete;

  int port() const { return port_; }
  // Freezes every connection open now; returns how many.
  std::size_t blackholeOpen();
  std::size_t accepted() const { return accepted_.load(); }

 private:
  struct Session;
  void acceptLoop();
  void pump(const std::shared_ptr<Session>& session);

  int targetPort_;
  int listener_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<std::size_t> accepted_{0};
  std::mutex mutex_;
  std::vector<std::shared_ptr<Session>> sessions_;
  std::vector<std::thread> threads_;
  std::thread acceptor_;
};

}  // namespace warren::test
