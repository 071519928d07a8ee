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

namespace {

// REDIS_URL, or the embedded server's socket when it is unset.
std::string redisUrlText(const config::Config& config) {
  if (!config.redisUrl.empty()) return config.redisUrl;
  // A node on embedded defaults: its private server's socket in the data directory.
  const auto dataDir = lifecycle::dataDirectory(config.dataDir);
  const auto socket = lifecycle::EmbeddedRedis::socketPath(dataDir);
  if (!lifecycle::EmbeddedRedis::running(dataDir)) {
    throw config::ConfigError(
        "REDIS_URL is not set; give the Redis of the queues (REDIS_URL=redis://host:6379, or "
        "redis.url in the config file or with --set), or start `warren run` on embedded "
        "defaults first");
  }
  return "unix://" + socket.string();
}

// redis.cluster on a plain URL: its server is the seed node.
void makeCluster(redis::Topology& topology) {
  using Mode = redis::Topology::Mode;
  if (topology.mode == Mode::cluster) return;
  if (topology.mode == Mode::sentinel)
    throw config::ConfigError("redis.cluster cannot be combined with Sentinels");
  if (topology.server.unix)
    throw config::ConfigError("redis.cluster needs a TCP URL (redis:// or rediss://), not unix://");
  if (topology.server.db != 0)
    throw config::ConfigError("a Redis Cluster has only database 0 (the URL selects " +
                              std::to_string(topology.server.db) + ")");
  topology.mode = Mode::cluster;
  topology.seeds = {redis::Address{topology.server.host, topology.server.port}};
}

}  // namespace

redis::Topology redisTopology(const config::Config& config) {
  using Mode = redis::Topology::Mode;
  redis::Topology topology;
  try {
    if (!config.redisSentinels.empty()) {
      if (!config.redisUrl.empty())
        throw config::ConfigError(
            "set either redis.url or redis.sentinels (with redis.sentinel_master), not both");
      topology = redis::Topology::sentinels(config.redisSentinels, config.redisSentinelMaster);
    } else {
      topology = redis::Topology::parse(redisUrlText(config));
    }
  } catch (const std::invalid_argument& e) {
    throw config::ConfigError(e.what());
  }
  if (!config.redisSentinelMaster.empty() && topology.mode == Mode::sentinel &&
      topology.masterName != config.redisSentinelMaster)
    throw config::ConfigError("redis.sentinel_master '" + config.redisSentinelMaster +
                              "' differs from the master '" + topology.masterName +
                              "' of the redis+sentinel:// URL");
  if (!config.redisSentinelMaster.empty() && topology.mode != Mode::sentinel)
    throw config::ConfigError(
        "redis.sentinel_master is set but no Sentinels are configured (redis.sentinels, or a "
        "redis+sentinel:// URL)");
  if (config.redisCluster) makeCluster(topology);
  if (config.redisTls) topology.server.tls = true;
  if (topology.server.user.empty() && topology.server.password.empty()) {
    topology.server.user = config.redisUser;
    topology.server.password = config.redisPassword;
  }
  topology.sentinelUser = config.redisSentinelUser;
  topology.sentinelPassword = config.redisSentinelPassword;
  return topology;
}

std::shared_ptr<redis::Servers> redisServers(const config::Config& config) {
  return std::make_shared<redis::Servers>(redisTopology(config), redisOptions(config),
                                          [](const std::string& message) { log::warn(message); });
}

redis::ConnectionOptions redisOptions(const config::Config& config) {
  redis::ConnectionOptions options;
  options.connectTimeout = std::chrono::milliseconds(config.redisConnectTimeoutMs);
  options.commandTimeout = std::chrono::milliseconds(config.redisCommandTimeoutMs);
  options.caFile = config.redisCaFile;
  options.useFunctions = config.redisFunctions;
  return options;
}

std::unique_ptr<redis::Connection> connectToRedis(const config::Config& config,
                                                  const std::string& key) {
  redis::ConnectionOptions options = redisOptions(config);
  options.autoReconnect = true;
  // The connection's locator keeps what it needs of `servers` alive.
  const auto servers = redisServers(config);
  return std::make_unique<redis::Connection>(servers->url(), servers->optionsFor(key, options));
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
  if (!config.redisPassword.empty()) log::addSecret(config.redisPassword);
  if (!config.redisSentinelPassword.empty()) log::addSecret(config.redisSentinelPassword);
  log::configure(
      {"warren", config.appVersion.empty() ? WARREN_VERSION : config.appVersion, config.workerId},
      log::parseLevel(config.logLevel));
}

}  // namespace warren::app
