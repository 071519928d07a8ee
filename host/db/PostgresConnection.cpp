#include "db/Connections.h"
#include "log/Log.h"

#include <Poco/Data/PooledSessionImpl.h>
#include <Poco/Data/PostgreSQL/SessionImpl.h>
#include <libpq-fe.h>
#include <poll.h>

#include <cstring>
#include <memory>

namespace warren::db::detail {
namespace {

// PostgreSQL type OIDs (pg_type.dat) of the values that are not JSON strings.
constexpr Oid kBool = 16;
constexpr Oid kBytea = 17;
constexpr Oid kInt8 = 20;
constexpr Oid kInt2 = 21;
constexpr Oid kInt4 = 23;
constexpr Oid kOid = 26;
constexpr Oid kFloat4 = 700;
constexpr Oid kFloat8 = 701;
constexpr Oid kNumeric = 1700;

struct ResultDeleter {
  void operator()(PGresult* result) const { PQclear(result); }
};
using Result = std::unique_ptr<PGresult, ResultDeleter>;

void noticeToLog(void*, const char* message) {
  std::string text = message != nullptr ? message : "";
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  log::debug("database notice", {{"notice", text}});
}

// SQLSTATE classes a caller may retry: connection exceptions, serialization failures and
// deadlocks, insufficient resources, and shutdown/crash/cannot-connect-now.
bool transientState(const std::string& state) {
  return state.rfind("08", 0) == 0 || state.rfind("40", 0) == 0 || state.rfind("53", 0) == 0 ||
         state == "57P01" || state == "57P02" || state == "57P03";
}

void appendValue(std::string& out, const PGresult* result, int row, int column, Oid type) {
  if (PQgetisnull(result, row, column)) {
    out += "null";
    return;
  }
  const char* text = PQgetvalue(result, row, column);
  const auto length = static_cast<std::size_t>(PQgetlength(result, row, column));
  const std::string_view value(text, length);
  switch (type) {
    case kBool:
      out += value == "t" ? "true" : "false";
      return;
    case kInt2:
    case kInt4:
    case kInt8:
    case kOid:
    case kFloat4:
    case kFloat8:
    case kNumeric:
      // PostgreSQL's output is a JSON number except NaN and +-Infinity, kept as strings.
      if (isJsonNumber(value))
        out += value;
      else
        appendJsonString(out, value);
      return;
    case kBytea: {
      std::size_t size = 0;
      unsigned char* bytes = PQunescapeBytea(reinterpret_cast<const unsigned char*>(text), &size);
      if (bytes == nullptr) {
        appendJsonString(out, value);
        return;
      }
      out += '"';
      out += base64(std::string_view(reinterpret_cast<const char*>(bytes), size));
      out += '"';
      PQfreemem(bytes);
      return;
    }
    default:
      appendJsonString(out, value);  // text, json, timestamps, uuid, arrays... as PostgreSQL prints
  }
}

class PostgresConnection final : public Connection {
 public:
  PostgresConnection(Pool& pool, Poco::Data::Session session, PGconn* connection)
      : Connection(pool, std::move(session)), connection_(connection) {}

  ~PostgresConnection() override {
    if (lost_) {
      discard();
    } else if (inTransaction()) {
      log::warn("database session returned with an open transaction: rolled back",
                {{"pool", pool().settings().label}});
      executeScript("ROLLBACK");
      if (lost_ || inTransaction()) discard();
    }
  }

  DbResult execute(std::string_view sql, const std::vector<Param>& params) override {
    if (sql.find('\0') != std::string_view::npos)
      return DbResult::failure(ErrorKind::invalid, "the SQL contains a NUL byte");
    std::vector<std::string> texts(params.size());
    std::vector<const char*> values(params.size(), nullptr);
    for (std::size_t i = 0; i < params.size(); ++i) {
      const Param& param = params[i];
      switch (param.type) {
        case Param::Type::null:
          continue;
        case Param::Type::boolean:
          texts[i] = param.boolean ? "true" : "false";
          break;
        case Param::Type::integer:
          texts[i] = std::to_string(param.integer);
          break;
        case Param::Type::real: {
          std::string number;
          appendJsonDouble(number, param.real);
          if (!number.empty() && number.front() == '"')
            number = number.substr(1, number.size() - 2);
          texts[i] = number;
          break;
        }
        case Param::Type::text:
          if (param.text.find('\0') != std::string::npos)
            return DbResult::failure(ErrorKind::invalid, "parameter $" + std::to_string(i + 1) +
                                                             ": text contains a NUL byte");
          texts[i] = param.text;
          break;
      }
      values[i] = texts[i].c_str();
    }
    const std::string statement(sql);
    Result result(PQexecParams(connection_, statement.c_str(), static_cast<int>(params.size()),
                               nullptr, values.empty() ? nullptr : values.data(), nullptr, nullptr,
                               0));
    return collect(result.get(), true);
  }

  DbResult executeScript(std::string_view sql) override {
    if (sql.find('\0') != std::string_view::npos)
      return DbResult::failure(ErrorKind::invalid, "the SQL contains a NUL byte");
    const std::string statements(sql);
    Result result(PQexec(connection_, statements.c_str()));
    DbResult outcome = collect(result.get(), false);
    if (outcome.ok) outcome.rowsJson = "[]";
    // PQexec returns the last result only: drain any left (none in practice).
    while (Result more{PQgetResult(connection_)}) {
    }
    return outcome;
  }

