#include "db/postgres/Link.h"

#include <cstdlib>
#include <string>

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

// SQLSTATE classes a caller may retry: connection exceptions, serialization failures and
// deadlocks, insufficient resources, and shutdown/crash/cannot-connect-now.
bool transientState(const std::string& state) {
  return state.rfind("08", 0) == 0 || state.rfind("40", 0) == 0 || state.rfind("53", 0) == 0 ||
         state == "57P01" || state == "57P02" || state == "57P03";
}

// A non-null parameter in libpq's text format.
std::string paramText(const Param& param) {
  switch (param.type) {
    case Param::Type::boolean:
      return param.boolean ? "true" : "false";
    case Param::Type::integer:
      return std::to_string(param.integer);
    case Param::Type::real: {
      std::string number;
      appendJsonDouble(number, param.real);  // NaN and +-Infinity come quoted: unquote them
      if (!number.empty() && number.front() == '"') number = number.substr(1, number.size() - 2);
      return number;
    }
    default:
      return param.text;
  }
}

class Link final : public PostgresLink {
 public:
  Link(PGconn* connection, const PostgresHost& host) : connection_(connection), host_(host) {}

  DbResult execute(std::string_view sql, const std::vector<Param>& params) override {
    if (sql.find('\0') != std::string_view::npos)
      return DbResult::failure(ErrorKind::invalid, "the SQL contains a NUL byte");
    std::vector<std::string> texts(params.size());
    std::vector<const char*> values(params.size(), nullptr);
    for (std::size_t i = 0; i < params.size(); ++i) {
      const Param& param = params[i];
      if (param.type == Param::Type::null) continue;
      if (param.type == Param::Type::text && param.text.find('\0') != std::string::npos)
        return DbResult::failure(ErrorKind::invalid, "parameter $" + std::to_string(i + 1) +
                                                         ": text contains a NUL byte");
      texts[i] = paramText(param);
      values[i] = texts[i].c_str();
    }
    const std::string statement(sql);
    Result result(PQexecParams(connection_, statement.c_str(), static_cast<int>(values.size()),
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

 private:
  DbResult collect(PGresult* result, bool rows) {
    if (PQstatus(connection_) != CONNECTION_OK) lost_ = true;
    const ExecStatusType status = result != nullptr ? PQresultStatus(result) : PGRES_FATAL_ERROR;
    switch (status) {
      case PGRES_TUPLES_OK:
      case PGRES_COMMAND_OK:
        return success(result, rows && status == PGRES_TUPLES_OK);
      case PGRES_EMPTY_QUERY:
        return DbResult::failure(ErrorKind::invalid, "the SQL is empty");
      case PGRES_COPY_IN:
      case PGRES_COPY_OUT:
      case PGRES_COPY_BOTH:
        lost_ = true;  // the connection is in COPY mode: do not reuse it
        return DbResult::failure(ErrorKind::invalid, "COPY is not supported");
      default:
        return lost_ ? connectionLost(result) : serverError(result);
    }
  }

  DbResult success(PGresult* result, bool rows) const {
    DbResult outcome;
    outcome.ok = true;
    const char* count = PQcmdTuples(result);
    outcome.affected =
        count != nullptr && *count != '\0' ? std::strtoll(count, nullptr, 10) : PQntuples(result);
    if (rows) outcome.rowsJson = rowsJson(result);
    return outcome;
  }

  DbResult connectionLost(const PGresult* result) const {
    std::string why = result != nullptr ? PQresultErrorMessage(result) : "";
    if (oneLine(why).empty()) why = PQerrorMessage(connection_);
    return DbResult::failure(ErrorKind::unavailable,
                             "connection to the database lost: " + oneLine(why));
  }

  static DbResult serverError(const PGresult* result) {
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

  std::string rowsJson(const PGresult* result) const {
    const int columnCount = PQnfields(result);
    std::vector<std::string> names(static_cast<std::size_t>(columnCount));
    for (int c = 0; c < columnCount; ++c)
      host_.appendJsonString(names[static_cast<std::size_t>(c)], PQfname(result, c));
    std::string out = "[";
    for (int r = 0; r < PQntuples(result); ++r) {
      out += r ? ",{" : "{";
      for (int c = 0; c < columnCount; ++c) {
        if (c) out += ',';
        out += names[static_cast<std::size_t>(c)];
        out += ':';
        appendValue(out, result, r, c);
      }
      out += '}';
    }
    return out + "]";
  }

  void appendValue(std::string& out, const PGresult* result, int row, int column) const {
    if (PQgetisnull(result, row, column)) {
      out += "null";
      return;
    }
    const char* text = PQgetvalue(result, row, column);
    const std::string_view value(text, static_cast<std::size_t>(PQgetlength(result, row, column)));
    switch (PQftype(result, column)) {
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
          host_.appendJsonString(out, value);
        return;
      case kBytea:
        appendBytea(out, value);
        return;
      default:
        // text, json, timestamps, uuid, arrays... as PostgreSQL prints them
        host_.appendJsonString(out, value);
    }
  }

  // bytea arrives in PostgreSQL's hex escape format; JSON gets it as base64.
  void appendBytea(std::string& out, std::string_view value) const {
    std::size_t size = 0;
    unsigned char* bytes =
        PQunescapeBytea(reinterpret_cast<const unsigned char*>(value.data()), &size);
    if (bytes == nullptr) {
      host_.appendJsonString(out, value);
      return;
    }
    out += '"';
    out += base64(std::string_view(reinterpret_cast<const char*>(bytes), size));
    out += '"';
    PQfreemem(bytes);
  }

  PGconn* connection_;
  const PostgresHost& host_;
  bool lost_ = false;
};

}  // namespace

std::unique_ptr<PostgresLink> makeLink(PGconn* connection, const PostgresHost& host) {
  return std::make_unique<Link>(connection, host);
}

}  // namespace warren::db::detail
