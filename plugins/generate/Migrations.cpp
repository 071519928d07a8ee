#include "Migrations.h"

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

// Word for word the posts table of plugins/publish/migrations/0002_posts.sql (one text for both
// databases).
constexpr const char* kPosts = R"sql(
CREATE TABLE IF NOT EXISTS posts (
  id TEXT PRIMARY KEY,
  brand_profile_id TEXT,
  platform TEXT NOT NULL,
  account_id TEXT,
  text TEXT NOT NULL,
  thread TEXT NOT NULL DEFAULT '[]',
  hashtags TEXT NOT NULL DEFAULT '[]',
  media_keys TEXT NOT NULL DEFAULT '[]',
  alt_texts TEXT NOT NULL DEFAULT '[]',
  language TEXT,
  status TEXT NOT NULL DEFAULT 'draft',
  scheduled_at BIGINT,
  published_at BIGINT,
  platform_post_id TEXT,
  url TEXT,
  error TEXT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS posts_by_brand ON posts (brand_profile_id, created_at);
)sql";

}  // namespace

const warren_migration kMigrations[3] = {
    migration(1, "brand_profiles", kBrandProfilesPostgres, kBrandProfilesSqlite),
    migration(2, "posts", kPosts, kPosts),
    migration(3, "content_embeddings", common::vector::schema::kPostgres,
              common::vector::schema::kSqlite),
};

}  // namespace generate
