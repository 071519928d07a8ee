#include "outbound/ConnectionPool.h"

#include <vector>

namespace warren::outbound {

using Closing = std::vector<std::unique_ptr<Connection>>;

ConnectionPool::ConnectionPool(std::size_t maxIdlePerOrigin, std::chrono::milliseconds expiry)
    : maxIdle_(maxIdlePerOrigin), expiry_(expiry) {}

ConnectionPool::~ConnectionPool() = default;

void ConnectionPool::dropExpired(Parked& parked, Clock::time_point now, Closing& out) {
  while (!parked.empty() && now - parked.front()->idleSince >= expiry_) {
    out.push_back(std::move(parked.front()));
    parked.pop_front();
  }
}

std::unique_ptr<Connection> ConnectionPool::take(const std::string& origin) {
  Closing closing;  // destroyed after the lock is released
  std::lock_guard lock(mutex_);
  const auto it = idle_.find(origin);
  if (it == idle_.end()) return nullptr;
  dropExpired(it->second, Clock::now(), closing);
  if (it->second.empty()) return nullptr;
  std::unique_ptr<Connection> connection = std::move(it->second.back());
  it->second.pop_back();
  return connection;
}

void ConnectionPool::put(const std::string& origin, std::unique_ptr<Connection> connection) {
  Closing closing;
  std::lock_guard lock(mutex_);
  if (maxIdle_ == 0) {
    closing.push_back(std::move(connection));
    return;
  }
  Parked& parked = idle_[origin];
  connection->idleSince = Clock::now();
  parked.push_back(std::move(connection));
  while (parked.size() > maxIdle_) {
    closing.push_back(std::move(parked.front()));
    parked.pop_front();
  }
}

void ConnectionPool::sweep() {
  Closing closing;
  std::lock_guard lock(mutex_);
  const auto now = Clock::now();
  for (auto it = idle_.begin(); it != idle_.end();) {
    dropExpired(it->second, now, closing);
    it = it->second.empty() ? idle_.erase(it) : std::next(it);
  }
}

std::size_t ConnectionPool::idle() const {
  std::lock_guard lock(mutex_);
  std::size_t count = 0;
  for (const auto& [origin, parked] : idle_) count += parked.size();
  return count;
}

}  // namespace warren::outbound
