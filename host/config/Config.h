// Layered configuration: a config file, then environment variables, then the command line.
// Every key is known in advance; an unknown key or an invalid value is refused at start with
// the key's name and where it came from.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace warren::config {

class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Per-queue worker options (BullMQ worker options; defaults as BullMQ 6.x).
struct QueueConfig {
  std::string name;
  std::string plugin;             // name in the plugin directory, or a path
  std::uint32_t concurrency = 0;  // 0: the plugin's default
  std::uint32_t weight = 0;       // share of the node budget; 0: the default for the queue name
  std::int64_t lockDurationMs = 30000;
  std::int64_t lockRenewTimeMs = 15000;  // lockDuration / 2 unless set
  std::int64_t stalledIntervalMs = 30000;
  std::int64_t maxStalledCount = 1;
  std::int64_t maxStartedAttempts = 0;  // 0: no limit
  std::int64_t drainDelayS = 5;
  std::int64_t limiterMax = 0;  // 0: no worker rate limit
  std::int64_t limiterDurationMs = 0;
  std::int64_t timeoutMs = 0;    // job timeout; 0: none
  std::string removeOnComplete;  // JSON: true, N, or {"age":..,"count":..}; empty: keep
  std::string removeOnFail;
  std::int64_t maxMetricsPoints = -1;  // 0: metrics off; -1: the profile's default
  std::string sha256;                  // pinned SHA-256 of the plugin file (hex); empty: not pinned
  std::string migrations;  // directory of the plugin's NNNN_name.sql migrations; empty: none
  std::string aiProvider;  // queue.NAME.ai.provider; empty: the node's (ai.provider)
  std::string aiModel;     // queue.NAME.ai.model; empty: the provider's
  std::map<std::string, std::string> pluginConfig;
};

// Object storage (S3_* and storage.*); the endpoint, bucket and keys are in Config::secrets.
struct StorageConfig {
  std::string localDir;  // empty: <data dir>/objects
  std::string region = "us-east-1";
  bool pathStyle = false;
  std::string caFile;
  std::uint64_t multipartThresholdMb = 64;
  std::uint64_t partSizeMb = 16;
  std::uint32_t maxAttempts = 4;
  std::int64_t timeoutMs = 60000;
};

// The outbound HTTP client that plugins share (http.client.*).
struct HttpClientConfig {
  std::int64_t timeoutMs = 30000;
  std::int64_t connectTimeoutMs = 10000;
  std::uint32_t maxAttempts = 3;
  std::string caFile;
  std::uint64_t maxResponseBytes = 64ull << 20;
  std::map<std::string, std::string> rateLimits;  // host -> "5/s", "300/min burst 10"
  std::string defaultRateLimit;                   // for hosts not listed; empty: none
};

// The AI service (ai.*). AI_PROVIDER and the API keys are in Config::secrets (ai.provider,
// ai.openai_api_key, ai.gemini_api_key, ai.anthropic_api_key, ai.custom_api_key).
struct AiProviderConfig {
  std::string baseUrl;                  // empty: the provider's public endpoint
  std::string model;                    // ai.PROVIDER.model; empty: the documented default
  std::string embeddingModel;           // ai.PROVIDER.embedding_model
  std::uint32_t concurrency = 0;        // calls at once on this node; 0: no limit
  std::uint32_t requestsPerMinute = 0;  // 0: no limit
  std::uint64_t tokensPerMinute = 0;    // 0: no limit
};

struct AiConfig {
  std::string provider;           // openai | gemini | claude | custom; empty (unset, local): none
  std::string model;              // for the node's provider
  std::string embeddingModel;     // for the embedding provider
  std::string embeddingProvider;  // empty: the queue's provider
  std::vector<std::string> fallback;  // providers tried in order after the queue's own
  std::int64_t timeoutMs = 120000;
  std::int64_t maxInlineWaitMs = 5000;
  std::uint64_t maxImageMb = 20;
  std::map<std::string, AiProviderConfig> providers;  // by name; every provider has an entry
};

struct Config {
  std::string workerId;
  std::string profile = "development";
  std::string tier = "standard";
  bool profileSet = false;               // node.profile was given (its defaults then apply)
  bool tierSet = false;                  // node.tier was given (its node budget then applies)
  std::uint64_t memoryOverheadMb = 200;  // kept for the host before per-job memory caps
  std::string appVersion;
  std::string logLevel = "info";
  std::string pluginDir;
  std::string dataDir;
  std::uint32_t concurrency = 0;  // node-wide budget; 0: sum of the queues' concurrency
  std::int64_t shutdownTimeoutMs = 30000;

  bool pluginWatch = true;                    // reload when a file is renamed into the plugin dir
  std::int64_t reloadDrainTimeoutMs = 30000;  // old generation's jobs then go back to wait
  std::int64_t reloadDebounceMs = 250;

  std::string redisUrl;  // empty: embedded redis-server (or the Sentinels of redisSentinels)
  bool redisTls = false;
  std::string redisUser;       // the data servers' credentials when the URL has none
  std::string redisPassword;   // secret
  bool redisCluster = false;   // the URL's host is a Redis Cluster seed node
  std::string redisSentinels;  // "host[:port],host[:port]": Sentinel mode without a URL
  std::string redisSentinelMaster;
  std::string redisSentinelUser;
  std::string redisSentinelPassword;  // secret
  std::string redisPrefix = "bull";
  std::string redisCaFile;
  std::int64_t redisConnectTimeoutMs = 10000;
  std::int64_t redisCommandTimeoutMs = 5000;
  bool redisFunctions = true;

  std::string databaseUrl;
  std::string databaseReplicaUrl;
  std::uint32_t databasePoolSize = 0;

  std::string httpHost = "127.0.0.1";
  std::uint32_t httpPort = 0;  // 0: no HTTP endpoint
  std::string adminToken;

  StorageConfig storage;
  HttpClientConfig httpClient;
  AiConfig ai;

  std::map<std::string, std::string> secrets;  // provider keys etc., by config key
  std::vector<QueueConfig> queues;
};

// One layer of raw key/value pairs, with the name of its source for error messages.
struct Layer {
  std::string source;  // "file /etc/warren.ini", "environment", "command line"
  std::map<std::string, std::string> values;
  std::map<std::string, std::string> origin;  // key -> how it was spelled there (e.g. REDIS_URL)
};

// Reads an INI file (sections become key prefixes: [redis] url=... is redis.url;
// [queue.NAME] plugin=... is queue.NAME.plugin). Throws ConfigError on unreadable files.
Layer fileLayer(const std::string& path);
// Maps the environment names of ARCHITECTURE.md (REDIS_URL, LOG_LEVEL, ...) to keys.
Layer environmentLayer(char** environ);
// "key=value" pairs from --set.
Layer commandLineLayer(const std::vector<std::string>& assignments);

// Merges the layers (later wins), checks every key and value, applies defaults.
Config resolve(const std::vector<Layer>& layers);

// The documented keys (for --help and the README).
std::vector<std::pair<std::string, std::string>> describeKeys();

// Is this key a secret (never logged or printed)?
bool isSecretKey(const std::string& key);

}  // namespace warren::config
