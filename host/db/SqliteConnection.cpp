#include "db/Connections.h"
#include "log/Log.h"

#include <Poco/Data/SQLite/Utility.h>
#include <sqlite3.h>

#include <cctype>
#include <memory>

namespace warren::db::detail {
namespace {

struct StatementDeleter {
  void operator()(sqlite3_stmt* statement) const { sqlite3_finalize(statement); }
};
using Statement = std::unique_ptr<sqlite3_stmt, StatementDeleter>;

sqlite3* sqliteHandle(Poco::Data::Session& session) {
  sqlite3* db = Poco::Data::SQLite::Utility::dbHandle(session);
  if (db == nullptr) throw DbError(ErrorKind::internal, "not an open SQLite session");
  return db;
}

ErrorKind kindOf(int code) {
  switch (code & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return ErrorKind::unavailable;
    case SQLITE_NOMEM:
    case SQLITE_IOERR:
    case SQLITE_CORRUPT:
    case SQLITE_FULL:
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
    case SQLITE_NOTADB:
      return ErrorKind::internal;
    case SQLITE_RANGE:
    case SQLITE_MISMATCH:
      return ErrorKind::invalid;
    default:
      return ErrorKind::sql;
  }
}

// BOOLEAN columns hold 0/1 in SQLite; give them back as JSON booleans like PostgreSQL does.
bool booleanColumn(sqlite3_stmt* statement, int column) {
  const char* declared = sqlite3_column_decltype(statement, column);
  if (declared == nullptr) return false;
  std::string upper;
  for (const char* c = declared; *c != '\0'; ++c)
    upper += static_cast<char>(std::toupper(static_cast<unsigned char>(*c)));
  return upper.find("BOOL") != std::string::npos;
}

class SqliteConnection final : public Connection {
 public:
  SqliteConnection(Pool& pool, Poco::Data::Session session, sqlite3* db)
      : Connection(pool, std::move(session)), db_(db) {}

  ~SqliteConnection() override {
    if (inTransaction()) {
      log::warn("database session returned with an open transaction: rolled back",
                {{"pool", pool().settings().label}});
      executeScript("ROLLBACK");
      if (inTransaction()) discard();
    }
  }

  DbResult execute(std::string_view sql, const std::vector<Param>& params) override {
    const std::string translated = toSqlitePlaceholders(sql);
    sqlite3_stmt* raw = nullptr;
    const char* tail = nullptr;
    int rc = sqlite3_prepare_v2(db_, translated.c_str(), static_cast<int>(translated.size()), &raw,
                                &tail);
    Statement statement(raw);
    if (rc != SQLITE_OK) return failure(rc);
    if (!statement) return DbResult::failure(ErrorKind::invalid, "the SQL is empty");
    if (tail != nullptr && *tail != '\0') {
      // Only whitespace and comments may follow: PostgreSQL takes one statement per call too.
      sqlite3_stmt* extra = nullptr;
      rc = sqlite3_prepare_v2(db_, tail, -1, &extra, nullptr);
      Statement second(extra);
      if (rc != SQLITE_OK || second)
        return DbResult::failure(ErrorKind::invalid,
                                 "one statement per query (the SQL holds more than one)");
    }
    const int expected = sqlite3_bind_parameter_count(statement.get());
    if (static_cast<std::size_t>(expected) != params.size())
      return DbResult::failure(ErrorKind::invalid,
                               "the statement takes " + std::to_string(expected) +
                                   " parameters but " + std::to_string(params.size()) +
                                   " were given");
    for (std::size_t i = 0; i < params.size(); ++i) {
      const int index = static_cast<int>(i) + 1;
      const Param& param = params[i];
      switch (param.type) {
        case Param::Type::null:
          rc = sqlite3_bind_null(statement.get(), index);
          break;
        case Param::Type::boolean:
          rc = sqlite3_bind_int(statement.get(), index, param.boolean ? 1 : 0);
          break;
        case Param::Type::integer:
          rc = sqlite3_bind_int64(statement.get(), index, param.integer);
          break;
        case Param::Type::real:
          rc = sqlite3_bind_double(statement.get(), index, param.real);
          break;
        case Param::Type::text:
          rc = sqlite3_bind_text64(statement.get(), index, param.text.data(), param.text.size(),
                                   SQLITE_TRANSIENT, SQLITE_UTF8);
          break;
      }
      if (rc != SQLITE_OK) return failure(rc);
    }

    const sqlite3_int64 changesBefore = sqlite3_total_changes64(db_);
    const int columns = sqlite3_column_count(statement.get());
    std::vector<std::string> names(static_cast<std::size_t>(columns));
    std::vector<bool> booleans(static_cast<std::size_t>(columns));
    for (int c = 0; c < columns; ++c) {
      appendJsonString(names[static_cast<std::size_t>(c)], sqlite3_column_name(statement.get(), c));
      booleans[static_cast<std::size_t>(c)] = booleanColumn(statement.get(), c);
    }
    std::string rows = "[";
    std::int64_t rowCount = 0;
    while ((rc = sqlite3_step(statement.get())) == SQLITE_ROW) {
      rows += rowCount++ ? ",{" : "{";
      for (int c = 0; c < columns; ++c) {
        if (c) rows += ',';
        rows += names[static_cast<std::size_t>(c)];
        rows += ':';
        appendValue(rows, statement.get(), c, booleans[static_cast<std::size_t>(c)]);
      }
      rows += '}';
    }
    if (rc != SQLITE_DONE) return failure(rc);
    rows += ']';

    DbResult result;
    result.ok = true;
    result.rowsJson = std::move(rows);
    if (sqlite3_stmt_readonly(statement.get()))
      result.affected = rowCount;
    else
      result.affected = sqlite3_total_changes64(db_) != changesBefore ? sqlite3_changes64(db_) : 0;
    return result;
  }

