#include "db/Database.h"

#include "db/DatabaseImpl.h"
#include "db/Url.h"
#include "log/Log.h"
#include "metrics/Registry.h"

#include <algorithm>
#include <random>
#include <thread>

namespace warren::db {
namespace {

using Clock = std::chrono::steady_clock;

std::int64_t nowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now().time_since_epoch())
      .count();
}

void describeMetrics() {
  auto& r = metrics::registry();
  r.describe(names::replicaUp, metrics::Kind::gauge,
             "1 while reads go to the database read replica, 0 while they fall back to the "
             "primary because the replica cannot be reached.");
  r.describe(names::replicaFallbackReads, metrics::Kind::counter,
             "Reads served by the primary because the read replica could not be reached.");
  r.describe(names::retries, metrics::Kind::counter,
             "Database statements tried again after the server could not be reached, by pool.");
}

}  // namespace

std::uint32_t defaultPoolSize(std::uint32_t workers, std::uint32_t concurrency,
                              std::uint32_t buffer) {
  const std::uint64_t size =
      std::uint64_t{std::max<std::uint32_t>(workers, 1)} * (2ull + concurrency) + buffer;
  return static_cast<std::uint32_t>(std::min<std::uint64_t>(size, 10000));
}

// ---- Lease ----

Lease::Lease(std::unique_ptr<detail::Connection> connection) : connection_(std::move(connection)) {}
Lease::Lease(Lease&&) noexcept = default;
Lease& Lease::operator=(Lease&&) noexcept = default;
Lease::~Lease() = default;

DbResult Lease::query(std::string_view sql, std::string_view paramsJson) {
  if (!connection_) return DbResult::failure(ErrorKind::internal, "the lease was moved from");
  try {
    DbResult result = connection_->execute(sql, parseParams(paramsJson));
    if (!result.ok) result.error = connection_->pool().scrub(std::move(result.error));
    return result;
  } catch (const DbError& e) {
    return DbResult::failure(e.kind(), connection_->pool().scrub(e.what()));
  } catch (const std::exception& e) {
    return DbResult::failure(ErrorKind::internal, connection_->pool().scrub(e.what()));
  }
}

Backend Lease::backend() const {
  return connection_ ? connection_->backend() : Backend::sqlite;
}

// ---- Database ----

Database::Impl::Impl(Options opts) : options(std::move(opts)) {
  describeMetrics();
  primaryTarget = parseUrl(options.url, options.dataDir, options.connectTimeout);
  for (const auto& secret : primaryTarget.secrets) log::addSecret(secret);
  poolSize = options.poolSize != 0 ? options.poolSize
                                   : defaultPoolSize(options.workers, options.concurrency);
  if (primaryTarget.backend == Backend::sqlite) {
    const auto parent = std::filesystem::path(primaryTarget.connectionString).parent_path();
    std::error_code error;
    if (!parent.empty()) std::filesystem::create_directories(parent, error);
    if (error)
      throw DbError(ErrorKind::invalid,
                    "cannot create the directory " + parent.string() + ": " + error.message());
  }
  primary = std::make_unique<detail::Pool>(detail::PoolSettings{
      "primary", primaryTarget.backend, primaryTarget.connector, primaryTarget.connectionString,
      poolSize, options.acquireTimeout, options.idleTimeout, primaryTarget.secrets});

  if (!options.replicaUrl.empty()) {
    replicaTarget =
        parseUrl(options.replicaUrl, "", options.connectTimeout, "DATABASE_REPLICA_URL");
    for (const auto& secret : replicaTarget.secrets) log::addSecret(secret);
    if (replicaTarget.backend != Backend::postgresql ||
        primaryTarget.backend != Backend::postgresql)
      throw DbError(ErrorKind::invalid,
                    "DATABASE_REPLICA_URL: a read replica needs PostgreSQL for both "
                    "DATABASE_URL and DATABASE_REPLICA_URL");
    replica = std::make_unique<detail::Pool>(detail::PoolSettings{
        "replica", replicaTarget.backend, replicaTarget.connector, replicaTarget.connectionString,
        poolSize, options.acquireTimeout, options.idleTimeout, replicaTarget.secrets});
    metrics::registry().gaugeSet(names::replicaUp, {}, 1);
  }

  if (primaryTarget.backend == Backend::sqlite) {
    // WAL: readers do not block the writer (and the setting stays with the file).
    auto connection = primary->acquire();
    const DbResult wal = connection->execute("PRAGMA journal_mode = WAL", {});
    if (!wal.ok)
      throw DbError(ErrorKind::internal,
                    "cannot open the SQLite database " + primaryTarget.display + ": " + wal.error);
  }
  log::info("database configured", {{"backend", primaryTarget.connector},
                                    {"url", primaryTarget.display},
                                    {"replica", replica ? replicaTarget.display : "none"},
                                    {"pool_size", poolSize}});
}

