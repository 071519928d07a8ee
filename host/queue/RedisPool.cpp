#include "queue/RedisPool.h"

#include <utility>

namespace warren::queue {

namespace {

// An idle connection may find its server restarted: it reconnects once, then the call fails (a
// plugin thread is not held in a reconnect backoff).
redis::ConnectionOptions pooled(redis::ConnectionOptions options) {
  options.autoReconnect = true;
  options.reconnect.maxAttempts = 1;
  return options;
}

}  // namespace

RedisPool::RedisPool(redis::Url url, redis::ConnectionOptions options, std::size_t maxIdle)
    : url_(std::move(url)), options_(pooled(std::move(options))), maxIdle_(maxIdle) {}

RedisPool::~RedisPool() = default;

RedisPool::Lease::Lease(RedisPool& pool, std::unique_ptr<redis::Connection> connection)
    : pool_(&pool), connection_(std::move(connection)) {}

RedisPool::Lease::~Lease() {
  if (connection_) pool_->giveBack(std::move(connection_));
}

RedisPool::Lease RedisPool::lease() {
  {
    std::lock_guard lock(mutex_);
    if (!idle_.empty()) {
      auto connection = std::move(idle_.back());
      idle_.pop_back();
      return Lease(*this, std::move(connection));
    }
  }
  return Lease(*this, std::make_unique<redis::Connection>(url_, options_));
}

void RedisPool::giveBack(std::unique_ptr<redis::Connection> connection) {
  if (!connection->healthy() || connection->pending() > 0) return;  // closed with it
  std::lock_guard lock(mutex_);
  if (idle_.size() < maxIdle_) idle_.push_back(std::move(connection));
}

}  // namespace warren::queue
