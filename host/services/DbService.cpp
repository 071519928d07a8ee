#include "services/DbService.h"

#include "db/Database.h"
#include "log/Log.h"
#include "plugins/HostApi.h"
#include "plugins/Instance.h"

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

namespace warren::services {
namespace {

std::atomic<db::Database*> g_database{nullptr};

warren_status statusOf(db::ErrorKind kind) {
  switch (kind) {
    case db::ErrorKind::none:
      return WARREN_OK;
    case db::ErrorKind::invalid:
    case db::ErrorKind::sql:
      return WARREN_ERR_INVALID;
    case db::ErrorKind::unavailable:
      return WARREN_ERR_UNAVAILABLE;
    case db::ErrorKind::timeout:
      return WARREN_ERR_TIMEOUT;
    case db::ErrorKind::internal:
      break;
  }
  return WARREN_ERR_INTERNAL;
}

warren_status query(const warren_host* host, const warren_job* /*job*/, warren_db_intent intent,
                    const char* sql, const char* params_json, warren_buffer* rows_json,
                    int64_t* affected, warren_buffer* error) noexcept {
  try {
    if (rows_json != nullptr) *rows_json = warren_buffer{nullptr, 0};
    if (error != nullptr) *error = warren_buffer{nullptr, 0};
    if (affected != nullptr) *affected = 0;
    const auto fail = [&](warren_status status, std::string_view text) {
      plugins::fillBuffer(error, text);
      return status;
    };
    db::Database* database = g_database.load();
    if (database == nullptr) return fail(WARREN_ERR_UNAVAILABLE, "no database is configured");
    if (sql == nullptr) return fail(WARREN_ERR_INVALID, "sql is NULL");
    if (intent != WARREN_DB_READ && intent != WARREN_DB_WRITE)
      return fail(WARREN_ERR_INVALID, "intent must be WARREN_DB_READ or WARREN_DB_WRITE");
    const db::DbResult result =
        database->query(intent == WARREN_DB_READ ? db::Intent::read : db::Intent::write, sql,
                        params_json != nullptr ? params_json : "");
    if (!result.ok) {
      log::debug("plugin database statement failed",
                 {{"plugin", std::string(plugins::pluginNameOf(host))}, {"error", result.error}});
      return fail(statusOf(result.kind), result.error);
    }
    if (!plugins::fillBuffer(rows_json, result.rowsJson))
      return fail(WARREN_ERR_INTERNAL, "out of memory");
    if (affected != nullptr) *affected = result.affected;
    return WARREN_OK;
  } catch (...) {
    return WARREN_ERR_INTERNAL;
  }
}

const warren_db_api kDbApi = {
    static_cast<uint32_t>(sizeof(warren_db_api)),
    query,
};

}  // namespace

const warren_db_api* dbApi(db::Database& database) {
  g_database.store(&database);
  return &kDbApi;
}

}  // namespace warren::services
