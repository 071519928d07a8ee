// Configuration and logging set-up shared by the subcommands.
#include "app/Commands.h"
#include "lifecycle/EmbeddedRedis.h"
#include "log/Log.h"

extern char** environ;

namespace warren::app {
namespace {

// In single-queue mode (--plugin/--queue), `--set queue.OPTION=V` means that queue.
std::string scopeToQueue(const std::string& assignment, const std::string& queue) {
  const std::string prefix = "queue.";
  if (queue.empty() || assignment.rfind(prefix, 0) != 0) return assignment;
  if (assignment.rfind(prefix + queue + ".", 0) == 0) return assignment;
  return prefix + queue + "." + assignment.substr(prefix.size());
}

std::filesystem::path executableDir() {
  std::error_code error;
  const std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", error);
  return error ? std::filesystem::current_path() : exe.parent_path();
}

}  // namespace

std::filesystem::path defaultPluginDir() {
  // Installed (PREFIX/bin/warren) and build tree (build/bin/warren) share this layout.
  return executableDir().parent_path() / "lib" / "warren" / "plugins";
}

config::Config loadConfig(const Options& options) {
  std::vector<config::Layer> layers;
  std::string file = options.configFile;
  if (const char* env = std::getenv("WARREN_CONFIG"); file.empty() && env != nullptr) file = env;
  if (!file.empty()) layers.push_back(config::fileLayer(file));
  layers.push_back(config::environmentLayer(environ));

  std::vector<std::string> sets;
  if (!options.plugin.empty() || !options.queue.empty()) {
    if (options.plugin.empty() || options.queue.empty()) {
      throw config::ConfigError("--plugin and --queue go together");
    }
    sets.push_back("queue." + options.queue + ".plugin=" + options.plugin);
    if (options.concurrency) {
      sets.push_back("queue." + options.queue + ".concurrency=" + *options.concurrency);
    }
  } else if (options.concurrency) {
    throw config::ConfigError("--concurrency goes with --plugin and --queue");
  }
  if (options.logLevel) sets.push_back("log.level=" + *options.logLevel);
  for (const auto& set : options.sets) sets.push_back(scopeToQueue(set, options.queue));
  layers.push_back(config::commandLineLayer(sets));

  config::Config config = config::resolve(layers);
  if (config.pluginDir.empty()) config.pluginDir = defaultPluginDir().string();
  return config;
}

redis::Url redisUrl(const config::Config& config) {
  std::string text = config.redisUrl;
  if (text.empty()) {
    // A node on embedded defaults: its private server's socket in the data directory.
    const auto dataDir = lifecycle::dataDirectory(config.dataDir);
    const auto socket = lifecycle::EmbeddedRedis::socketPath(dataDir);
    if (!lifecycle::EmbeddedRedis::running(dataDir)) {
      throw config::ConfigError(
          "REDIS_URL is not set; give the Redis of the queues (REDIS_URL=redis://host:6379, or "
          "redis.url in the config file or with --set), or start `warren run` on embedded "
          "defaults first");
    }
    text = "unix://" + socket.string();
  }
  try {
    redis::Url url = redis::Url::parse(text);
    if (config.redisTls) url.tls = true;
    return url;
  } catch (const std::invalid_argument& e) {
    throw config::ConfigError(e.what());
  }
}

redis::ConnectionOptions redisOptions(const config::Config& config) {
  redis::ConnectionOptions options;
  options.connectTimeout = std::chrono::milliseconds(config.redisConnectTimeoutMs);
  options.commandTimeout = std::chrono::milliseconds(config.redisCommandTimeoutMs);
  options.caFile = config.redisCaFile;
  options.useFunctions = config.redisFunctions;
  return options;
}

std::unique_ptr<redis::Connection> connectToRedis(const config::Config& config) {
  redis::ConnectionOptions options = redisOptions(config);
  options.autoReconnect = true;
  return std::make_unique<redis::Connection>(redisUrl(config), options);
}

std::map<std::string, std::string> pluginSecrets(const config::Config& config) {
  std::map<std::string, std::string> out;
  for (const auto& [key, value] : config.secrets) {
    if (key.rfind("security.", 0) == 0) out[key] = value;
  }
  return out;
}

void setUpLogging(const config::Config& config) {
  for (const auto& [key, value] : config.secrets) {
    if (config::isSecretKey(key)) log::addSecret(value);
  }
  if (!config.adminToken.empty()) log::addSecret(config.adminToken);
  log::configure(
      {"warren", config.appVersion.empty() ? WARREN_VERSION : config.appVersion, config.workerId},
      log::parseLevel(config.logLevel));
}

}  // namespace warren::app
