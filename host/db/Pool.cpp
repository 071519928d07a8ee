#include "db/Pool.h"

#include "db/Connections.h"
#include "db/PostgresModule.h"
#include "log/Log.h"
#include "metrics/ProcessMetrics.h"
#include "metrics/Registry.h"

#include <Poco/Data/PooledSessionImpl.h>
#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/SessionPool.h>
#include <Poco/Exception.h>

#include <mutex>
#include <optional>

namespace warren::db::detail {
namespace {

// PostgreSQL's connector comes with its module, registered when that is loaded.
void registerConnectors(Backend backend) {
  static std::once_flag once;
  std::call_once(once, [] { Poco::Data::SQLite::Connector::registerConnector(); });
  if (backend == Backend::postgresql) postgresDriver();
}

}  // namespace

Poco::Data::SessionImpl* nativeImpl(Poco::Data::Session& session) {
  // PooledSessionImpl hides the backend's SessionImpl behind a protected accessor; a member
  // pointer named through a derived class reaches it without touching Poco's internals.
  struct Access : Poco::Data::PooledSessionImpl {
    static Poco::Data::SessionImpl* of(const Poco::Data::PooledSessionImpl& pooled) {
      return (pooled.*(&Access::access))();
    }
  };
  Poco::Data::SessionImpl* impl = session.impl();
  if (const auto* pooled = dynamic_cast<const Poco::Data::PooledSessionImpl*>(impl))
    return Access::of(*pooled);
  return impl;
}

// Poco's pool with a hook on each new session (notice routing, SQLite pragmas).
class Pool::SessionPool : public Poco::Data::SessionPool {
 public:
  SessionPool(const PoolSettings& settings)
      : Poco::Data::SessionPool(settings.connector, settings.connectionString, 1,
                                static_cast<int>(settings.capacity),
                                static_cast<int>(settings.idleTimeout.count())),
        backend_(settings.backend),
        busyTimeout_(settings.acquireTimeout) {}

 protected:
  void customizeSession(Poco::Data::Session& session) override {
    if (backend_ == Backend::postgresql)
      setupPostgresSession(session);
    else
      setupSqliteSession(session, busyTimeout_);
  }

 private:
  Backend backend_;
  std::chrono::milliseconds busyTimeout_;
};

// ---- Connection ----

Connection::Connection(Pool& pool, Poco::Data::Session session)
    : pool_(pool), session_(std::move(session)) {}

Connection::~Connection() {
  try {
    session_.close();  // back to Poco's pool, which drops it when no longer connected
  } catch (...) {
  }
  pool_.release();
}

void Connection::discard() {
  try {
    if (auto* impl = nativeImpl(session_)) impl->close();
  } catch (...) {
  }
}

// ---- Pool ----

Pool::Pool(PoolSettings settings) : settings_(std::move(settings)) {
  registerConnectors(settings_.backend);
  sessions_ = std::make_unique<SessionPool>(settings_);
  metrics::registry().gaugeSet(metrics::names::dbPoolMax, {{"pool", settings_.label}},
                               settings_.capacity);
  publishGauges();
}

Pool::~Pool() {
  try {
    sessions_->shutdown();
  } catch (...) {
  }
  for (const char* state : {"idle", "busy"})
    metrics::registry().gaugeSet(metrics::names::dbPoolConnections,
                                 {{"pool", settings_.label}, {"state", state}}, 0);
}

std::uint32_t Pool::busy() const {
  std::lock_guard lock(mutex_);
  return busy_;
}

std::string Pool::scrub(std::string text) const {
  for (const auto& secret : settings_.secrets) {
    if (secret.size() < 3) continue;  // as log::addSecret: too short to replace without mangling
    for (auto pos = text.find(secret); pos != std::string::npos; pos = text.find(secret, pos)) {
      text.replace(pos, secret.size(), "***");
      pos += 3;
    }
  }
  return text;
}

std::unique_ptr<Connection> Pool::acquire() {
  {
    std::unique_lock lock(mutex_);
    if (!freed_.wait_for(lock, settings_.acquireTimeout,
                         [&] { return busy_ < settings_.capacity; })) {
      lock.unlock();
      metrics::registry().counterAdd(metrics::names::dbPoolWaitTimeouts,
                                     {{"pool", settings_.label}}, 1);
      throw DbError(ErrorKind::timeout,
                    "database pool exhausted: all " + std::to_string(settings_.capacity) +
                        " connections busy for " +
                        std::to_string(settings_.acquireTimeout.count()) + " ms");
    }
    ++busy_;
  }
  try {
    auto connection = open();
    publishGauges();
    return connection;
  } catch (...) {
    release();
    throw;
  }
}

std::unique_ptr<Connection> Pool::open() {
  const bool postgres = settings_.backend == Backend::postgresql;
  const std::string where = "cannot connect to the database (" + settings_.label + "): ";
  // Poco 1.11 never frees the libpq connection of a failed attempt: ask first whether the
  // server is there before letting Poco open a new session.
  if (postgres && sessions_->idle() == 0) {
    const std::string why = postgresUnreachable(settings_.connectionString);
    if (!why.empty()) throw DbError(ErrorKind::unavailable, scrub(where + oneLine(why)), true);
  }
  std::optional<Poco::Data::Session> session;
  try {
    session.emplace(sessions_->get());
  } catch (const Poco::Exception& e) {
    // The server answered a ping but refused the session (password, database name): retrying
    // will not help. For SQLite: the file cannot be opened.
    throw DbError(ErrorKind::unavailable, scrub(where + oneLine(e.displayText())), false);
  }
  if (!postgres) return makeSqliteConnection(*this, std::move(*session));
  return makePostgresConnection(*this, std::move(*session));
}

void Pool::release() {
  {
    std::lock_guard lock(mutex_);
    --busy_;
  }
  freed_.notify_one();
  publishGauges();
}

void Pool::publishGauges() {
  try {
    const std::uint32_t busyNow = busy();
    const int idle = sessions_->idle();
    auto& registry = metrics::registry();
    registry.gaugeSet(metrics::names::dbPoolConnections,
                      {{"pool", settings_.label}, {"state", "busy"}}, busyNow);
    registry.gaugeSet(metrics::names::dbPoolConnections,
                      {{"pool", settings_.label}, {"state", "idle"}}, idle);
  } catch (...) {
  }
}

}  // namespace warren::db::detail
