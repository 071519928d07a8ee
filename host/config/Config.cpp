#include "config/Config.h"

#include <Poco/AutoPtr.h>
#include <Poco/Exception.h>
#include <Poco/Util/IniFileConfiguration.h>

#include <unistd.h>
#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <functional>

namespace warren::config {
namespace {

// ---- value parsing ----

std::int64_t parseInt(const std::string& text, std::int64_t min, std::int64_t max) {
  char* end = nullptr;
  errno = 0;
  const long long value = std::strtoll(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || errno != 0 || value < min || value > max) {
    throw std::invalid_argument("expected a whole number from " + std::to_string(min) + " to " +
                                std::to_string(max));
  }
  return value;
}

bool parseBool(const std::string& text) {
  if (text == "true" || text == "1" || text == "yes" || text == "on") return true;
  if (text == "false" || text == "0" || text == "no" || text == "off") return false;
  throw std::invalid_argument("expected true or false");
}

std::string oneOf(const std::string& text, std::initializer_list<const char*> allowed) {
  std::string list;
  for (const char* option : allowed) {
    if (text == option) return text;
    list += list.empty() ? option : std::string(", ") + option;
  }
  throw std::invalid_argument("expected one of " + list);
}

std::string retention(const std::string& text) {
  if (text == "true" || text == "false") return text;
  if (!text.empty() && text.front() == '{' && text.back() == '}') return text;
  try {
    return std::to_string(parseInt(text, 0, INT64_MAX));
  } catch (const std::invalid_argument&) {
    throw std::invalid_argument(R"(expected true, false, a count, or {"age":SECONDS,"count":N})");
  }
}

// ---- key tables ----

using Setter = std::function<void(Config&, const std::string&)>;
using QueueSetter = std::function<void(QueueConfig&, const std::string&)>;

struct KeySpec {
  const char* key;
  const char* env;  // nullptr: no environment name
  const char* help;
  Setter set;
};

std::uint32_t u32(const std::string& v, std::int64_t min, std::int64_t max) {
  return static_cast<std::uint32_t>(parseInt(v, min, max));
}

// ---- the AI service (ai.*) ----

constexpr std::initializer_list<const char*> kAiProviders = {"openai", "gemini", "claude",
                                                             "custom"};

// A provider name; "local" (and "") mean none, where `allowNone` permits it.
std::string aiProvider(const std::string& text, bool allowNone) {
  if (allowNone && (text.empty() || text == "local")) return "";
  if (allowNone) return oneOf(text, {"openai", "gemini", "claude", "custom", "local"});
  return oneOf(text, kAiProviders);
}

std::string httpUrl(std::string text) {
  if (text.rfind("http://", 0) != 0 && text.rfind("https://", 0) != 0) {
    throw std::invalid_argument("expected an http:// or https:// URL");
  }
  while (text.back() == '/') text.pop_back();
  return text;
}

std::vector<std::string> aiFallback(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    const auto comma = std::min(text.find(',', start), text.size());
    std::string name = text.substr(start, comma - start);
    name.erase(0, name.find_first_not_of(' '));
    name.erase(name.find_last_not_of(' ') + 1);
    if (!name.empty()) {
      name = aiProvider(name, false);
      if (std::find(out.begin(), out.end(), name) != out.end()) {
        throw std::invalid_argument("'" + name + "' is listed twice");
      }
      out.push_back(name);
    }
    start = comma + 1;
  }
  return out;
}

std::vector<KeySpec> aiKeys() {
  const auto baseUrl = [](const char* provider) {
    return [provider](Config& c, const std::string& v) {
      c.ai.providers[provider].baseUrl = httpUrl(v);
    };
  };
  return {
      {"ai.custom.base_url", "AI_BASE_URL",
       "base URL of the OpenAI-compatible server of AI_PROVIDER=custom (Ollama, llama.cpp, vLLM, "
       "LM Studio), with its /v1",
       baseUrl("custom")},
      {"ai.openai.base_url", "OPENAI_BASE_URL",
       "OpenAI API base URL (default https://api.openai.com/v1)", baseUrl("openai")},
      {"ai.gemini.base_url", "GEMINI_BASE_URL",
       "Gemini API base URL, without the version (default "
       "https://generativelanguage.googleapis.com)",
       baseUrl("gemini")},
      {"ai.claude.base_url", "ANTHROPIC_BASE_URL",
       "Anthropic API base URL, without /v1 (default https://api.anthropic.com)",
       baseUrl("claude")},
      {"ai.model", "AI_MODEL",
       "completion model of AI_PROVIDER (default: the provider's, docs/ai.md)",
       [](Config& c, const std::string& v) { c.ai.model = v; }},
      {"ai.embedding_model", "AI_EMBEDDING_MODEL",
       "embedding model of the embedding provider (default: the provider's)",
       [](Config& c, const std::string& v) { c.ai.embeddingModel = v; }},
      {"ai.embedding_provider", "AI_EMBEDDING_PROVIDER",
       "openai | gemini | custom: where embeddings go (default: the queue's provider)",
       [](Config& c, const std::string& v) {
         c.ai.embeddingProvider = oneOf(v, {"openai", "gemini", "custom"});
       }},
      {"ai.fallback", "AI_FALLBACK",
       "providers tried in order when the queue's is down, out of quota or rate limited, e.g. "
       "gemini,openai",
       [](Config& c, const std::string& v) { c.ai.fallback = aiFallback(v); }},
      {"ai.timeout_ms", nullptr, "limit of one AI call, retries included (default 120000)",
       [](Config& c, const std::string& v) { c.ai.timeoutMs = parseInt(v, 100, 3600000); }},
      {"ai.max_inline_wait_ms", nullptr,
       "longest rate-limit wait inside a job; longer ones delay the job (default 5000)",
       [](Config& c, const std::string& v) { c.ai.maxInlineWaitMs = parseInt(v, 0, 600000); }},
      {"ai.max_image_mb", nullptr, "largest image in an AI request (default 20)",
       [](Config& c, const std::string& v) { c.ai.maxImageMb = u32(v, 1, 100); }},
  };
}

// ai.PROVIDER.OPTION keys other than base_url. False when `key` is not one.
bool applyAiProviderKey(Config& config, const std::string& key, const std::string& value) {
  if (key.rfind("ai.", 0) != 0) return false;
  const auto dot = key.find('.', 3);
  if (dot == std::string::npos) return false;
  const std::string provider = key.substr(3, dot - 3);
  const std::string option = key.substr(dot + 1);
  if (std::find_if(kAiProviders.begin(), kAiProviders.end(),
                   [&](const char* p) { return provider == p; }) == kAiProviders.end())
    return false;
  AiProviderConfig& p = config.ai.providers[provider];
  if (option == "model") {
    p.model = value;
  } else if (option == "embedding_model") {
    p.embeddingModel = value;
  } else if (option == "concurrency") {
    p.concurrency = u32(value, 0, 100000);
  } else if (option == "requests_per_minute") {
    p.requestsPerMinute = u32(value, 0, 100000000);
  } else if (option == "tokens_per_minute") {
    p.tokensPerMinute = static_cast<std::uint64_t>(parseInt(value, 0, 1ll << 40));
  } else {
    return false;
  }
  return true;
}

const char* aiKeyName(const std::string& provider) {
  if (provider == "openai") return "OPENAI_API_KEY";
  if (provider == "gemini") return "GEMINI_API_KEY";
  if (provider == "claude") return "ANTHROPIC_API_KEY";
  return nullptr;
}

// What a provider needs before it can serve: its key, or for custom a base URL and a model
// (`model`: the one this use would get, may be empty).
void requireAiProvider(const Config& config, const std::string& provider, const std::string& why,
                       const std::string& model) {
  if (const char* env = aiKeyName(provider)) {
    const std::string secret =
        std::string("ai.") + (provider == "claude" ? "anthropic" : provider) + "_api_key";
    const auto it = config.secrets.find(secret);
    if (it == config.secrets.end() || it->second.empty()) {
      throw ConfigError(why + " is " + provider + " but " + env + " (" + secret + ") is not set");
    }
    return;
  }
  if (config.ai.providers.at("custom").baseUrl.empty()) {
    throw ConfigError(why + " is custom but AI_BASE_URL (ai.custom.base_url) is not set");
  }
  if (model.empty() && config.ai.providers.at("custom").model.empty()) {
    throw ConfigError(why +
                      " is custom but no model is set (ai.model, ai.custom.model): the server "
                      "serves the model it is asked for by name");
  }
}

// Cross-key checks of the AI settings, once every key is read.
void finishAi(Config& config) {
  for (const char* provider : kAiProviders) config.ai.providers[provider];
  const auto it = config.secrets.find("ai.provider");
  config.ai.provider = it == config.secrets.end() ? "" : aiProvider(it->second, true);
  if (!config.ai.provider.empty()) {
    requireAiProvider(config, config.ai.provider, "AI_PROVIDER", config.ai.model);
  }
  const std::string primaryModel = config.ai.provider == "custom" ? config.ai.model : "";
  for (const auto& name : config.ai.fallback) {
    requireAiProvider(config, name, "ai.fallback", primaryModel);
  }
  if (!config.ai.embeddingProvider.empty()) {
    // An embedding model is checked when embeddings are asked for ("no embedding model").
    requireAiProvider(config, config.ai.embeddingProvider, "ai.embedding_provider", "-");
  }
  for (const auto& q : config.queues) {
    if (q.aiProvider.empty() || q.aiProvider == "local") continue;
    requireAiProvider(config, q.aiProvider, "queue." + q.name + ".ai.provider",
                      q.aiModel.empty() ? primaryModel : q.aiModel);
  }
}

const std::vector<KeySpec>& globalKeys() {
  static const std::vector<KeySpec> keys = {
      {"node.id", "WORKER_ID", "worker id shown in logs and to getWorkers() (default host-pid)",
       [](Config& c, const std::string& v) { c.workerId = v; }},
      {"node.profile", "NODE_ENV", "development | staging | production",
       [](Config& c, const std::string& v) {
         c.profile = oneOf(v, {"development", "staging", "production"});
       }},
      {"node.tier", "WARREN_TIER", "micro | small | standard | medium | large | performance",
       [](Config& c, const std::string& v) {
         c.tier = oneOf(v, {"micro", "small", "standard", "medium", "large", "performance"});
       }},
      {"node.version", "APP_VERSION", "application version reported in logs and /health",
       [](Config& c, const std::string& v) { c.appVersion = v; }},
      {"node.plugin_dir", "WARREN_PLUGIN_DIR", "directory where plugins are found by name",
       [](Config& c, const std::string& v) { c.pluginDir = v; }},
      {"node.data_dir", "WARREN_DATA_DIR", "directory for embedded Redis, SQLite and storage",
       [](Config& c, const std::string& v) { c.dataDir = v; }},
      {"node.concurrency", "WORKER_CONCURRENCY",
       "node budget split across queues by weight (0: the tier's when node.tier is set, else none)",
       [](Config& c, const std::string& v) { c.concurrency = u32(v, 0, 100000); }},
      {"node.shutdown_timeout_ms", "SHUTDOWN_TIMEOUT_MS", "wait for active jobs on SIGTERM",
       [](Config& c, const std::string& v) { c.shutdownTimeoutMs = parseInt(v, 0, 86400000); }},
      {"plugins.watch", "WARREN_PLUGIN_WATCH",
       "reload when a file is renamed into the plugin directory (default true)",
       [](Config& c, const std::string& v) { c.pluginWatch = parseBool(v); }},
      {"reload.drain_timeout_ms", nullptr,
       "how long an old plugin generation may finish its jobs (default 30000)",
       [](Config& c, const std::string& v) { c.reloadDrainTimeoutMs = parseInt(v, 0, 86400000); }},
      {"reload.debounce_ms", nullptr, "quiet time after a plugin file change (default 250)",
       [](Config& c, const std::string& v) { c.reloadDebounceMs = parseInt(v, 0, 60000); }},
      {"log.level", "LOG_LEVEL", "trace | debug | info | warn | error | off",
       [](Config& c, const std::string& v) {
         c.logLevel = oneOf(v, {"trace", "debug", "info", "warn", "error", "off"});
       }},
      {"redis.url", "REDIS_URL",
       "redis://, rediss://, unix://, redis+sentinel:// or redis+cluster:// URL (unset: embedded "
       "server; docs/redis-ha.md)",
       [](Config& c, const std::string& v) {
         bool known = false;
         for (const char* scheme : {"redis://", "rediss://", "unix://", "redis+sentinel://",
                                    "rediss+sentinel://", "redis+cluster://", "rediss+cluster://"})
           known = known || v.rfind(scheme, 0) == 0;
         if (!known) {
           throw std::invalid_argument(
               "expected a redis://, rediss://, unix://, redis[s]+sentinel:// or "
               "redis[s]+cluster:// URL");
         }
         c.redisUrl = v;
       }},
      {"redis.tls", "REDIS_TLS", "use TLS even when the URL says redis://",
       [](Config& c, const std::string& v) { c.redisTls = parseBool(v); }},
      {"redis.username", "REDIS_USERNAME", "Redis user when the URL names none (ACL)",
       [](Config& c, const std::string& v) { c.redisUser = v; }},
      {"redis.password", "REDIS_PASSWORD", "Redis password when the URL has none (secret)",
       [](Config& c, const std::string& v) { c.redisPassword = v; }},
      {"redis.cluster", "REDIS_CLUSTER",
       "the URL's host is a Redis Cluster node: route by hash slot (as redis+cluster://)",
       [](Config& c, const std::string& v) { c.redisCluster = parseBool(v); }},
      {"redis.sentinels", "REDIS_SENTINELS",
       "Sentinels host[:port],... watching redis.sentinel_master (instead of redis.url)",
       [](Config& c, const std::string& v) { c.redisSentinels = v; }},
      {"redis.sentinel_master", "REDIS_SENTINEL_MASTER", "master name the Sentinels monitor",
       [](Config& c, const std::string& v) { c.redisSentinelMaster = v; }},
      {"redis.sentinel_user", "REDIS_SENTINEL_USERNAME", "user for the Sentinels (ACL)",
       [](Config& c, const std::string& v) { c.redisSentinelUser = v; }},
      {"redis.sentinel_password", "REDIS_SENTINEL_PASSWORD",
       "password of the Sentinels, when it differs from the master's (secret)",
       [](Config& c, const std::string& v) { c.redisSentinelPassword = v; }},
      {"redis.prefix", "REDIS_PREFIX", "BullMQ key prefix (default bull)",
       [](Config& c, const std::string& v) {
         if (v.empty() || v.find(':') != std::string::npos) {
           throw std::invalid_argument("expected a non-empty prefix without ':'");
         }
         c.redisPrefix = v;
       }},
      {"redis.ca_file", "REDIS_CA_FILE", "CA certificates for rediss:// (default: system CAs)",
       [](Config& c, const std::string& v) { c.redisCaFile = v; }},
      {"redis.connect_timeout_ms", nullptr, "connect timeout (default 10000)",
       [](Config& c, const std::string& v) { c.redisConnectTimeoutMs = parseInt(v, 1, 600000); }},
      {"redis.command_timeout_ms", nullptr, "command timeout (default 5000)",
       [](Config& c, const std::string& v) { c.redisCommandTimeoutMs = parseInt(v, 1, 600000); }},
      {"redis.functions", "REDIS_FUNCTIONS",
       "load the queue scripts as a Redis function library on Redis 7+ (default true; false: "
       "EVALSHA only)",
       [](Config& c, const std::string& v) { c.redisFunctions = parseBool(v); }},
      {"database.url", "DATABASE_URL", "PostgreSQL URL (unset: SQLite in the data directory)",
       [](Config& c, const std::string& v) { c.databaseUrl = v; }},
      {"database.replica_url", "DATABASE_REPLICA_URL", "read replica URL",
       [](Config& c, const std::string& v) { c.databaseReplicaUrl = v; }},
      {"database.pool_size", "DATABASE_POOL_SIZE",
       "database pool size (0: from the sizing formula)",
       [](Config& c, const std::string& v) { c.databasePoolSize = u32(v, 0, 10000); }},
      {"http.host", "HTTP_HOST", "address of /health, /ready, /metrics (default 127.0.0.1)",
       [](Config& c, const std::string& v) { c.httpHost = v; }},
      {"http.port", "HTTP_PORT", "port of /health, /ready, /metrics (0: off)",
       [](Config& c, const std::string& v) { c.httpPort = u32(v, 0, 65535); }},
      {"admin.token", "WARREN_ADMIN_TOKEN", "bearer token for /admin (secret)",
       [](Config& c, const std::string& v) { c.adminToken = v; }},
      {"sizing.memory_overhead_mb", nullptr,
       "memory kept for the host before per-job memory caps (default 200)",
       [](Config& c, const std::string& v) { c.memoryOverheadMb = u32(v, 0, 1000000); }},
      {"s3.region", "S3_REGION", "S3 region (default us-east-1; auto for R2)",
       [](Config& c, const std::string& v) { c.storage.region = v; }},
      {"s3.path_style", "S3_PATH_STYLE", "path-style S3 URLs (MinIO, local servers)",
       [](Config& c, const std::string& v) { c.storage.pathStyle = parseBool(v); }},
      {"s3.ca_file", "S3_CA_FILE", "CA certificates for the S3 endpoint (default: system CAs)",
       [](Config& c, const std::string& v) { c.storage.caFile = v; }},
      {"storage.local_dir", nullptr, "local object storage root (default <data dir>/objects)",
       [](Config& c, const std::string& v) { c.storage.localDir = v; }},
      {"storage.multipart_threshold_mb", nullptr, "files larger go up in parts (default 64)",
       [](Config& c, const std::string& v) { c.storage.multipartThresholdMb = u32(v, 5, 5120); }},
      {"storage.part_size_mb", nullptr, "multipart part size (default 16)",
       [](Config& c, const std::string& v) { c.storage.partSizeMb = u32(v, 5, 5120); }},
      {"storage.max_attempts", nullptr, "attempts per storage request (default 4)",
       [](Config& c, const std::string& v) { c.storage.maxAttempts = u32(v, 1, 20); }},
      {"storage.timeout_ms", nullptr, "timeout of one storage request attempt (default 60000)",
       [](Config& c, const std::string& v) { c.storage.timeoutMs = parseInt(v, 100, 3600000); }},
      {"http.client.timeout_ms", nullptr,
       "plugins' outbound HTTP: limit of one call, retries included (default 30000)",
       [](Config& c, const std::string& v) { c.httpClient.timeoutMs = parseInt(v, 1, 3600000); }},
      {"http.client.connect_timeout_ms", nullptr, "outbound HTTP connect timeout (default 10000)",
       [](Config& c, const std::string& v) {
         c.httpClient.connectTimeoutMs = parseInt(v, 1, 600000);
       }},
      {"http.client.max_attempts", nullptr, "attempts for idempotent requests (default 3)",
       [](Config& c, const std::string& v) { c.httpClient.maxAttempts = u32(v, 1, 20); }},
      {"http.client.ca_file", nullptr, "CA certificates for outbound HTTPS (default: system)",
       [](Config& c, const std::string& v) { c.httpClient.caFile = v; }},
      {"http.client.max_response_bytes", nullptr, "largest response body (default 64 MiB)",
       [](Config& c, const std::string& v) {
         c.httpClient.maxResponseBytes = static_cast<std::uint64_t>(parseInt(v, 1, 1ll << 40));
       }},
      {"http.client.default_rate_limit", nullptr,
       "rate limit for hosts without their own, e.g. 10/s (default none)",
       [](Config& c, const std::string& v) { c.httpClient.defaultRateLimit = v; }},
  };
  static const std::vector<KeySpec> all = [] {
    std::vector<KeySpec> out = keys;
    for (auto& spec : aiKeys()) out.push_back(std::move(spec));
    return out;
  }();
  return all;
}

// Secrets kept for plugins and later services; never logged.
const std::vector<std::pair<const char*, const char*>>& secretKeys() {
  static const std::vector<std::pair<const char*, const char*>> keys = {
      {"ai.provider", "AI_PROVIDER"},
      {"ai.gemini_api_key", "GEMINI_API_KEY"},
      {"ai.openai_api_key", "OPENAI_API_KEY"},
      {"ai.anthropic_api_key", "ANTHROPIC_API_KEY"},
      {"ai.custom_api_key", "AI_API_KEY"},
      {"s3.endpoint", "S3_ENDPOINT"},
      {"s3.bucket", "S3_BUCKET"},
      {"s3.access_key", "S3_ACCESS_KEY"},
      {"s3.secret_key", "S3_SECRET_KEY"},
      {"security.encryption_key", "ENCRYPTION_KEY"},
      {"security.encryption_key_previous", "ENCRYPTION_KEY_PREVIOUS"},
  };
  return keys;
}

struct QueueKeySpec {
  const char* option;
  const char* help;
  QueueSetter set;
};

const std::vector<QueueKeySpec>& queueKeys() {
  static const std::vector<QueueKeySpec> keys = {
      {"plugin", "plugin name (in the plugin directory) or path to its .so",
       [](QueueConfig& q, const std::string& v) { q.plugin = v; }},
      {"concurrency", "jobs at once; with a node budget, a cap (0: profile's or plugin's default)",
       [](QueueConfig& q, const std::string& v) { q.concurrency = u32(v, 0, 10000); }},
      {"weight",
       "share of the node budget (default by name: post-publish 40, content-generate 30, "
       "content-analyze 20, analytics-collect 10, others 10)",
       [](QueueConfig& q, const std::string& v) { q.weight = u32(v, 1, 1000); }},
      {"lockDuration", "job lock time in ms (BullMQ default 30000)",
       [](QueueConfig& q, const std::string& v) { q.lockDurationMs = parseInt(v, 100, 86400000); }},
      {"lockRenewTime", "lock renewal period in ms (default lockDuration/2)",
       [](QueueConfig& q, const std::string& v) { q.lockRenewTimeMs = parseInt(v, 50, 86400000); }},
      {"stalledInterval", "stalled check period in ms (default 30000)",
       [](QueueConfig& q, const std::string& v) {
         q.stalledIntervalMs = parseInt(v, 100, 86400000);
       }},
      {"maxStalledCount", "stalls before a job fails (default 1)",
       [](QueueConfig& q, const std::string& v) { q.maxStalledCount = parseInt(v, 0, 1000); }},
      {"maxStartedAttempts", "starts before a job fails unrecoverably (0: no limit)",
       [](QueueConfig& q, const std::string& v) {
         q.maxStartedAttempts = parseInt(v, 0, 1000000);
       }},
      {"drainDelay", "blocking wait in seconds when idle (default 5)",
       [](QueueConfig& q, const std::string& v) { q.drainDelayS = parseInt(v, 1, 3600); }},
      {"limiter.max", "worker rate limit: jobs per limiter.duration",
       [](QueueConfig& q, const std::string& v) { q.limiterMax = parseInt(v, 0, 1000000000); }},
      {"limiter.duration", "worker rate limit window in ms",
       [](QueueConfig& q, const std::string& v) {
         q.limiterDurationMs = parseInt(v, 0, 86400000);
       }},
      {"timeout", "job timeout in ms (0: none)",
       [](QueueConfig& q, const std::string& v) { q.timeoutMs = parseInt(v, 0, 86400000); }},
      {"removeOnComplete", "worker default: true, a count, or {\"age\":s,\"count\":n}",
       [](QueueConfig& q, const std::string& v) { q.removeOnComplete = retention(v); }},
      {"removeOnFail", "worker default: true, a count, or {\"age\":s,\"count\":n}",
       [](QueueConfig& q, const std::string& v) { q.removeOnFail = retention(v); }},
      {"sha256", "pinned SHA-256 (hex) of the plugin file; another file is refused",
       [](QueueConfig& q, const std::string& v) {
         if (v.size() != 64 || v.find_first_not_of("0123456789abcdefABCDEF") != std::string::npos) {
           throw std::invalid_argument("expected 64 hexadecimal digits");
         }
         q.sha256 = v;
       }},
      {"migrations", "directory of the plugin's NNNN_name.sql database migrations",
       [](QueueConfig& q, const std::string& v) { q.migrations = v; }},
      {"ai.provider", "openai | gemini | claude | custom | local: this queue's AI provider",
       [](QueueConfig& q, const std::string& v) {
         q.aiProvider = aiProvider(v, true).empty() ? "local" : v;
       }},
      {"ai.model", "this queue's completion model (default: its provider's)",
       [](QueueConfig& q, const std::string& v) { q.aiModel = v; }},
      {"dead_letter",
       "queue that gets a copy of each job failed for good (docs/reliability.md; empty: none)",
       [](QueueConfig& q, const std::string& v) {
         if (v.find(':') != std::string::npos)
           throw std::invalid_argument("expected a queue name (it contains ':')");
         q.deadLetter = v;
       }},
      {"metrics.maxDataPoints", "collect BullMQ metrics with this many points (0: off)",
       [](QueueConfig& q, const std::string& v) { q.maxMetricsPoints = parseInt(v, 0, 1000000); }},
      {"isolation", "none | process: run the plugin in executor processes (docs/isolation.md)",
       [](QueueConfig& q, const std::string& v) {
         q.isolation.process = oneOf(v, {"none", "process"}) == "process";
       }},
      {"memory_limit_mb",
       "isolation=process: address space an executor may add (default 4 x the plugin's memory "
       "per job, at least 256)",
       [](QueueConfig& q, const std::string& v) {
         q.isolation.memoryLimitMb = static_cast<std::uint64_t>(parseInt(v, 16, 1 << 20));
       }},
      {"max_jobs_per_executor", "isolation=process: recycle an executor after N jobs (0: never)",
       [](QueueConfig& q, const std::string& v) {
         q.isolation.maxJobsPerExecutor = static_cast<std::uint64_t>(parseInt(v, 0, INT64_MAX));
       }},
      {"max_executor_rss_mb",
       "isolation=process: recycle an executor whose resident memory passed this (0: never)",
       [](QueueConfig& q, const std::string& v) {
         q.isolation.maxExecutorRssMb = static_cast<std::uint64_t>(parseInt(v, 0, 1 << 20));
       }},
      {"executor_idle_ms",
       "isolation=process: stop an idle executor (all but one) after this long (default 60000)",
       [](QueueConfig& q, const std::string& v) {
         q.isolation.executorIdleMs = parseInt(v, 100, 86400000);
       }},
      {"max_crashes",
       "isolation=process: executors a job may kill before it fails as a poison pill (default 3)",
       [](QueueConfig& q, const std::string& v) { q.isolation.maxCrashes = u32(v, 1, 1000); }},
  };
  return keys;
}

// ---- resolution ----

struct Entry {
  std::string value;
  std::string where;  // "REDIS_URL in the environment", "key 'redis.url' in file x"
  std::string key;
};

std::string describeOrigin(const Layer& layer, const std::string& key) {
  const auto spelled = layer.origin.find(key);
  if (spelled != layer.origin.end() && spelled->second != key) {
    return spelled->second + " (" + key + ") in the " + layer.source;
  }
  return "'" + key + "' in the " + layer.source;
}

// A value as it may be shown in an error: secrets not at all, URLs without their password.
std::string shown(const std::string& key, const std::string& value) {
  if (isSecretKey(key)) return "***";
  const auto scheme = value.find("://");
  const auto at = value.find('@', scheme == std::string::npos ? 0 : scheme + 3);
  if (scheme == std::string::npos || at == std::string::npos) return value;
  const auto colon = value.find(':', scheme + 3);
  if (colon == std::string::npos || colon > at) return value;
  return value.substr(0, colon + 1) + "***" + value.substr(at);
}

[[noreturn]] void refuse(const Entry& entry, const std::string& why) {
  throw ConfigError("invalid value for " + entry.where + ": '" + shown(entry.key, entry.value) +
                    "': " + why);
}

void applyQueueKey(std::map<std::string, QueueConfig>& queues, const std::string& key,
                   const Entry& entry) {
  // queue.NAME.OPTION
  const auto nameEnd = key.find('.', 6);
  if (nameEnd == std::string::npos || nameEnd == 6) {
    throw ConfigError("unknown config key " + entry.where + ": queue keys are queue.NAME.OPTION");
  }
  const std::string name = key.substr(6, nameEnd - 6);
  const std::string option = key.substr(nameEnd + 1);
  QueueConfig& queue = queues[name];
  queue.name = name;
  if (option.rfind("config.", 0) == 0 && option.size() > 7) {
    queue.pluginConfig[option.substr(7)] = entry.value;
    return;
  }
  for (const auto& spec : queueKeys()) {
    if (option != spec.option) continue;
    try {
      spec.set(queue, entry.value);
    } catch (const std::invalid_argument& e) {
      refuse(entry, e.what());
    }
    return;
  }
  throw ConfigError("unknown config key " + entry.where);
}

void finishQueues(Config& config, std::map<std::string, QueueConfig>& queues,
                  const std::map<std::string, Entry>& merged) {
  for (auto& [name, queue] : queues) {
    if (queue.plugin.empty()) {
      throw ConfigError("queue '" + name + "' has no plugin (set queue." + name + ".plugin)");
    }
    if (merged.count("queue." + name + ".lockRenewTime") == 0) {
      queue.lockRenewTimeMs = queue.lockDurationMs / 2;
    }
    if (queue.deadLetter == name) {
      throw ConfigError("queue '" + name +
                        "': dead_letter names the queue itself; give it a queue of its own");
    }
    if ((queue.limiterMax > 0) != (queue.limiterDurationMs > 0)) {
      throw ConfigError("queue '" + name +
                        "': limiter.max and limiter.duration must be set together");
    }
    config.queues.push_back(queue);
  }
}

std::string defaultWorkerId() {
  char host[256] = {0};
  ::gethostname(host, sizeof host - 1);
  return std::string(host) + "-" + std::to_string(::getpid());
}

void collectLeaves(const Poco::Util::AbstractConfiguration& ini, const std::string& prefix,
                   Layer& layer) {
  Poco::Util::AbstractConfiguration::Keys children;
  ini.keys(prefix, children);
  if (children.empty() && !prefix.empty()) {
    layer.values[prefix] = ini.getRawString(prefix);
    return;
  }
  for (const auto& child : children) {
    // Poco splits ".x" (a key or a [section] starting with '.') into "" and "x": at the top,
    // that "" would name the root again, and this recursion would never end.
    if (prefix.empty() && child.empty()) {
      throw ConfigError("a key or section name starts with '.'");
    }
    collectLeaves(ini, prefix.empty() ? child : prefix + "." + child, layer);
  }
}

}  // namespace

