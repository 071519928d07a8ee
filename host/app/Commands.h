// The subcommands of the warren executable. Each returns the process exit code.
#pragma once

#include "app/Options.h"
#include "config/Config.h"
#include "redis/Connection.h"
#include "redis/Servers.h"

#include <filesystem>
#include <map>
#include <memory>

namespace warren::redis {
class Connection;
}

namespace warren::app {

constexpr int kExitOk = 0;
constexpr int kExitFailed = 1;   // a job failed (enqueue --wait) or a command did not succeed
constexpr int kExitRefused = 2;  // a plugin was refused
constexpr int kExitUsage = 64;   // bad command line
constexpr int kExitConfig = 78;  // bad configuration

// Resolves the layered configuration (file → environment → command line).
config::Config loadConfig(const Options& options);
// Where plugins are found by name when the config does not say.
std::filesystem::path defaultPluginDir();
// Sets up JSON logging from the resolved configuration.
void setUpLogging(const config::Config& config);
// The node-level values a plugin may declare as its own config keys (security.*, e.g.
// security.encryption_key from ENCRYPTION_KEY): plugins::GenerationSpec::inherited.
std::map<std::string, std::string> pluginSecrets(const config::Config& config);

int runCommand(const Options& options);
// warren demo: the content pipeline offline (pipelineDemo); --basic: the echo and video batch.
int demoCommand(const Options& options);
int pipelineDemo(const Options& options);
int basicDemo(const Options& options);
int pluginsCommand(const Options& options);
// warren enqueue QUEUE NAME [--data JSON] [--opts JSON] [--wait]
int enqueueCommand(const Options& options);
// enqueue, status, plan: a connection to the Redis of the configuration, serving the keys of
// `key` (a queue's "<prefix>:<queue>:"; it matters on a Redis Cluster). Throws
// config::ConfigError when REDIS_URL is unset or not a valid URL, redis::ConnectionError when it
// cannot be reached.
std::unique_ptr<redis::Connection> connectToRedis(const config::Config& config,
                                                  const std::string& key = "");
// The Redis of the config: REDIS_URL (any form, docs/redis-ha.md), redis.sentinels, else the
// embedded server of the data directory. Throws config::ConfigError.
redis::Topology redisTopology(const config::Config& config);
// The live view of it (Sentinel: watching for switches; Cluster: the slot map, read now).
std::shared_ptr<redis::Servers> redisServers(const config::Config& config);
redis::ConnectionOptions redisOptions(const config::Config& config);
// warren status [QUEUE...]
int statusCommand(const Options& options);
// warren plan --posts-per-day N [--materials-per-day M] [--observed] [--json]
int planCommand(const Options& options);
// warren call PLUGIN JOB_NAME [--data JSON|-|@FILE] [--queue Q]: one job in-process, no Redis.
int callCommand(const Options& options);
// warren accounts add|list|disable|reauth|reencrypt (the publish plugin's accounts:* jobs).
int accountsCommand(const Options& options);
// warren drain [--timeout S] (drain = true) and warren resume, through the local admin API.
int drainCommand(const Options& options, bool drain);
// warren cancel QUEUE ID [--reason TEXT]
int cancelCommand(const Options& options);
// warren dlq list|replay|purge QUEUE [--id ID]
int dlqCommand(const Options& options);

}  // namespace warren::app
