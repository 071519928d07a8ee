// The migrations runner: NNNN_name.sql files applied once each, in version order, each in its
// own transaction, recorded in warren_migrations(scope, version, name, applied_at).
#include "db/Database.h"
#include "db/DatabaseImpl.h"
#include "db/HostMigrations.h"
#include "log/Log.h"

#include <algorithm>
#include <fstream>
#include <sstream>

namespace warren::db {
namespace {

// "warrenmg": the advisory lock every node takes while it migrates (one PostgreSQL database).
constexpr std::int64_t kMigrationLock = 0x77617272656e6d67;

const char* const kCreatePostgres =
    "CREATE TABLE IF NOT EXISTS warren_migrations ("
    "scope TEXT NOT NULL, version BIGINT NOT NULL, name TEXT NOT NULL, "
    "applied_at TIMESTAMPTZ NOT NULL DEFAULT now(), PRIMARY KEY (scope, version))";
const char* const kCreateSqlite =
    "CREATE TABLE IF NOT EXISTS warren_migrations ("
    "scope TEXT NOT NULL, version INTEGER NOT NULL, name TEXT NOT NULL, "
    "applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')), "
    "PRIMARY KEY (scope, version))";

bool isDigit(char c) {
  return c >= '0' && c <= '9';
}

// NNNN_name.sql -> version and name; false when the file name does not follow the pattern.
bool parseFileName(const std::string& file, std::int64_t& version, std::string& name) {
  const std::string suffix = ".sql";
  if (file.size() <= suffix.size() || file.compare(file.size() - 4, 4, suffix) != 0) return false;
  const auto underscore = file.find('_');
  if (underscore == 0 || underscore == std::string::npos || underscore > 18) return false;
  if (!std::all_of(file.begin(), file.begin() + static_cast<std::ptrdiff_t>(underscore), isDigit))
    return false;
  name = file.substr(underscore + 1, file.size() - suffix.size() - underscore - 1);
  if (name.empty() || !std::all_of(name.begin(), name.end(), [](char c) {
        return isDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
               c == '-' || c == '.';
      }))
    return false;
  version = std::stoll(file.substr(0, underscore));
  return true;
}

void sortAndCheck(std::vector<Migration>& migrations) {
  std::sort(migrations.begin(), migrations.end(),
            [](const Migration& a, const Migration& b) { return a.version < b.version; });
  for (std::size_t i = 1; i < migrations.size(); ++i) {
    if (migrations[i].version == migrations[i - 1].version)
      throw DbError(ErrorKind::invalid, "two migrations have version " +
                                            std::to_string(migrations[i].version) + ": " +
                                            migrations[i - 1].file + " and " + migrations[i].file);
  }
}

std::string paramsJson(const std::string& scope, std::int64_t version, const std::string* name) {
  std::string json = "[";
  appendJsonString(json, scope);
  json += "," + std::to_string(version);
  if (name != nullptr) {
    json += ",";
    appendJsonString(json, *name);
  }
  return json + "]";
}

}  // namespace

std::vector<Migration> loadMigrations(const std::filesystem::path& dir) {
  std::error_code error;
  if (!std::filesystem::is_directory(dir, error))
    throw DbError(ErrorKind::invalid, "migrations directory " + dir.string() + " does not exist");
  std::vector<Migration> migrations;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    const std::string file = entry.path().filename().string();
    if (!entry.is_regular_file() || entry.path().extension() != ".sql") continue;
    Migration migration;
    if (!parseFileName(file, migration.version, migration.name))
      throw DbError(ErrorKind::invalid,
                    "migration file " + (dir / file).string() + " is not named NNNN_name.sql");
    migration.file = file;
    std::ifstream in(entry.path(), std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    if (!in) throw DbError(ErrorKind::invalid, "cannot read " + entry.path().string());
    migration.sql = text.str();
    migrations.push_back(std::move(migration));
  }
  sortAndCheck(migrations);
  return migrations;
}

MigrationReport Database::runMigrations(const std::string& scope,
                                        const std::filesystem::path& dir) noexcept {
  try {
    return applyMigrations(scope, loadMigrations(dir));
  } catch (const std::exception& e) {
    MigrationReport report;
    report.error = e.what();
    log::error("database migrations refused", {{"scope", scope}, {"error", report.error}});
    return report;
  }
}

MigrationReport Database::runHostMigrations() noexcept {
  try {
    std::vector<Migration> migrations;
    for (const auto& [file, sql] : detail::hostMigrations()) {
      Migration migration;
      if (!parseFileName(file, migration.version, migration.name))
        throw DbError(ErrorKind::internal, "built-in migration " + file + " is misnamed");
      migration.file = file;
      migration.sql = sql;
      migrations.push_back(std::move(migration));
    }
    return applyMigrations("host", std::move(migrations));
  } catch (const std::exception& e) {
    MigrationReport report;
    report.error = e.what();
    return report;
  }
}

MigrationReport Database::applyMigrations(const std::string& scope,
                                          std::vector<Migration> migrations) noexcept {
  MigrationReport report;
  try {
    if (scope.empty()) throw DbError(ErrorKind::invalid, "the migration scope is empty");
    sortAndCheck(migrations);
    Lease lease = this->lease(Intent::write);
    detail::Connection& connection = *lease.connection_;
    const bool postgres = connection.backend() == Backend::postgresql;
    const auto fail = [&](const std::string& what) {
      report.error = impl_->scrub(what);
      log::error("database migration failed", {{"scope", scope}, {"error", report.error}});
      return report;
    };
    const auto must = [&](const DbResult& result, const std::string& what) {
      if (!result.ok) throw DbError(result.kind, what + ": " + result.error);
    };

    // Nodes starting together: PostgreSQL serialises them on an advisory lock held by this
    // session (released by the unlock below, or by the server if the session dies); SQLite
    // takes the write lock per migration (BEGIN IMMEDIATE) and checks again inside it.
    if (postgres)
      must(connection.executeScript("SELECT pg_advisory_lock(" + std::to_string(kMigrationLock) +
                                    ")"),
           "cannot take the migrations lock");
    struct Unlock {
      detail::Connection& connection;
      bool postgres;
      ~Unlock() {
        if (postgres && !connection.lost())
          connection.executeScript("SELECT pg_advisory_unlock(" + std::to_string(kMigrationLock) +
                                   ")");
      }
    } unlock{connection, postgres};

    must(connection.executeScript(postgres ? kCreatePostgres : kCreateSqlite),
         "cannot create warren_migrations");
    for (const Migration& migration : migrations) {
      const std::string label = "migration " + migration.file + " (scope " + scope + ")";
      const DbResult begin = connection.executeScript(postgres ? "BEGIN" : "BEGIN IMMEDIATE");
      if (!begin.ok) return fail(label + " could not start a transaction: " + begin.error);
      const DbResult seen =
          connection.execute("SELECT name FROM warren_migrations WHERE scope = $1 AND version = $2",
                             parseParams(paramsJson(scope, migration.version, nullptr)));
      if (!seen.ok || seen.affected > 0) {
        connection.executeScript("ROLLBACK");
        if (!seen.ok) return fail(label + ": cannot read warren_migrations: " + seen.error);
        // Applied before (by this node or another). Under another name, the version belongs to
        // another set of steps sharing the scope (a plugin's descriptor and a directory).
        std::string expected = "[{\"name\":";
        appendJsonString(expected, migration.name);
        expected += "}]";
        if (seen.rowsJson != expected) {
          const std::string& rows = seen.rowsJson;  // [{"name":"..."}]
          const std::string other = rows.size() > 13 ? rows.substr(10, rows.size() - 13) : rows;
          return fail(label + ": version " + std::to_string(migration.version) +
                      " of this scope was applied as '" + other +
                      "': give the steps distinct versions");
        }
        continue;
      }
      const DbResult applied = connection.executeScript(migration.sql);
      if (!applied.ok) {
        if (connection.inTransaction()) connection.executeScript("ROLLBACK");
        return fail(label + " failed: " + applied.error);
      }
      if (!connection.inTransaction())
        return fail(label + " ended the transaction itself: remove BEGIN/COMMIT from the file");
      const DbResult recorded = connection.execute(
          "INSERT INTO warren_migrations (scope, version, name) VALUES ($1, $2, $3)",
          parseParams(paramsJson(scope, migration.version, &migration.name)));
      if (!recorded.ok) {
        connection.executeScript("ROLLBACK");
        return fail(label + ": cannot record it: " + recorded.error);
      }
      const DbResult commit = connection.executeScript("COMMIT");
      if (!commit.ok) return fail(label + ": commit failed: " + commit.error);
      report.applied.push_back(migration.file);
      log::info("database migration applied", {{"scope", scope}, {"file", migration.file}});
    }
    report.ok = true;
    return report;
  } catch (const std::exception& e) {
    report.ok = false;
    report.error = impl_->scrub(e.what());
    log::error("database migration failed", {{"scope", scope}, {"error", report.error}});
    return report;
  }
}

}  // namespace warren::db
