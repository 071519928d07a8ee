// The content_embeddings table: one stored vector per row. Created by the embed plugin's
// migration (its descriptor); a plugin that stores or searches vectors on a node without embed
// declares the same step (IF NOT EXISTS makes a second application a no-op).
//
//   id                text, the row's key: derived from what the vector is of (see Store::rowId),
//                     so storing the same item again replaces its row instead of adding one
//   brand_profile_id  text, the brand that owns the content; similarity never crosses brands
//   source_type       what was embedded: "post", "draft", "material", ... ("text" by default)
//   source_id         the id of that thing in the app's tables, or NULL
//   model             the embedding model ("warren-hash-1", "text-embedding-3-small", ...)
//   dimensions        the vector's length; vectors of another model or length are never compared
//   text_hash         SHA-256 (hex) of the embedded text
//   text              the embedded text (what a duplicate check shows as the similar post)
//   embedding         the vector as little-endian float32: bytea on PostgreSQL, base64 text on
//                     SQLite. NULL on PostgreSQL once pgvector holds it (embedding_vector)
//   embedding_vector  pgvector `vector`, added at init when the extension exists (Store::prepare)
//   created_at        when the vector was stored; the similarity window and the cache's
//                     watermark read it
#pragma once

namespace common::vector::schema {

inline constexpr const char* kPostgres = R"sql(
CREATE TABLE IF NOT EXISTS content_embeddings (
  id text PRIMARY KEY,
  brand_profile_id text NOT NULL,
  source_type text NOT NULL DEFAULT 'text',
  source_id text,
  model text NOT NULL,
  dimensions integer NOT NULL CHECK (dimensions > 0),
  text_hash text NOT NULL,
  text text,
  embedding bytea,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS content_embeddings_window
  ON content_embeddings (brand_profile_id, model, dimensions, created_at);
CREATE INDEX IF NOT EXISTS content_embeddings_source
  ON content_embeddings (source_type, source_id) WHERE source_id IS NOT NULL;
)sql";

inline constexpr const char* kSqlite = R"sql(
CREATE TABLE IF NOT EXISTS content_embeddings (
  id TEXT PRIMARY KEY,
  brand_profile_id TEXT NOT NULL,
  source_type TEXT NOT NULL DEFAULT 'text',
  source_id TEXT,
  model TEXT NOT NULL,
  dimensions INTEGER NOT NULL CHECK (dimensions > 0),
  text_hash TEXT NOT NULL,
  text TEXT,
  embedding TEXT NOT NULL,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX IF NOT EXISTS content_embeddings_window
  ON content_embeddings (brand_profile_id, model, dimensions, created_at);
CREATE INDEX IF NOT EXISTS content_embeddings_source
  ON content_embeddings (source_type, source_id) WHERE source_id IS NOT NULL;
)sql";

}  // namespace common::vector::schema
