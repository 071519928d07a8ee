// Internal: a Poco Data SessionPool behind a bounded wait, and one checked-out session with the
// backend's native handle (libpq / sqlite3) for running statements.
#pragma once

#include "db/Database.h"
#include "db/Sql.h"

#include <Poco/Data/Session.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace warren::db::detail {

class Pool;

// One session checked out of a Pool; returns it (and its slot) when destroyed. Not thread-safe:
// one user at a time.
class Connection {
 public:
  virtual ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // One statement with $1..$n bound from `params`.
  virtual DbResult execute(std::string_view sql, const std::vector<Param>& params) = 0;
  // Any number of statements, no parameters, no rows (migrations, BEGIN/COMMIT).
  virtual DbResult executeScript(std::string_view sql) = 0;
  // The connection broke (the server went away); it will not go back to the pool.
  virtual bool lost() const = 0;
  virtual bool inTransaction() const = 0;
  virtual Backend backend() const = 0;

  Pool& pool() const { return pool_; }

 protected:
  Connection(Pool& pool, Poco::Data::Session session);
  // Closes the underlying connection so that the pool drops the session instead of reusing it.
  void discard();
  Poco::Data::Session& session() { return session_; }

 private:
  Pool& pool_;
  Poco::Data::Session session_;
};

struct PoolSettings {
  std::string label;  // "primary" or "replica": metrics and logs
  Backend backend = Backend::sqlite;
  std::string connector;
  std::string connectionString;
  std::uint32_t capacity = 1;
  std::chrono::milliseconds acquireTimeout{5000};
  std::chrono::seconds idleTimeout{60};
  std::vector<std::string> secrets;
};

class Pool {
 public:
  explicit Pool(PoolSettings settings);
  ~Pool();
  Pool(const Pool&) = delete;
  Pool& operator=(const Pool&) = delete;

  // Waits up to the acquire timeout for a free slot (else DbError timeout: "database pool
  // exhausted: all N connections busy for T ms"), then takes a session, opening one if needed
  // (DbError unavailable when it cannot connect). A pooled PostgreSQL connection the server has
  // closed meanwhile is noticed here and replaced.
  std::unique_ptr<Connection> acquire();

  const PoolSettings& settings() const { return settings_; }
  std::uint32_t busy() const;
  // Replaces every secret (the URL's password) in `text` with ***.
  std::string scrub(std::string text) const;

 private:
  friend class Connection;
  void release();
  void publishGauges();
  std::unique_ptr<Connection> open();

  PoolSettings settings_;
  class SessionPool;
  std::unique_ptr<SessionPool> sessions_;
  mutable std::mutex mutex_;
  std::condition_variable freed_;
  std::uint32_t busy_ = 0;
};

}  // namespace warren::db::detail
