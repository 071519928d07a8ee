// The PostgreSQL side of a pooled session. Statements run in the PostgreSQL module (a
// PostgresLink); returning the session to the pool (rolling back a forgotten transaction,
// dropping a broken connection) stays here, with the pool.
#include "db/Connections.h"
#include "db/PostgresModule.h"
#include "log/Log.h"

#include <Poco/Data/SessionImpl.h>

namespace warren::db::detail {
namespace {

class PostgresConnection final : public Connection {
 public:
  PostgresConnection(Pool& pool, Poco::Data::Session session, std::unique_ptr<PostgresLink> link)
      : Connection(pool, std::move(session)), link_(std::move(link)) {}

  ~PostgresConnection() override {
    if (lost()) {
      discard();
    } else if (inTransaction()) {
      log::warn("database session returned with an open transaction: rolled back",
                {{"pool", pool().settings().label}});
      executeScript("ROLLBACK");
      if (lost() || inTransaction()) discard();
    }
  }

  DbResult execute(std::string_view sql, const std::vector<Param>& params) override {
    return link_->execute(sql, params);
  }
  DbResult executeScript(std::string_view sql) override { return link_->executeScript(sql); }
  bool lost() const override { return link_->lost(); }
  bool inTransaction() const override { return link_->inTransaction(); }
  Backend backend() const override { return Backend::postgresql; }

 private:
  std::unique_ptr<PostgresLink> link_;  // goes before the session it works on
};

Poco::Data::SessionImpl& native(Poco::Data::Session& session) {
  Poco::Data::SessionImpl* impl = nativeImpl(session);
  if (impl == nullptr) throw DbError(ErrorKind::internal, "no PostgreSQL session");
  return *impl;
}

}  // namespace

void setupPostgresSession(Poco::Data::Session& session) {
  postgresDriver().setupSession(native(session));
}

std::string postgresUnreachable(const std::string& connectionString) {
  return postgresDriver().unreachable(connectionString);
}

std::unique_ptr<Connection> makePostgresConnection(Pool& pool, Poco::Data::Session session) {
  std::string why;
  std::unique_ptr<PostgresLink> link = postgresDriver().link(native(session), why);
  if (!link) {
    try {
      native(session).close();  // dead: Poco's pool drops it
    } catch (...) {
    }
    throw DbError(
        ErrorKind::unavailable,
        pool.scrub("cannot connect to the database (" + pool.settings().label + "): " + why), true);
  }
  return std::make_unique<PostgresConnection>(pool, std::move(session), std::move(link));
}

}  // namespace warren::db::detail
