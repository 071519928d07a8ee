// The host's database: pooled sessions (Poco Data SessionPool) to PostgreSQL from DATABASE_URL,
// or to a SQLite file in the data directory when no URL is set; reads routed to a read replica
// (DATABASE_REPLICA_URL) when there is one; parameterised statements with $1..$n placeholders on
// both backends, rows back as JSON, errors as values; and a migrations runner.
//
// Routing. Writes always go to the primary. Reads go to the replica; when it cannot be reached,
// reads fall back to the primary (one warn line per outage and warren_db_replica_up = 0, with
// warren_db_replica_fallback_reads_total counting the reads served by the primary) and return
// to the replica once it answers again (checked every `replicaRecheck`).
//
// Failures. Waiting for a session is bounded by `acquireTimeout` ("database pool exhausted: ...").
// A statement that could not reach the server (connect refused, a pooled connection found dead
// before use) is retried with exponential backoff, `retryAttempts` times in all. A connection
// lost while a statement ran is retried for reads only: a write may or may not have been
// applied, so it fails with an error that says so. Broken sessions are dropped from the pool.
//
// Secrets. The URL's password is registered with warren::log::addSecret and scrubbed from every
// error text; logs and errors show the URL with the password as ***.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace warren::db {

enum class Intent { read, write };
enum class Backend { postgresql, sqlite };

// Why a call failed.
enum class ErrorKind {
  none,
  invalid,      // bad SQL text or parameters (the error names which)
  sql,          // the database refused the statement (syntax, constraint, missing table...)
  unavailable,  // the database could not be reached or is busy; may succeed later
  timeout,      // the pool was exhausted for the whole acquire timeout
  internal,     // anything else
};

// The outcome of one statement. Never thrown: errors are values.
struct DbResult {
  bool ok = false;
  std::string rowsJson = "[]";  // JSON array of row objects: column name -> value
  std::int64_t affected = 0;    // rows inserted/updated/deleted, or rows returned by a SELECT
  std::string error;            // set when !ok; never holds a password
  ErrorKind kind = ErrorKind::none;

  // Inline: the PostgreSQL module builds results too and links nothing of the host.
  static DbResult failure(ErrorKind kind, std::string error) {
    DbResult result;
    result.kind = kind;
    result.error = std::move(error);
    return result;
  }
};

// Thrown by the constructor (bad configuration) and by Database::lease.
class DbError : public std::runtime_error {
 public:
  DbError(ErrorKind kind, const std::string& what, bool retryable = false)
      : std::runtime_error(what), kind_(kind), retryable_(retryable) {}
  ErrorKind kind() const { return kind_; }
  // Worth trying again after a pause (the server did not answer), as opposed to a refusal that
  // will not change by itself (bad password, unknown database, exhausted pool).
  bool retryable() const { return retryable_; }

 private:
  ErrorKind kind_;
  bool retryable_;
};

// DATABASE_POOL_SIZE's default: workers x (2 + concurrency) + buffer. A worker's job slots each
// may hold a session, plus two for the worker's own bookkeeping.
inline constexpr std::uint32_t kPoolBuffer = 5;
std::uint32_t defaultPoolSize(std::uint32_t workers, std::uint32_t concurrency,
                              std::uint32_t buffer = kPoolBuffer);

struct Options {
  std::string url;         // DATABASE_URL: postgres[ql]://user:pass@host:port/db?k=v, sqlite://PATH
  std::string replicaUrl;  // DATABASE_REPLICA_URL (PostgreSQL only); empty: no replica
  std::string dataDir;     // the SQLite file <dataDir>/warren.db when `url` is empty
  std::uint32_t poolSize = 0;     // DATABASE_POOL_SIZE; 0: defaultPoolSize(workers, concurrency)
  std::uint32_t workers = 1;      // for the default pool size
  std::uint32_t concurrency = 5;  // job slots per worker, for the default pool size
  std::chrono::milliseconds acquireTimeout{5000};  // longest wait for a free session
  std::chrono::seconds connectTimeout{5};          // libpq connect_timeout unless the URL sets one
  std::uint32_t retryAttempts = 5;  // tries in all for a statement that did not get through
  std::chrono::milliseconds retryDelay{100};       // first backoff, doubled each time...
  std::chrono::milliseconds retryMaxDelay{2000};   // ...up to this
  std::chrono::milliseconds replicaRecheck{5000};  // reads stay on the primary this long
  std::chrono::seconds idleTimeout{60};            // idle sessions beyond one close after this
};

namespace detail {
class Connection;
class Pool;
}  // namespace detail

// One session held from a pool until the Lease goes away: several statements on the same
// connection, e.g. a transaction (query("BEGIN") ... query("COMMIT")). A transaction still open
// when the Lease goes away is rolled back. Must not outlive its Database.
class Lease {
 public:
  Lease(Lease&&) noexcept;
  Lease& operator=(Lease&&) noexcept;
  ~Lease();

  DbResult query(std::string_view sql, std::string_view paramsJson = {});
  Backend backend() const;

 private:
  friend class Database;
  explicit Lease(std::unique_ptr<detail::Connection> connection);
  std::unique_ptr<detail::Connection> connection_;
};

// What runMigrations did.
struct MigrationReport {
  bool ok = false;
  std::vector<std::string> applied;  // file names applied by this call, in order
  std::string error;  // when !ok: names the file that failed; earlier files stay applied
};

// One versioned migration: the file NNNN_name.sql holds version NNNN and name `name`.
struct Migration {
  std::int64_t version = 0;
  std::string name;
  std::string file;
  std::string sql;
};

class Database {
 public:
  // Throws DbError for a bad URL, a replica without a PostgreSQL primary, or a SQLite file that
  // cannot be opened. Does not connect to PostgreSQL (the first statement does).
  explicit Database(Options options);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  // Runs one statement. `paramsJson` is a JSON array (or empty) bound to $1..$n: strings,
  // integers, floats, booleans and null; objects and arrays are bound as their JSON text.
  DbResult query(Intent intent, std::string_view sql, std::string_view paramsJson = {}) noexcept;

  // Holds a session (read: the replica when it is up, else the primary; write: the primary).
  // Throws DbError (timeout when the pool is exhausted, unavailable when it cannot connect).
  Lease lease(Intent intent = Intent::write);

  // Applies the NNNN_name.sql files of `dir` not yet recorded for `scope` in warren_migrations,
  // in version order, each in its own transaction, once across every node (a PostgreSQL
  // advisory lock; SQLite: BEGIN IMMEDIATE). Stops at the first failure, which is rolled back.
  MigrationReport runMigrations(const std::string& scope,
                                const std::filesystem::path& dir) noexcept;
  MigrationReport applyMigrations(const std::string& scope,
                                  std::vector<Migration> migrations) noexcept;
  // The host's own migrations (host/db/migrations, built into the binary), scope "host".
  MigrationReport runHostMigrations() noexcept;

  // SELECT 1 on the primary (write) or through the read route (read), for health checks.
  DbResult ping(Intent intent = Intent::write) noexcept;

  Backend backend() const;
  std::uint32_t poolSize() const;
  bool hasReplica() const;
  bool replicaUp() const;  // false while reads fall back to the primary
  // The URL(s) with passwords as *** (or the SQLite path), for logs and `warren status`.
  std::string describe() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Reads NNNN_name.sql files (sorted by version). Throws DbError (invalid) when the directory is
// missing, a .sql file does not follow the pattern, or two files share a version.
std::vector<Migration> loadMigrations(const std::filesystem::path& dir);

}  // namespace warren::db
