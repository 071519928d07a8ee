#include "app/Services.h"

#include "ai/AiApi.h"
#include "ai/Settings.h"

#include "lifecycle/EmbeddedRedis.h"
#include "log/Log.h"
#include "metrics/Registry.h"
#include "outbound/HttpOptions.h"
#include "outbound/HttpService.h"
#include "plugins/HostApi.h"
#include "services/DbService.h"
#include "sizing/Profiles.h"
#include "storage/StorageService.h"

#include <stdexcept>

namespace warren::app {
namespace {

std::string secret(const config::Config& config, const std::string& key) {
  const auto it = config.secrets.find(key);
  return it == config.secrets.end() ? std::string() : it->second;
}

std::unique_ptr<db::Database> openDatabase(const config::Config& config, std::uint32_t queues,
                                           std::uint32_t slots) {
  db::Options options;
  options.url = config.databaseUrl;
  options.replicaUrl = config.databaseReplicaUrl;
  options.dataDir = lifecycle::dataDirectory(config.dataDir).string();
  options.poolSize = config.databasePoolSize;
  if (options.poolSize == 0 && config.profileSet) {
    options.poolSize = sizing::profileDefaults(config.profile).dbPoolSize;
  }
  queues = std::max<std::uint32_t>(queues, 1);
  options.workers = queues;
  options.concurrency = std::max<std::uint32_t>((slots + queues - 1) / queues, 1);
  auto database = std::make_unique<db::Database>(options);
  const db::MigrationReport report = database->runHostMigrations();
  if (!report.ok) {
    // A database down at start-up does not stop the queues that do not need it; /health says
    // so, and plugins get errors as values until it is back.
    log::error("host database migrations failed", {{"error", report.error}});
  }
  return database;
}

std::unique_ptr<outbound::HttpClient> openHttp(const config::Config& config) {
  const config::HttpClientConfig& c = config.httpClient;
  outbound::HttpOptions options;
  options.requestTimeout = std::chrono::milliseconds(c.timeoutMs);
  options.connectTimeout = std::chrono::milliseconds(c.connectTimeoutMs);
  options.maxAttempts = c.maxAttempts;
  options.caFile = c.caFile;
  options.maxResponseBytes = static_cast<std::size_t>(c.maxResponseBytes);
  try {
    for (const auto& [host, limit] : c.rateLimits) {
      options.rateLimits[host] = outbound::parseRateLimit(limit);
    }
    if (!c.defaultRateLimit.empty()) {
      options.defaultRateLimit = outbound::parseRateLimit(c.defaultRateLimit);
    }
    return std::make_unique<outbound::HttpClient>(options);
  } catch (const std::invalid_argument& e) {
    throw config::ConfigError(std::string("invalid http.client settings: ") + e.what());
  }
}

std::unique_ptr<storage::Store> openStorage(const config::Config& config) {
  const config::StorageConfig& c = config.storage;
  storage::StorageOptions options;
  options.localRoot = c.localDir.empty()
                          ? (lifecycle::dataDirectory(config.dataDir) / "objects").string()
                          : c.localDir;
  options.endpoint = secret(config, "s3.endpoint");
  options.bucket = secret(config, "s3.bucket");
  options.accessKey = secret(config, "s3.access_key");
  options.secretKey = secret(config, "s3.secret_key");
  if (!options.secretKey.empty()) log::addSecret(options.secretKey);
  options.region = c.region;
  options.pathStyle = c.pathStyle;
  options.caFile = c.caFile;
  options.multipartThresholdBytes = c.multipartThresholdMb << 20;
  options.partSizeBytes = c.partSizeMb << 20;
  options.maxAttempts = static_cast<int>(c.maxAttempts);
  options.timeoutMs = c.timeoutMs;
  try {
    auto store = storage::makeStore(options);
    log::info("object storage", {{"backend", store->description()}});
    return store;
  } catch (const storage::StorageError& e) {
    throw config::ConfigError(std::string("object storage: ") + e.what());
  }
}

std::unique_ptr<ai::AiService> openAi(const config::Config& config, Services& services) {
  auto service = std::make_unique<ai::AiService>(ai::settingsFrom(config), *services.http,
                                                 services.storage.get(), metrics::registry());
  const ai::Settings& s = service->settings();
  if (s.provider) {
    log::info("ai service", {{"provider", std::string(ai::providerName(*s.provider))},
                             {"model", s.of(*s.provider).model}});
  }
  if (s.provider && !service->available("", WARREN_AI_EMBED)) {
    log::warn("ai service: no embeddings (the provider has none; set ai.embedding_provider)",
              {{"provider", std::string(ai::providerName(*s.provider))}});
  }
  return service;
}

}  // namespace

Services openServices(const config::Config& config, std::uint32_t queues, std::uint32_t slots) {
  Services services;
  services.database = openDatabase(config, queues, slots);
  services.http = openHttp(config);
  services.storage = openStorage(config);
  services.ai = openAi(config, services);
  plugins::OptionalServices table;
  table.db = services::dbApi(*services.database);
  table.http = outbound::httpApi(*services.http);
  table.storage = storage::storageApi(*services.storage);
  table.ai = ai::aiApi(*services.ai);
  plugins::installServices(table);
  return services;
}

}  // namespace warren::app
