// A few Redis connections to the node's server for calls made from plugin threads (the once()
// ledger, the queue service): never the worker's own connections, so a plugin's call never
// waits behind, or delays, the io thread's traffic.
#pragma once

#include "redis/Connection.h"
#include "redis/Url.h"

#include <cstddef>
#include <memory>
#include <mutex>
#include <vector>

namespace warren::queue {

class RedisPool {
 public:
  // Connections open on first use; at most `maxIdle` are kept open between uses.
  RedisPool(redis::Url url, redis::ConnectionOptions options, std::size_t maxIdle = 4);
  ~RedisPool();
  RedisPool(const RedisPool&) = delete;
  RedisPool& operator=(const RedisPool&) = delete;

  // One connection for the lease's lifetime, used by one thread. A connection that failed is
  // closed instead of going back.
  class Lease {
   public:
    Lease(Lease&&) noexcept = default;
    Lease& operator=(Lease&&) = delete;
    ~Lease();
    redis::Connection& operator*() const { return *connection_; }
    redis::Connection* operator->() const { return connection_.get(); }

   private:
    friend class RedisPool;
    Lease(RedisPool& pool, std::unique_ptr<redis::Connection> connection);
    RedisPool* pool_;
    std::unique_ptr<redis::Connection> connection_;
  };

  // Throws redis::ConnectionError when no connection could be opened.
  Lease lease();

 private:
  void giveBack(std::unique_ptr<redis::Connection> connection);

  const redis::Url url_;
  const redis::ConnectionOptions options_;
  const std::size_t maxIdle_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<redis::Connection>> idle_;
};

}  // namespace warren::queue