Layer fileLayer(const std::string& path) {
  Layer layer;
  layer.source = "file " + path;
  if (::access(path.c_str(), R_OK) != 0) throw ConfigError("cannot read config file " + path);
  try {
    Poco::AutoPtr<Poco::Util::IniFileConfiguration> ini(new Poco::Util::IniFileConfiguration(path));
    collectLeaves(*ini, "", layer);
  } catch (const Poco::Exception& e) {
    throw ConfigError("cannot parse config file " + path + ": " + e.displayText());
  } catch (const ConfigError& e) {
    throw ConfigError("cannot parse config file " + path + ": " + e.what());
  }
  return layer;
}

Layer environmentLayer(char** environ) {
  std::map<std::string, std::string> names;
  for (const auto& spec : globalKeys()) {
    if (spec.env != nullptr) names[spec.env] = spec.key;
  }
  names["WARREN_PROFILE"] = "node.profile";
  for (const auto& [key, env] : secretKeys()) names[env] = key;

  Layer layer;
  layer.source = "environment";
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    const std::string text = *entry;
    const auto eq = text.find('=');
    if (eq == std::string::npos) continue;
    const auto known = names.find(text.substr(0, eq));
    if (known == names.end()) continue;
    layer.values[known->second] = text.substr(eq + 1);
    layer.origin[known->second] = known->first;
  }
  return layer;
}

