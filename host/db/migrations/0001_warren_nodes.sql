-- Nodes of this deployment: one row per worker id, refreshed while the node runs
-- (last_seen_ms: Unix time in milliseconds). Portable SQL: PostgreSQL and SQLite.
CREATE TABLE IF NOT EXISTS warren_nodes (
  node_id TEXT PRIMARY KEY,
  started_ms BIGINT NOT NULL,
  last_seen_ms BIGINT NOT NULL
);
