#include "Store.h"

#include "job/Failure.h"

namespace analyze {

// What both databases share; the id, the JSON column and the clock are each one's own.
#define WARREN_ANALYSES_COLUMNS                                                          \
  " queue TEXT NOT NULL, job_id TEXT NOT NULL, material_id TEXT, brand_profile_id TEXT," \
  " kind TEXT NOT NULL, language TEXT NOT NULL, provider TEXT NOT NULL, model TEXT NOT NULL,"
#define WARREN_ANALYSES_INDEXES                                               \
  "CREATE INDEX content_analyses_material ON content_analyses (material_id);" \
  "CREATE INDEX content_analyses_brand ON content_analyses (brand_profile_id, created_at);"

const warren_migration kMigrations[1] = {
    warren::migration(
        1, "content_analyses",
        "CREATE TABLE content_analyses (id BIGSERIAL PRIMARY KEY," WARREN_ANALYSES_COLUMNS
        " analysis JSONB NOT NULL, created_at TIMESTAMPTZ NOT NULL DEFAULT now(),"
        " UNIQUE (queue, job_id));" WARREN_ANALYSES_INDEXES,
        "CREATE TABLE content_analyses (id INTEGER PRIMARY KEY "
        "AUTOINCREMENT," WARREN_ANALYSES_COLUMNS " analysis TEXT NOT NULL,"
        " created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),"
        " UNIQUE (queue, job_id));" WARREN_ANALYSES_INDEXES),
};

#undef WARREN_ANALYSES_COLUMNS
#undef WARREN_ANALYSES_INDEXES

namespace {

// The row of (queue, job_id) is replaced when the job runs again; the id stays.
constexpr const char* kUpsert =
    "INSERT INTO content_analyses (queue, job_id, material_id, brand_profile_id, kind, language,"
    " provider, model, analysis) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, %ANALYSIS%)"
    " ON CONFLICT (queue, job_id) DO UPDATE SET material_id = excluded.material_id,"
    " brand_profile_id = excluded.brand_profile_id, kind = excluded.kind,"
    " language = excluded.language, provider = excluded.provider, model = excluded.model,"
    " analysis = excluded.analysis"
    " RETURNING id";

common::Json orNull(const std::optional<std::string>& value) {
  return value ? common::Json(*value) : common::Json(nullptr);
}

}  // namespace

std::int64_t storeAnalysis(const common::db::Db& db, const warren::Job& job, const Request& request,
                           const common::Json& analysis) {
  std::string sql = kUpsert;
  const bool postgres = db.backend() == common::db::Backend::postgresql;
  sql.replace(sql.find("%ANALYSIS%"), 10, postgres ? "$9::jsonb" : "$9");
  const common::Json params = {std::string(job.queue()),       std::string(job.id()),
                               orNull(request.materialId),     orNull(request.brandProfileId),
                               kindName(request.kind),         analysis.value("language", "und"),
                               analysis.value("provider", ""), analysis.value("model", ""),
                               common::dumpJson(analysis)};
  const common::db::QueryResult result = db.query(&job, WARREN_DB_WRITE, sql, params);
  if (result.rows.size() != 1 || !result.rows[0].contains("id") ||
      !result.rows[0]["id"].is_number_integer()) {
    throw common::job::Retryable("storing the analysis returned no row id");
  }
  return result.rows[0]["id"].get<std::int64_t>();
}

}  // namespace analyze
