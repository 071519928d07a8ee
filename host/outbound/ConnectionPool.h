// Idle kept-alive connections by origin (scheme://host:port): at most N per origin, each dropped
// after an idle expiry. Connections are closed outside the lock.
#pragma once

#include "outbound/Connection.h"

#include <chrono>
#include <cstddef>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace warren::outbound {

class ConnectionPool {
 public:
  using Clock = std::chrono::steady_clock;

  ConnectionPool(std::size_t maxIdlePerOrigin, std::chrono::milliseconds expiry);
  ~ConnectionPool();

  // The most recently parked connection of `origin` that has not expired, or null.
  std::unique_ptr<Connection> take(const std::string& origin);
  // Parks a connection that finished a request cleanly; the oldest goes when the origin is full.
  void put(const std::string& origin, std::unique_ptr<Connection> connection);
  // Closes every expired connection (the client's watchdog calls this about once a second).
  void sweep();
  std::size_t idle() const;

 private:
  using Parked = std::deque<std::unique_ptr<Connection>>;  // oldest first
  void dropExpired(Parked& parked, Clock::time_point now,
                   std::vector<std::unique_ptr<Connection>>& out);

  const std::size_t maxIdle_;
  const std::chrono::milliseconds expiry_;
  mutable std::mutex mutex_;
  std::map<std::string, Parked> idle_;
};

}  // namespace warren::outbound
