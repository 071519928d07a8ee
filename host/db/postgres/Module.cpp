// warren_postgres.so: Poco's PostgreSQL connector and libpq behind PostgresDriver.
#include "db/postgres/Link.h"

#include <Poco/Data/PostgreSQL/Connector.h>
#include <Poco/Data/PostgreSQL/SessionImpl.h>
#include <poll.h>

namespace warren::db::detail {
namespace {

PGconn* handleOf(Poco::Data::SessionImpl& session) {
  auto* impl = dynamic_cast<Poco::Data::PostgreSQL::SessionImpl*>(&session);
  if (impl == nullptr) return nullptr;
  return impl->handle();
}

void noticeToHost(void* host, const char* message) {
  std::string_view text = message != nullptr ? message : "";
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.remove_suffix(1);
  static_cast<const PostgresHost*>(host)->notice(text);
}

// Is the pooled connection still usable? Reads what the server sent while it sat idle (without
// blocking): a server that shut down or restarted meanwhile has closed it.
bool alive(PGconn* connection) {
  if (connection == nullptr || PQstatus(connection) != CONNECTION_OK) return false;
  if (PQtransactionStatus(connection) != PQTRANS_IDLE) return false;
  pollfd fd{PQsocket(connection), POLLIN, 0};
  if (fd.fd < 0) return false;
  // A pooled session runs no LISTEN, so nothing should arrive while it sits idle: data means the
  // server is going away (a termination notice, then EOF, perhaps not both here yet).
  return ::poll(&fd, 1, 0) == 0;
}

class Driver final : public PostgresDriver {
 public:
  explicit Driver(const PostgresHost& host) : host_(host) {
    Poco::Data::PostgreSQL::Connector::registerConnector();
  }

  void setupSession(Poco::Data::SessionImpl& session) const override {
    if (PGconn* connection = handleOf(session))
      PQsetNoticeProcessor(connection, noticeToHost, const_cast<PostgresHost*>(&host_));
  }

  std::string unreachable(const std::string& connectionString) const override {
    switch (PQping(connectionString.c_str())) {
      case PQPING_OK:
        return {};
      case PQPING_REJECT:
        return "the server is not accepting connections (starting up or shutting down)";
      default:
        break;
    }
    // Why not: a real attempt gives libpq's message; this connection is freed either way.
    PGconn* attempt = PQconnectdb(connectionString.c_str());
    std::string why = oneLine(attempt != nullptr ? PQerrorMessage(attempt) : "out of memory");
    const bool ok = attempt != nullptr && PQstatus(attempt) == CONNECTION_OK;
    PQfinish(attempt);
    return ok ? std::string() : why.empty() ? "the server does not answer" : why;
  }

  std::unique_ptr<PostgresLink> link(Poco::Data::SessionImpl& session,
                                     std::string& why) const override {
    PGconn* connection = handleOf(session);
    if (connection == nullptr) {
      why = "not a PostgreSQL session";
      return nullptr;
    }
    if (!alive(connection)) {
      // The server closed it while it sat in the pool (restart, failover): reconnect in place,
      // which also spares the leak of Poco dropping a dead libpq connection.
      PQreset(connection);
      if (PQstatus(connection) != CONNECTION_OK) {
        why = oneLine(PQerrorMessage(connection));
        return nullptr;
      }
      setupSession(session);
    }
    return makeLink(connection, host_);
  }

 private:
  const PostgresHost host_;
};

}  // namespace
}  // namespace warren::db::detail

extern "C" __attribute__((visibility("default"))) const warren::db::detail::PostgresDriver*
warren_postgres_driver(int version, const warren::db::detail::PostgresHost& host) {
  using warren::db::detail::Driver;
  if (version != warren::db::detail::kPostgresDriverVersion) return nullptr;
  static const Driver driver(host);  // registers the connector, once
  return &driver;
}