  bool lost() const override { return lost_; }
  bool inTransaction() const override {
    const auto status = PQtransactionStatus(connection_);
    return status == PQTRANS_INTRANS || status == PQTRANS_INERROR || status == PQTRANS_ACTIVE;
  }
  Backend backend() const override { return Backend::postgresql; }

 private:
  DbResult collect(PGresult* result, bool rows) {
    if (PQstatus(connection_) != CONNECTION_OK) lost_ = true;
    const ExecStatusType status = result != nullptr ? PQresultStatus(result) : PGRES_FATAL_ERROR;
    switch (status) {
      case PGRES_TUPLES_OK:
      case PGRES_COMMAND_OK: {
        DbResult outcome;
        outcome.ok = true;
        const char* count = PQcmdTuples(result);
        outcome.affected = count != nullptr && *count != '\0' ? std::strtoll(count, nullptr, 10)
                                                              : PQntuples(result);
        if (rows && status == PGRES_TUPLES_OK) outcome.rowsJson = rowsJson(result);
        return outcome;
      }
      case PGRES_EMPTY_QUERY:
        return DbResult::failure(ErrorKind::invalid, "the SQL is empty");
      case PGRES_COPY_IN:
      case PGRES_COPY_OUT:
      case PGRES_COPY_BOTH:
        lost_ = true;  // the connection is in COPY mode: do not reuse it
        return DbResult::failure(ErrorKind::invalid, "COPY is not supported");
      default:
        break;
    }
    if (lost_) {
      std::string why = result != nullptr ? PQresultErrorMessage(result) : "";
      if (oneLine(why).empty()) why = PQerrorMessage(connection_);
      return DbResult::failure(ErrorKind::unavailable,
                               "connection to the database lost: " + oneLine(why));
    }
    const char* state = PQresultErrorField(result, PG_DIAG_SQLSTATE);
    const char* primary = PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY);
    const char* detail = PQresultErrorField(result, PG_DIAG_MESSAGE_DETAIL);
    std::string message = primary != nullptr ? primary : oneLine(PQresultErrorMessage(result));
    if (detail != nullptr) message += " (" + std::string(detail) + ")";
    const std::string code = state != nullptr ? state : "";
    if (!code.empty()) message += " [SQLSTATE " + code + "]";
    // 08P01: the bind message did not match the statement (parameter count): the caller's error.
    const ErrorKind kind = code == "08P01"        ? ErrorKind::invalid
                           : transientState(code) ? ErrorKind::unavailable
                                                  : ErrorKind::sql;
    return DbResult::failure(kind, message);
  }

  static std::string rowsJson(const PGresult* result) {
    const int rowCount = PQntuples(result);
    const int columnCount = PQnfields(result);
    std::vector<std::string> names(static_cast<std::size_t>(columnCount));
    std::vector<Oid> types(static_cast<std::size_t>(columnCount));
    for (int c = 0; c < columnCount; ++c) {
      appendJsonString(names[static_cast<std::size_t>(c)], PQfname(result, c));
      types[static_cast<std::size_t>(c)] = PQftype(result, c);
    }
    std::string out = "[";
    for (int r = 0; r < rowCount; ++r) {
      out += r ? ",{" : "{";
      for (int c = 0; c < columnCount; ++c) {
        if (c) out += ',';
        out += names[static_cast<std::size_t>(c)];
        out += ':';
        appendValue(out, result, r, c, types[static_cast<std::size_t>(c)]);
      }
      out += '}';
    }
    return out + "]";
  }

  PGconn* connection_;
  bool lost_ = false;
};

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

PGconn* postgresHandle(Poco::Data::Session& session) {
  auto* impl = dynamic_cast<Poco::Data::PostgreSQL::SessionImpl*>(nativeImpl(session));
  if (impl == nullptr) throw DbError(ErrorKind::internal, "not a PostgreSQL session");
  return impl->handle();
}

void setupPostgresSession(Poco::Data::Session& session) {
  PQsetNoticeProcessor(postgresHandle(session), noticeToLog, nullptr);
}

bool postgresAlive(PGconn* connection) {
  if (connection == nullptr || PQstatus(connection) != CONNECTION_OK) return false;
  if (PQtransactionStatus(connection) != PQTRANS_IDLE) return false;
  pollfd fd{PQsocket(connection), POLLIN, 0};
  if (fd.fd < 0) return false;
  // A pooled session runs no LISTEN, so nothing should arrive while it sits idle: data means the
  // server is going away (a termination notice, then EOF, perhaps not both here yet).
  return ::poll(&fd, 1, 0) == 0;
}

std::string postgresUnreachable(const std::string& connectionString) {
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

std::unique_ptr<Connection> makePostgresConnection(Pool& pool, Poco::Data::Session session) {
  PGconn* connection = postgresHandle(session);
  if (!postgresAlive(connection)) {
    // The server closed it while it sat in the pool (restart, failover): reconnect in place,
    // which also spares the leak of Poco dropping a dead libpq connection.
    PQreset(connection);
    if (PQstatus(connection) != CONNECTION_OK) {
      const std::string why = oneLine(PQerrorMessage(connection));
      try {
        if (auto* impl = nativeImpl(session)) impl->close();
      } catch (...) {
      }
      throw DbError(
          ErrorKind::unavailable,
          pool.scrub("cannot connect to the database (" + pool.settings().label + "): " + why),
          true);
    }
    PQsetNoticeProcessor(connection, noticeToLog, nullptr);
  }
  return std::make_unique<PostgresConnection>(pool, std::move(session), connection);
}

}  // namespace warren::db::detail
