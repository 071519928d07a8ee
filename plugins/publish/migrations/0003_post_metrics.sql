-- Metric snapshots of published posts, one row per collection. The common counters have their
-- own columns (NULL: the platform does not give it); metrics holds the platform's own fields.
CREATE TABLE IF NOT EXISTS post_metrics (
  publication_id TEXT NOT NULL,
  post_id TEXT,
  platform TEXT NOT NULL,
  collected_at BIGINT NOT NULL,
  likes BIGINT,
  reposts BIGINT,
  replies BIGINT,
  quotes BIGINT,
  impressions BIGINT,
  views BIGINT,
  bookmarks BIGINT,
  shares BIGINT,
  metrics TEXT NOT NULL,
  PRIMARY KEY (publication_id, collected_at)
);
CREATE INDEX IF NOT EXISTS post_metrics_by_post ON post_metrics (post_id, collected_at);
