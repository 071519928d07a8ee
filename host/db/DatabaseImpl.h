// Internal: what a Database holds, shared by Database.cpp and Migrations.cpp.
#pragma once

#include "db/Database.h"
#include "db/Metrics.h"
#include "db/Pool.h"
#include "db/Url.h"

#include <atomic>

namespace warren::db {

struct Database::Impl {
  explicit Impl(Options options);

  // A primary session; connection failures are retried with backoff, counting in `attempt`
  // (DbError once options.retryAttempts are used up, or at once for a refusal).
  std::unique_ptr<detail::Connection> acquirePrimary(std::uint32_t& attempt);
  DbResult onPrimary(Intent intent, std::string_view sql, const std::vector<Param>& params);
  DbResult read(std::string_view sql, const std::vector<Param>& params);
  DbResult fallbackRead(std::string_view sql, const std::vector<Param>& params);
  std::chrono::milliseconds backoff(std::uint32_t attempt) const;
  std::string scrub(std::string text) const;

  void primaryUnreachable(const std::string& why);
  void primaryReachable();
  void replicaUnreachable(const std::string& why);
  void replicaReachable();

  Options options;
  Target primaryTarget;
  Target replicaTarget;
  std::uint32_t poolSize = 0;
  std::unique_ptr<detail::Pool> primary;
  std::unique_ptr<detail::Pool> replica;
  std::atomic<bool> primaryDown{false};
  std::atomic<bool> replicaDown{false};
  std::atomic<std::int64_t> replicaRetryAtMs{0};  // steady clock
};

}  // namespace warren::db
