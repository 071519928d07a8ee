// The host's database service for the content plugins: statements with $1..$n parameters from a
// JSON array, rows back as JSON objects, failures as job exceptions (job/Failure.h).
#pragma once

#include "json/Json.h"

#include <warren/plugin.hpp>

#include <cstdint>
#include <mutex>
#include <optional>
#include <string_view>

namespace common::db {

enum class Backend { postgresql, sqlite };

struct QueryResult {
  Json rows = Json::array();  // one object per row: column name -> value
  std::int64_t affected = 0;
};

class Db {
 public:
  // Throws warren::ServiceUnavailable when the host has no database service.
  explicit Db(const warren::Host& host);

  // Runs one statement. A database that could not be reached (or timed out) throws
  // job::Retryable; a statement the database refused throws job::Unrecoverable with its message.
  // `job` may be null (calls outside a job).
  QueryResult query(const warren::Job* job, warren_db_intent intent, std::string_view sql,
                    const Json& params = Json::array()) const;
  Json rows(const warren::Job* job, std::string_view sql,
            const Json& params = Json::array()) const {
    return query(job, WARREN_DB_READ, sql, params).rows;
  }
  std::int64_t execute(const warren::Job* job, std::string_view sql,
                       const Json& params = Json::array()) const {
    return query(job, WARREN_DB_WRITE, sql, params).affected;
  }

  // Which database the host gave us (asked once; SQLite answers sqlite_version()).
  Backend backend() const;

 private:
  warren::Host host_;
  const warren_db_api* api_;
  mutable std::once_flag backendOnce_;
  mutable Backend backend_ = Backend::sqlite;
};

}  // namespace common::db
