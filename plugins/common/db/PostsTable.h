// The posts table: drafts written by the generate plugin (status 'draft'), published by the
// publish plugin. Both plugins declare it in their migration 2 ("posts") from this one text
// (CREATE TABLE IF NOT EXISTS, valid on PostgreSQL and SQLite), so either may create it first.
// docs/jobs.md holds the contract. JSON arrays are stored as text. Times: Unix ms.
#pragma once

namespace common::db {

inline constexpr const char kPostsTable[] = R"sql(
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

}  // namespace common::db
