-- Posts: drafts written by the generate plugin (status 'draft'), published by this plugin. The
-- same definition is in both plugins' migrations (CREATE TABLE IF NOT EXISTS); docs/jobs.md
-- holds the contract. JSON arrays are stored as text. Times: Unix ms.
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
