-- Platform accounts the publish plugin posts as. Tokens are AES-256-GCM ciphertexts
-- ("v1:<key id>:<base64>", see plugins/publish/README.md), never plaintext. Times: Unix ms.
CREATE TABLE IF NOT EXISTS platform_accounts (
  id TEXT PRIMARY KEY,
  platform TEXT NOT NULL,
  handle TEXT NOT NULL,
  base_url TEXT NOT NULL,
  platform_user_id TEXT,
  scopes TEXT NOT NULL DEFAULT '',
  client_id TEXT,
  status TEXT NOT NULL DEFAULT 'active'
    CHECK (status IN ('active', 'needs_reauth', 'disabled')),
  status_reason TEXT,
  access_token TEXT,
  refresh_token TEXT,
  secret TEXT,
  token_expires_at BIGINT,
  token_version BIGINT NOT NULL DEFAULT 0,
  refresh_lease_owner TEXT,
  refresh_lease_until BIGINT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS platform_accounts_by_platform ON platform_accounts (platform, status);

-- Rate limits learnt from the platforms' headers, so that jobs for a limited account (or a
-- platform limited as a whole) wait without calling it. scope: "<platform>" or
-- "<platform>:<account id>".
CREATE TABLE IF NOT EXISTS platform_rate_limits (
  scope TEXT PRIMARY KEY,
  reset_at BIGINT NOT NULL,
  reason TEXT NOT NULL,
  updated_at BIGINT NOT NULL
);