  DbResult executeScript(std::string_view sql) override {
    const std::string statements(sql);
    char* message = nullptr;
    const sqlite3_int64 changesBefore = sqlite3_total_changes64(db_);
    const int rc = sqlite3_exec(db_, statements.c_str(), nullptr, nullptr, &message);
    if (rc != SQLITE_OK) {
      std::string text = message != nullptr ? message : sqlite3_errstr(rc);
      sqlite3_free(message);
      return DbResult::failure(kindOf(sqlite3_extended_errcode(db_)),
                               text + " [" + sqlite3_errstr(rc) + "]");
    }
    DbResult result;
    result.ok = true;
    result.affected = sqlite3_total_changes64(db_) - changesBefore;
    return result;
  }

  bool lost() const override { return false; }
  bool inTransaction() const override { return sqlite3_get_autocommit(db_) == 0; }
  Backend backend() const override { return Backend::sqlite; }

 private:
  DbResult failure(int rc) const {
    const int extended = sqlite3_extended_errcode(db_);
    return DbResult::failure(kindOf(extended != 0 ? extended : rc),
                             std::string(sqlite3_errmsg(db_)) + " [" + sqlite3_errstr(rc) + "]");
  }

  static void appendValue(std::string& out, sqlite3_stmt* statement, int column, bool boolean) {
    switch (sqlite3_column_type(statement, column)) {
      case SQLITE_INTEGER: {
        const sqlite3_int64 value = sqlite3_column_int64(statement, column);
        if (boolean && (value == 0 || value == 1))
          out += value ? "true" : "false";
        else
          out += std::to_string(value);
        return;
      }
      case SQLITE_FLOAT:
        appendJsonDouble(out, sqlite3_column_double(statement, column));
        return;
      case SQLITE_TEXT: {
        const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(statement, column));
        const auto size = static_cast<std::size_t>(sqlite3_column_bytes(statement, column));
        appendJsonString(out, std::string_view(text, size));
        return;
      }
      case SQLITE_BLOB: {
        const auto* bytes = static_cast<const char*>(sqlite3_column_blob(statement, column));
        const auto size = static_cast<std::size_t>(sqlite3_column_bytes(statement, column));
        out += '"';
        out += base64(std::string_view(bytes, bytes != nullptr ? size : 0));
        out += '"';
        return;
      }
      default:
        out += "null";
    }
  }

  sqlite3* db_;
};

}  // namespace

void setupSqliteSession(Poco::Data::Session& session, std::chrono::milliseconds busyTimeout) {
  sqlite3* db = sqliteHandle(session);
  sqlite3_busy_timeout(db, static_cast<int>(busyTimeout.count()));
  char* message = nullptr;
  if (sqlite3_exec(db, "PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;", nullptr, nullptr,
                   &message) != SQLITE_OK) {
    const std::string text = message != nullptr ? message : "unknown error";
    sqlite3_free(message);
    throw DbError(ErrorKind::internal, "cannot set up the SQLite session: " + text);
  }
}

std::unique_ptr<Connection> makeSqliteConnection(Pool& pool, Poco::Data::Session session) {
  sqlite3* db = sqliteHandle(session);
  return std::make_unique<SqliteConnection>(pool, std::move(session), db);
}

}  // namespace warren::db::detail
