-- Migration 2 ("posts"): PublishPlugin.cpp puts the posts table (plugins/common/db/PostsTable.h,
-- the same text as the generate plugin's) before this file, which adds the publication ledger.

-- The publication ledger: one row per post going to one account, keyed by its idempotency key.
-- state: pending -> publishing -> published | failed | unconfirmed. progress (JSON) holds every
-- step done so far (uploaded media, upload sessions, each thread part's platform id), so a
-- retried job resumes instead of posting again.
CREATE TABLE IF NOT EXISTS publications (
  id TEXT PRIMARY KEY,
  idempotency_key TEXT NOT NULL UNIQUE,
  post_id TEXT,
  account_id TEXT NOT NULL,
  platform TEXT NOT NULL,
  state TEXT NOT NULL
    CHECK (state IN ('pending', 'publishing', 'published', 'failed', 'unconfirmed')),
  content_hash TEXT NOT NULL,
  content TEXT NOT NULL,
  progress TEXT NOT NULL DEFAULT '{}',
  platform_post_id TEXT,
  url TEXT,
  result TEXT,
  error TEXT,
  job_id TEXT,
  lease_owner TEXT,
  lease_until BIGINT,
  notified TEXT NOT NULL DEFAULT '',
  published_at BIGINT,
  metrics_state TEXT NOT NULL DEFAULT 'pending'
    CHECK (metrics_state IN ('pending', 'done', 'deleted', 'unsupported')),
  metrics_next_at BIGINT,
  metrics_interval_ms BIGINT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS publications_by_post ON publications (post_id);
CREATE INDEX IF NOT EXISTS publications_metrics_due
  ON publications (state, metrics_state, metrics_next_at);
