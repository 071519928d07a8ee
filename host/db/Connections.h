// Internal: the PostgreSQL (libpq, in a module: PostgresDriver.h) and SQLite (sqlite3) sides of
// a pooled session.
//
// Poco Data pools and opens the sessions; statements run on the native handle of the checked-out
// session. Poco 1.11's PostgreSQL statements prepare, describe, execute and deallocate a named
// statement per call (four round trips), count "$1" inside string literals as placeholders, and
// cannot run a multi-statement migration; its SQLite statements type values by the declared
// column type, so `count(*)` comes back as text. PQexecParams (one round trip, typed by OID) and
// sqlite3_column_type avoid all of that.
#pragma once

#include "db/Pool.h"

#include <chrono>
#include <memory>
#include <string>

struct sqlite3;

namespace warren::db::detail {

// The backend's SessionImpl under a (possibly pooled) Poco session.
Poco::Data::SessionImpl* nativeImpl(Poco::Data::Session& session);

// ---- PostgreSQL (PostgresConnection.cpp, over the module loaded by PostgresModule.cpp) ----
// On a new session: route libpq notices to the debug log.
void setupPostgresSession(Poco::Data::Session& session);
// PQping on the connection string; "" when the server accepts connections, else why not (the
// message of a real connection attempt, which is closed again).
std::string postgresUnreachable(const std::string& connectionString);
// A pooled connection the server closed meanwhile is reconnected in place (DbError unavailable
// when that fails).
std::unique_ptr<Connection> makePostgresConnection(Pool& pool, Poco::Data::Session session);

// ---- SQLite ----
// On a new session: busy timeout, foreign keys on, synchronous=NORMAL (safe with WAL).
void setupSqliteSession(Poco::Data::Session& session, std::chrono::milliseconds busyTimeout);
std::unique_ptr<Connection> makeSqliteConnection(Pool& pool, Poco::Data::Session session);

}  // namespace warren::db::detail