Layer commandLineLayer(const std::vector<std::string>& assignments) {
  Layer layer;
  layer.source = "command line";
  for (const auto& assignment : assignments) {
    const auto eq = assignment.find('=');
    if (eq == std::string::npos || eq == 0) {
      throw ConfigError("invalid --set '" + assignment + "': expected KEY=VALUE");
    }
    layer.values[assignment.substr(0, eq)] = assignment.substr(eq + 1);
  }
  return layer;
}

bool isSecretKey(const std::string& key) {
  if (key == "admin.token" || key == "redis.password" || key == "redis.sentinel_password")
    return true;
  for (const auto& [secret, env] : secretKeys()) {
    if (key == secret) return key != "ai.provider" && key != "s3.endpoint" && key != "s3.bucket";
  }
  return false;
}

Config resolve(const std::vector<Layer>& layers) {
  std::map<std::string, Entry> merged;
  for (const auto& layer : layers) {
    for (const auto& [key, value] : layer.values)
      merged[key] = {value, describeOrigin(layer, key), key};
  }
  Config config;
  std::map<std::string, QueueConfig> queues;
  // Not a structured binding: clang before 16 cannot capture one in the lambdas below (the fuzz
  // build, tests/fuzz, compiles this file with clang 14).
  for (const auto& item : merged) {
    const std::string& key = item.first;
    const Entry& entry = item.second;
    if (key.rfind("queue.", 0) == 0) {
      applyQueueKey(queues, key, entry);
      continue;
    }
    if (const std::string prefix = "http.client.rate_limit."; key.rfind(prefix, 0) == 0) {
      if (key.size() == prefix.size()) refuse(entry, "name the host: " + prefix + "HOST");
      config.httpClient.rateLimits[key.substr(prefix.size())] = entry.value;
      continue;
    }
    const auto spec = std::find_if(globalKeys().begin(), globalKeys().end(),
                                   [&](const KeySpec& s) { return key == s.key; });
    if (spec != globalKeys().end()) {
      try {
        spec->set(config, entry.value);
      } catch (const std::invalid_argument& e) {
        refuse(entry, e.what());
      }
      continue;
    }
    try {
      if (applyAiProviderKey(config, key, entry.value)) continue;
      if (key == "ai.provider") aiProvider(entry.value, true);
    } catch (const std::invalid_argument& e) {
      refuse(entry, e.what());
    }
    const bool secret = std::any_of(secretKeys().begin(), secretKeys().end(),
                                    [&](const auto& s) { return key == s.first; });
    if (!secret) throw ConfigError("unknown config key " + entry.where);
    config.secrets[key] = entry.value;
  }
  if (config.workerId.empty()) config.workerId = defaultWorkerId();
  config.profileSet = merged.count("node.profile") > 0;
  config.tierSet = merged.count("node.tier") > 0;
  if (merged.count("log.level") == 0) {
    config.logLevel = config.profile == "production" ? "warn"
                      : config.profile == "staging"  ? "info"
                                                     : "debug";
  }
  finishQueues(config, queues, merged);
  finishAi(config);
  return config;
}

