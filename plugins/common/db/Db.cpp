#include "db/Db.h"

#include "job/Failure.h"

#include <string>

namespace common::db {

Db::Db(const warren::Host& host) : host_(host), api_(&host.db()) {}

QueryResult Db::query(const warren::Job* job, warren_db_intent intent, std::string_view sql,
                      const Json& params) const {
  const std::string text(sql);
  const std::string paramsText = params.is_null() ? std::string() : dumpJson(params);
  warren_buffer rows{};
  warren_buffer error{};
  std::int64_t affected = 0;
  const warren_status status =
      api_->query(host_.raw(), job != nullptr ? job->raw() : nullptr, intent, text.c_str(),
                  paramsText.empty() ? nullptr : paramsText.c_str(), &rows, &affected, &error);
  std::string message = host_.take(error);
  std::string body = host_.take(rows);
  if (status == WARREN_OK) {
    QueryResult result;
    result.rows = body.empty() ? Json::array() : parseJson(body, "database rows");
    result.affected = affected;
    return result;
  }
  if (message.empty()) message = "database call failed with status " + std::to_string(status);
  if (status == WARREN_ERR_INVALID)
    throw job::Unrecoverable("database refused a statement: " + message);
  throw job::Retryable("database unavailable: " + message);
}

Backend Db::backend() const {
  std::call_once(backendOnce_, [this] {
    warren_buffer rows{};
    warren_buffer error{};
    std::int64_t affected = 0;
    const warren_status status =
        api_->query(host_.raw(), nullptr, WARREN_DB_READ, "SELECT sqlite_version() AS v", nullptr,
                    &rows, &affected, &error);
    host_.take(rows);
    host_.take(error);
    backend_ = status == WARREN_OK ? Backend::sqlite : Backend::postgresql;
  });
  return backend_;
}

}  // namespace common::db
