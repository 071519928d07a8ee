#include "Migrations.h"

#include "db/PostsTable.h"
#include "vector/Schema.h"

namespace generate {
namespace {

constexpr const char* kBrandProfilesPostgres = R"sql(
CREATE TABLE IF NOT EXISTS brand_profiles (
  id TEXT PRIMARY KEY,
  name TEXT,
  voice TEXT,
  tone TEXT,
  audience TEXT,
  language TEXT,
  banned_words TEXT NOT NULL DEFAULT '[]',
  required_hashtags TEXT NOT NULL DEFAULT '[]',
  banned_hashtags TEXT NOT NULL DEFAULT '[]',
  emoji_policy TEXT NOT NULL DEFAULT 'any' CHECK (emoji_policy IN ('none', 'few', 'any')),
  call_to_action TEXT,
  created_at BIGINT NOT NULL DEFAULT (floor(extract(epoch FROM now()) * 1000)::bigint),
  updated_at BIGINT NOT NULL DEFAULT (floor(extract(epoch FROM now()) * 1000)::bigint)
);
)sql";

constexpr const char* kBrandProfilesSqlite = R"sql(
CREATE TABLE IF NOT EXISTS brand_profiles (
  id TEXT PRIMARY KEY,
  name TEXT,
  voice TEXT,
  tone TEXT,
  audience TEXT,
  language TEXT,
  banned_words TEXT NOT NULL DEFAULT '[]',
  required_hashtags TEXT NOT NULL DEFAULT '[]',
  banned_hashtags TEXT NOT NULL DEFAULT '[]',
  emoji_policy TEXT NOT NULL DEFAULT 'any' CHECK (emoji_policy IN ('none', 'few', 'any')),
  call_to_action TEXT,
  created_at BIGINT NOT NULL DEFAULT (CAST(strftime('%s', 'now') AS INTEGER) * 1000),
  updated_at BIGINT NOT NULL DEFAULT (CAST(strftime('%s', 'now') AS INTEGER) * 1000)
);
)sql";

}  // namespace

const warren_migration kMigrations[3] = {
    migration(1, "brand_profiles", kBrandProfilesPostgres, kBrandProfilesSqlite),
    migration(2, "posts", common::db::kPostsTable, common::db::kPostsTable),
    migration(3, "content_embeddings", common::vector::schema::kPostgres,
              common::vector::schema::kSqlite),
};

}  // namespace generate