std::vector<std::pair<std::string, std::string>> describeKeys() {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& spec : globalKeys()) {
    out.emplace_back(std::string(spec.key) + (spec.env ? std::string(" (") + spec.env + ")" : ""),
                     spec.help);
  }
  for (const auto& [key, env] : secretKeys()) {
    const std::string user =
        std::string(key).rfind("ai.", 0) == 0 ? "for the AI service (docs/ai.md)" : "for plugins";
    out.emplace_back(std::string(key) + " (" + env + ")",
                     isSecretKey(key) ? user + "; secret, never logged" : user);
  }
  for (const auto& spec : queueKeys()) {
    out.emplace_back(std::string("queue.NAME.") + spec.option, spec.help);
  }
  out.emplace_back("queue.NAME.config.KEY", "plugin config, checked against its schema");
  out.emplace_back("http.client.rate_limit.HOST",
                   "outbound HTTP rate limit for HOST, e.g. 5/s or 300/min burst 10");
  out.emplace_back("ai.PROVIDER.model",
                   "completion model of PROVIDER (openai, gemini, claude, custom) when it serves "
                   "as a fallback or a queue's provider");
  out.emplace_back("ai.PROVIDER.embedding_model", "embedding model of PROVIDER");
  out.emplace_back("ai.PROVIDER.concurrency",
                   "AI calls at once to PROVIDER on this node (0: no limit)");
  out.emplace_back("ai.PROVIDER.requests_per_minute",
                   "requests a minute to PROVIDER (0: no limit)");
  out.emplace_back("ai.PROVIDER.tokens_per_minute",
                   "tokens a minute to PROVIDER, estimated before each call (0: no limit)");
  return out;
}

}  // namespace warren::config
