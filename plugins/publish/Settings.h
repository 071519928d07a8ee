// The plugin's config (queue.NAME.config.*, and security.* from the node), read once at init.
#pragma once

#include "crypto/Key.h"

#include <warren/plugin.hpp>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace publish {

// An age band of the analytics cadence: posts younger than `ageMs` are collected every
// `everyMs`.
struct Band {
  std::int64_t ageMs = 0;
  std::int64_t everyMs = 0;
};

struct Settings {
  explicit Settings(common::crypto::Keyring keyring) : keys(std::move(keyring)) {}

  common::crypto::Keyring keys;
  std::string webhookUrl;     // lifecycle events out; empty: none
  std::string webhookSecret;  // HMAC key of their signatures
  std::int64_t webhookTimeoutMs = 10000;
  std::int64_t refreshMarginMs = 300000;       // refresh tokens expiring within this
  std::int64_t leaseMs = 120000;               // a publication's lease (renewed by every save)
  std::int64_t mastodonKeyWindowMs = 3300000;  // trust an Idempotency-Key this long
  std::int64_t mediaPollMs = 1000;             // between media processing checks
  std::int64_t mediaWaitMs = 300000;           // longest wait for media processing
  std::string tempDir;                         // media copies; empty: the system's
  // Analytics.
  std::string analyticsQueue = "analytics-collect";
  std::int64_t analyticsEveryMs = 900000;  // the job scheduler's period; 0: no scheduler
  std::vector<Band> bands;                 // ascending ages; after the last: stop
  std::int64_t analyticsBatch = 200;       // posts per analytics:collect run
};

// Reads and checks the config; throws std::invalid_argument with the key and the reason.
Settings readSettings(const warren::Host& host);
// "6h=1h,24h=3h,72h=12h,7d=24h" -> bands. Throws std::invalid_argument.
std::vector<Band> parseBands(const std::string& text);

// The config keys declared in the descriptor.
inline constexpr warren_config_key kConfigKeys[] = {
    warren::configKey("security.encryption_key", WARREN_CONFIG_SECRET, nullptr, true,
                      "ENCRYPTION_KEY: 64 hex characters (32 bytes) that seal platform tokens "
                      "(AES-256-GCM); the node's value unless set for the queue"),
    warren::configKey("security.encryption_key_previous", WARREN_CONFIG_SECRET, nullptr, false,
                      "ENCRYPTION_KEY_PREVIOUS: the key before a rotation, still decrypts"),
    warren::configKey("webhook_url", WARREN_CONFIG_STRING, nullptr, false,
                      "POST lifecycle events (published, failed, unconfirmed) here"),
    warren::configKey("webhook_secret", WARREN_CONFIG_SECRET, nullptr, false,
                      "HMAC-SHA256 key signing the lifecycle events (required with webhook_url)"),
    warren::configKey("webhook_timeout_ms", WARREN_CONFIG_INT, "10000", false,
                      "timeout of one lifecycle event delivery"),
    warren::configKey("refresh_margin_s", WARREN_CONFIG_INT, "300", false,
                      "refresh access tokens that expire within this many seconds"),
    warren::configKey("lease_ms", WARREN_CONFIG_INT, "120000", false,
                      "how long a run holds a publication before another job may take it"),
    warren::configKey("mastodon_idempotency_window_s", WARREN_CONFIG_INT, "3300", false,
                      "how long Mastodon keeps an Idempotency-Key (its docs: about an hour)"),
    warren::configKey("media_poll_ms", WARREN_CONFIG_INT, "1000", false,
                      "pause between checks of media the platform is still processing"),
    warren::configKey("media_wait_ms", WARREN_CONFIG_INT, "300000", false,
                      "longest wait for media processing before the job is retried"),
    warren::configKey("temp_dir", WARREN_CONFIG_STRING, nullptr, false,
                      "where media are copied from object storage (default: the system's)"),
    warren::configKey("analytics_queue", WARREN_CONFIG_STRING, "analytics-collect", false,
                      "queue of the analytics:collect job scheduler"),
    warren::configKey("analytics_every_ms", WARREN_CONFIG_INT, "900000", false,
                      "period of the analytics:collect job scheduler (0: none)"),
    warren::configKey("analytics_bands", WARREN_CONFIG_STRING, "6h=1h,24h=3h,72h=12h,7d=24h", false,
                      "age=interval bands of metrics collection; older than the last: stop"),
    warren::configKey("analytics_batch", WARREN_CONFIG_INT, "200", false,
                      "posts per analytics:collect run"),
};

}  // namespace publish