std::chrono::milliseconds Database::Impl::backoff(std::uint32_t attempt) const {
  thread_local std::minstd_rand random{std::random_device{}()};
  auto delay = options.retryDelay;
  for (std::uint32_t i = 1; i < attempt && delay < options.retryMaxDelay; ++i) delay *= 2;
  delay = std::min(delay, options.retryMaxDelay);
  // +-20 % so that nodes that lost the database together do not retry in lockstep.
  const auto spread = std::max<std::int64_t>(delay.count() / 5, 1);
  std::uniform_int_distribution<std::int64_t> jitter(-spread, spread);
  return std::max(std::chrono::milliseconds(1), delay + std::chrono::milliseconds(jitter(random)));
}

void Database::Impl::primaryUnreachable(const std::string& why) {
  if (!primaryDown.exchange(true))
    log::warn("database unreachable: statements are retried with backoff",
              {{"pool", "primary"}, {"url", primaryTarget.display}, {"error", why}});
}

void Database::Impl::primaryReachable() {
  if (primaryDown.exchange(false))
    log::info("database reachable again", {{"pool", "primary"}, {"url", primaryTarget.display}});
}

void Database::Impl::replicaUnreachable(const std::string& why) {
  replicaRetryAtMs.store(nowMs() + options.replicaRecheck.count());
  if (!replicaDown.exchange(true)) {
    metrics::registry().gaugeSet(names::replicaUp, {}, 0);
    log::warn("database replica unreachable: reads go to the primary until it answers again",
              {{"replica", replicaTarget.display}, {"error", why}});
  }
}

void Database::Impl::replicaReachable() {
  if (replicaDown.exchange(false)) {
    metrics::registry().gaugeSet(names::replicaUp, {}, 1);
    log::info("database replica answers again: reads go back to it",
              {{"replica", replicaTarget.display}});
  }
}

std::unique_ptr<detail::Connection> Database::Impl::acquirePrimary(std::uint32_t& attempt) {
  const std::uint32_t attempts = std::max<std::uint32_t>(options.retryAttempts, 1);
  for (;; ++attempt) {
    try {
      auto connection = primary->acquire();
      primaryReachable();
      return connection;
    } catch (const DbError& e) {
      if (!e.retryable()) throw;
      primaryUnreachable(e.what());
      if (attempt >= attempts)
        throw DbError(e.kind(),
                      std::string(e.what()) + " (gave up after " + std::to_string(attempts) +
                          (attempts == 1 ? " attempt)" : " attempts)"),
                      true);
      metrics::registry().counterAdd(names::retries, {{"pool", "primary"}}, 1);
      std::this_thread::sleep_for(backoff(attempt));
    }
  }
}

DbResult Database::Impl::onPrimary(Intent intent, std::string_view sql,
                                   const std::vector<Param>& params) {
  // One budget of attempts for both ways of not getting through: no connection, or (reads
  // only) a connection lost while the statement ran.
  const std::uint32_t attempts = std::max<std::uint32_t>(options.retryAttempts, 1);
  for (std::uint32_t attempt = 1;; ++attempt) {
    auto connection = acquirePrimary(attempt);
    DbResult result = connection->execute(sql, params);
    const bool lost = connection->lost();
    connection.reset();  // back to the pool before any wait
    if (!lost) return result;
    primaryUnreachable(result.error);
    if (intent == Intent::write) {
      result.error =
          "the connection to the database was lost while the statement ran; it may "
          "or may not have been applied: " +
          result.error;
      return result;
    }
    if (attempt >= attempts) return result;
    metrics::registry().counterAdd(names::retries, {{"pool", "primary"}}, 1);
    std::this_thread::sleep_for(backoff(attempt));
  }
}

