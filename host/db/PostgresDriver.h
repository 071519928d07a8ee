// Internal: the interface of the PostgreSQL module (warren_postgres.so, sources in postgres/).
//
// libpq and Poco's PostgreSQL connector pull in Kerberos, LDAP, GnuTLS and more, whose
// constructors and relocations cost every node about 3.7 MB of RSS at start-up (an idle
// `warren run` on SQLite: 21 MB with them, 17 MB without). A node without a PostgreSQL URL never
// needs them, so they live in a module that PostgresModule.cpp loads the first time a
// postgres:// URL is used. The module links none of the host's static libraries
// (their state, the logger above all, must stay one): it gets what it needs in PostgresHost.
#pragma once

#include "db/Database.h"
#include "db/Sql.h"

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace Poco::Data {
class SessionImpl;
}

namespace warren::db::detail {

// Bump whenever anything in this header changes: a module built against another version is
// refused at load time instead of crashing.
inline constexpr int kPostgresDriverVersion = 1;
inline constexpr const char* kPostgresModuleFile = "warren_postgres.so";
inline constexpr const char* kPostgresEntrySymbol = "warren_postgres_driver";

// Host functions the module calls back.
struct PostgresHost {
  void (*notice)(std::string_view text);  // a libpq notice, for the debug log
  void (*appendJsonString)(std::string& out, std::string_view text);  // log::appendJsonString
};

// Statements on one libpq connection, owned by a pooled Poco session that outlives the link.
class PostgresLink {
 public:
  virtual ~PostgresLink() = default;
  virtual DbResult execute(std::string_view sql, const std::vector<Param>& params) = 0;
  virtual DbResult executeScript(std::string_view sql) = 0;
  virtual bool lost() const = 0;
  virtual bool inTransaction() const = 0;
};

// `session` is the backend SessionImpl under a pooled session (nativeImpl()).
class PostgresDriver {
 public:
  virtual ~PostgresDriver() = default;
  // On a new session: route libpq notices to PostgresHost::notice.
  virtual void setupSession(Poco::Data::SessionImpl& session) const = 0;
  // PQping on the connection string; "" when the server accepts connections, else why not.
  virtual std::string unreachable(const std::string& connectionString) const = 0;
  // The link to the session's connection, reconnected in place when the server closed it while
  // it sat in the pool; null, with `why` set, when that fails.
  virtual std::unique_ptr<PostgresLink> link(Poco::Data::SessionImpl& session,
                                             std::string& why) const = 0;
};

// The module's entry point: registers Poco's PostgreSQL connector and returns the driver (which
// lives as long as the process), or null when `version` is not kPostgresDriverVersion.
using PostgresEntry = const PostgresDriver* (*)(int version, const PostgresHost& host);

}  // namespace warren::db::detail