DbResult Database::Impl::fallbackRead(std::string_view sql, const std::vector<Param>& params) {
  metrics::registry().counterAdd(names::replicaFallbackReads, {}, 1);
  return onPrimary(Intent::read, sql, params);
}

DbResult Database::Impl::read(std::string_view sql, const std::vector<Param>& params) {
  if (!replica) return onPrimary(Intent::read, sql, params);
  if (replicaDown.load()) {
    // While it is down, one read per recheck period tries the replica; the others do not wait.
    const std::int64_t now = nowMs();
    std::int64_t retryAt = replicaRetryAtMs.load();
    if (now < retryAt ||
        !replicaRetryAtMs.compare_exchange_strong(retryAt, now + options.replicaRecheck.count()))
      return fallbackRead(sql, params);
  }
  // A connection lost on the way gets one more try on a fresh one before the replica counts
  // as down.
  for (int attempt = 1;; ++attempt) {
    std::unique_ptr<detail::Connection> connection;
    try {
      connection = replica->acquire();
    } catch (const DbError& e) {
      if (e.kind() != ErrorKind::unavailable) throw;  // an exhausted pool is not an outage
      replicaUnreachable(e.what());
      return fallbackRead(sql, params);
    }
    DbResult result = connection->execute(sql, params);
    const bool lost = connection->lost();
    connection.reset();
    if (!lost) {
      replicaReachable();
      return result;
    }
    if (attempt >= 2) {
      replicaUnreachable(result.error);
      return fallbackRead(sql, params);
    }
  }
}

std::string Database::Impl::scrub(std::string text) const {
  text = primary->scrub(std::move(text));
  return replica ? replica->scrub(std::move(text)) : text;
}

Database::Database(Options options) : impl_(std::make_unique<Impl>(std::move(options))) {}

Database::~Database() = default;

DbResult Database::query(Intent intent, std::string_view sql,
                         std::string_view paramsJson) noexcept {
  try {
    try {
      const auto params = parseParams(paramsJson);
      DbResult result =
          intent == Intent::read ? impl_->read(sql, params) : impl_->onPrimary(intent, sql, params);
      if (!result.ok) result.error = impl_->scrub(std::move(result.error));
      return result;
    } catch (const DbError& e) {
      return DbResult::failure(e.kind(), impl_->scrub(e.what()));
    } catch (const std::exception& e) {
      return DbResult::failure(ErrorKind::internal, impl_->scrub(e.what()));
    }
  } catch (...) {
    return DbResult::failure(ErrorKind::internal, "unexpected error running the statement");
  }
}

Lease Database::lease(Intent intent) {
  if (intent == Intent::read && impl_->replica && !impl_->replicaDown.load()) {
    try {
      return Lease(impl_->replica->acquire());
    } catch (const DbError& e) {
      if (e.kind() != ErrorKind::unavailable) throw;
      impl_->replicaUnreachable(e.what());
      metrics::registry().counterAdd(names::replicaFallbackReads, {}, 1);
    }
  }
  std::uint32_t attempt = 1;
  return Lease(impl_->acquirePrimary(attempt));
}

DbResult Database::ping(Intent intent) noexcept {
  return query(intent, "SELECT 1");
}

Backend Database::backend() const {
  return impl_->primaryTarget.backend;
}

std::uint32_t Database::poolSize() const {
  return impl_->poolSize;
}

bool Database::hasReplica() const {
  return impl_->replica != nullptr;
}

bool Database::replicaUp() const {
  return impl_->replica != nullptr && !impl_->replicaDown.load();
}

std::string Database::describe() const {
  std::string text = impl_->primaryTarget.display;
  if (impl_->replica) text += " (read replica " + impl_->replicaTarget.display + ")";
  return text;
}

}  // namespace warren::db
