// Layered configuration: file < environment < command line, the environment names of the
// deployment, [queue.NAME] sections, and refusals that name the key and where it came from.
#include "TempDir.h"

#include "config/Config.h"

#include <gtest/gtest.h>

#include <regex>

namespace warren::test {
namespace {

using config::Config;
using config::ConfigError;
using config::Layer;

// A fake environ: owns the strings and the NULL-terminated pointer array.
class FakeEnvironment {
 public:
  FakeEnvironment(std::initializer_list<std::string> entries) : entries_(entries) {
    for (auto& entry : entries_) pointers_.push_back(entry.data());
    pointers_.push_back(nullptr);
  }
  char** get() { return pointers_.data(); }

 private:
  std::vector<std::string> entries_;
  std::vector<char*> pointers_;
};

class ConfigLayers : public ::testing::Test {
 protected:
  Layer file(const std::string& ini) {
    writeFile(path_, ini);
    return config::fileLayer(path_.string());
  }
  static Layer env(FakeEnvironment environment) {
    return config::environmentLayer(environment.get());
  }
  static Layer cli(const std::vector<std::string>& sets) { return config::commandLineLayer(sets); }
  static std::string refusal(const std::vector<Layer>& layers) {
    try {
      config::resolve(layers);
    } catch (const ConfigError& e) {
      return e.what();
    }
    return "";
  }
  TempDir dir_;
  std::filesystem::path path_ = dir_ / "warren.ini";
};

TEST_F(ConfigLayers, LaterLayersWin) {
  const Layer f = file("[log]\nlevel = error\n[node]\nid = from-file\ntier = small\n");
  const Layer e = env({"LOG_LEVEL=warn", "WORKER_ID=from-env"});
  const Layer c = cli({"log.level=debug"});
  const Config all = config::resolve({f, e, c});
  EXPECT_EQ(all.logLevel, "debug");
  EXPECT_EQ(all.workerId, "from-env");
  EXPECT_EQ(all.tier, "small");
  EXPECT_EQ(config::resolve({f, e}).logLevel, "warn");
  EXPECT_EQ(config::resolve({f}).logLevel, "error");
  EXPECT_EQ(config::resolve({f}).workerId, "from-file");
}

TEST_F(ConfigLayers, EnvironmentNamesOfTheDeployment) {
  const Config c = config::resolve({env({
      "REDIS_URL=rediss://redis.internal:6380",
      "REDIS_TLS=yes",
      "LOG_LEVEL=error",
      "WORKER_ID=worker-7",
      "NODE_ENV=staging",
      "WORKER_CONCURRENCY=12",
      "DATABASE_URL=postgres://db/warren",
      "DATABASE_REPLICA_URL=postgres://replica/warren",
      "DATABASE_POOL_SIZE=8",
      "APP_VERSION=2024.11.3",
      "WARREN_TIER=large",
      "SHUTDOWN_TIMEOUT_MS=5000",
      "HTTP_PORT=9464",
      "AI_PROVIDER=local",
      "GEMINI_API_KEY=g-key",
      "OPENAI_API_KEY=o-key",
      "ANTHROPIC_API_KEY=a-key",
      "S3_ENDPOINT=http://127.0.0.1:4569",
      "S3_BUCKET=media",
      "S3_ACCESS_KEY=access",
      "S3_SECRET_KEY=secret",
      "ENCRYPTION_KEY=enc",
      "UNRELATED_VARIABLE=ignored",
      "HOME=/root",
  })});
  EXPECT_EQ(c.redisUrl, "rediss://redis.internal:6380");
  EXPECT_TRUE(c.redisTls);
  EXPECT_EQ(c.logLevel, "error");
  EXPECT_EQ(c.workerId, "worker-7");
  EXPECT_EQ(c.profile, "staging");
  EXPECT_EQ(c.concurrency, 12u);
  EXPECT_EQ(c.databaseUrl, "postgres://db/warren");
  EXPECT_EQ(c.databaseReplicaUrl, "postgres://replica/warren");
  EXPECT_EQ(c.databasePoolSize, 8u);
  EXPECT_EQ(c.appVersion, "2024.11.3");
  EXPECT_EQ(c.tier, "large");
  EXPECT_EQ(c.shutdownTimeoutMs, 5000);
  EXPECT_EQ(c.httpPort, 9464u);
  EXPECT_EQ(c.secrets, (std::map<std::string, std::string>{
                           {"ai.provider", "local"},
                           {"ai.gemini_api_key", "g-key"},
                           {"ai.openai_api_key", "o-key"},
                           {"ai.anthropic_api_key", "a-key"},
                           {"s3.endpoint", "http://127.0.0.1:4569"},
                           {"s3.bucket", "media"},
                           {"s3.access_key", "access"},
                           {"s3.secret_key", "secret"},
                           {"security.encryption_key", "enc"},
                       }));
}

TEST_F(ConfigLayers, WarrenProfileIsAnAliasOfNodeEnv) {
  EXPECT_EQ(config::resolve({env({"WARREN_PROFILE=production"})}).profile, "production");
}

TEST_F(ConfigLayers, ProfileSetsTheDefaultLogLevel) {
  EXPECT_EQ(config::resolve({env({"NODE_ENV=production"})}).logLevel, "warn");
  EXPECT_EQ(config::resolve({env({"NODE_ENV=staging"})}).logLevel, "info");
  EXPECT_EQ(config::resolve({env({"NODE_ENV=development"})}).logLevel, "debug");
  EXPECT_EQ(config::resolve({env({"NODE_ENV=production", "LOG_LEVEL=trace"})}).logLevel, "trace");
}

TEST_F(ConfigLayers, Defaults) {
  const Config c = config::resolve({});
  EXPECT_EQ(c.profile, "development");
  EXPECT_EQ(c.tier, "standard");
  EXPECT_EQ(c.redisUrl, "");
  EXPECT_EQ(c.redisPrefix, "bull");
  EXPECT_EQ(c.httpHost, "127.0.0.1");
  EXPECT_EQ(c.httpPort, 0u);
  EXPECT_EQ(c.shutdownTimeoutMs, 30000);
  EXPECT_TRUE(c.queues.empty());
  EXPECT_TRUE(std::regex_match(c.workerId, std::regex(".+-[0-9]+"))) << c.workerId;
}

// ---- refusals ----

TEST_F(ConfigLayers, UnknownKeyInTheFileNamesKeyAndFile) {
  EXPECT_EQ(refusal({file("[node]\nbogus = 1\n")}),
            "unknown config key 'node.bogus' in the file " + path_.string());
}

TEST_F(ConfigLayers, UnknownKeyOnTheCommandLine) {
  EXPECT_EQ(refusal({cli({"redis.uri=redis://x"})}),
            "unknown config key 'redis.uri' in the command line");
}

TEST_F(ConfigLayers, InvalidValueFromTheEnvironmentNamesTheVariable) {
  EXPECT_EQ(refusal({env({"WORKER_CONCURRENCY=lots"})}),
            "invalid value for WORKER_CONCURRENCY (node.concurrency) in the environment: 'lots': "
            "expected a whole number from 0 to 100000");
  EXPECT_EQ(
      refusal({env({"REDIS_URL=http://cache:6379"})}),
      "invalid value for REDIS_URL (redis.url) in the environment: 'http://cache:6379': "
      "expected a redis://, rediss://, unix://, redis[s]+sentinel:// or redis[s]+cluster:// URL");
  EXPECT_EQ(refusal({env({"NODE_ENV=prod"})}),
            "invalid value for NODE_ENV (node.profile) in the environment: 'prod': expected one "
            "of development, staging, production");
  EXPECT_EQ(refusal({env({"REDIS_TLS=maybe"})}),
            "invalid value for REDIS_TLS (redis.tls) in the environment: 'maybe': expected true "
            "or false");
}

TEST_F(ConfigLayers, InvalidValueFromTheFile) {
  EXPECT_EQ(refusal({file("[log]\nlevel = loud\n")}),
            "invalid value for 'log.level' in the file " + path_.string() +
                ": 'loud': expected one of trace, debug, info, warn, error, off");
  EXPECT_EQ(refusal({file("[http]\nport = 70000\n")}),
            "invalid value for 'http.port' in the file " + path_.string() +
                ": '70000': expected a whole number from 0 to 65535");
  EXPECT_EQ(refusal({file("[redis]\nprefix = a:b\n")}),
            "invalid value for 'redis.prefix' in the file " + path_.string() +
                ": 'a:b': expected a non-empty prefix without ':'");
}

TEST_F(ConfigLayers, TheLayerThatWinsIsTheOneBlamed) {
  // The file's value is fine, but the command line overrides it with a bad one.
  EXPECT_EQ(refusal({file("[log]\nlevel = info\n"), cli({"log.level=chatty"})}),
            "invalid value for 'log.level' in the command line: 'chatty': expected one of "
            "trace, debug, info, warn, error, off");
}

TEST_F(ConfigLayers, MalformedCommandLineAssignment) {
  try {
    cli({"log.level"});
    FAIL() << "expected ConfigError";
  } catch (const ConfigError& e) {
    EXPECT_STREQ(e.what(), "invalid --set 'log.level': expected KEY=VALUE");
  }
  EXPECT_THROW(cli({"=debug"}), ConfigError);
}

TEST_F(ConfigLayers, UnreadableFile) {
  try {
    config::fileLayer("/nonexistent/warren.ini");
    FAIL() << "expected ConfigError";
  } catch (const ConfigError& e) {
    EXPECT_STREQ(e.what(), "cannot read config file /nonexistent/warren.ini");
  }
}

// Found by the config fuzz target (tests/fuzz/Config.cpp): Poco names the part before a
// leading '.' "", which made the file reader recurse on the root until the stack overflowed.
TEST_F(ConfigLayers, KeyOrSectionStartingWithADotIsRefused) {
  for (const std::string ini : {"[.queue]\nplugin = echo\n", ".plugin = echo\n"}) {
    try {
      file(ini);
      FAIL() << "expected ConfigError for " << ini;
    } catch (const ConfigError& e) {
      EXPECT_EQ(e.what(), "cannot parse config file " + path_.string() +
                              ": a key or section name starts with '.'");
    }
  }
  // Inside a key, an empty part is only an odd name, refused as unknown like any other.
  EXPECT_THROW(config::resolve({file("[node]\n.id = x\n")}), ConfigError);
}

// ---- queues ----

TEST_F(ConfigLayers, QueueSectionsInTheFile) {
  const Config c = config::resolve({file(R"(
[queue.emails]
plugin = echo
concurrency = 4
weight = 20
lockDuration = 60000
limiter.max = 10
limiter.duration = 1000
removeOnComplete = {"age":3600,"count":100}
config.log_prefix = [emails]

[queue.thumbs]
plugin = /opt/plugins/video.so
timeout = 120000
)")});
  ASSERT_EQ(c.queues.size(), 2u);
  const config::QueueConfig& emails = c.queues[0];
  EXPECT_EQ(emails.name, "emails");
  EXPECT_EQ(emails.plugin, "echo");
  EXPECT_EQ(emails.concurrency, 4u);
  EXPECT_EQ(emails.weight, 20u);
  EXPECT_EQ(emails.lockDurationMs, 60000);
  EXPECT_EQ(emails.lockRenewTimeMs, 30000) << "half the lock duration unless set";
  EXPECT_EQ(emails.limiterMax, 10);
  EXPECT_EQ(emails.limiterDurationMs, 1000);
  EXPECT_EQ(emails.removeOnComplete, R"({"age":3600,"count":100})");
  EXPECT_EQ(emails.pluginConfig, (std::map<std::string, std::string>{{"log_prefix", "[emails]"}}));
  const config::QueueConfig& thumbs = c.queues[1];
  EXPECT_EQ(thumbs.name, "thumbs");
  EXPECT_EQ(thumbs.plugin, "/opt/plugins/video.so");
  EXPECT_EQ(thumbs.timeoutMs, 120000);
  EXPECT_EQ(thumbs.concurrency, 0u) << "0: the plugin's default";
  EXPECT_EQ(thumbs.lockDurationMs, 30000);
}

TEST_F(ConfigLayers, CommandLineOverridesAQueueOfTheFile) {
  const Config c =
      config::resolve({file("[queue.emails]\nplugin = echo\nconcurrency = 4\n"),
                       cli({"queue.emails.concurrency=9", "queue.emails.lockRenewTime=1000"})});
  ASSERT_EQ(c.queues.size(), 1u);
  EXPECT_EQ(c.queues[0].concurrency, 9u);
  EXPECT_EQ(c.queues[0].lockRenewTimeMs, 1000);
}

TEST_F(ConfigLayers, QueueRefusals) {
  EXPECT_EQ(refusal({file("[queue.emails]\nconcurrency = 4\n")}),
            "queue 'emails' has no plugin (set queue.emails.plugin)");
  EXPECT_EQ(refusal({file("[queue.emails]\nplugin = echo\ncolour = red\n")}),
            "unknown config key 'queue.emails.colour' in the file " + path_.string());
  EXPECT_EQ(refusal({file("[queue.emails]\nplugin = echo\nconcurrency = -1\n")}),
            "invalid value for 'queue.emails.concurrency' in the file " + path_.string() +
                ": '-1': expected a whole number from 0 to 10000");
  EXPECT_EQ(refusal({cli({"queue.emails.plugin=echo", "queue.emails.limiter.max=5"})}),
            "queue 'emails': limiter.max and limiter.duration must be set together");
  EXPECT_EQ(refusal({cli({"queue.emails=echo"})}),
            "unknown config key 'queue.emails' in the command line: queue keys are "
            "queue.NAME.OPTION");
  EXPECT_EQ(refusal({cli({"queue.e.plugin=echo", "queue.e.removeOnFail=sometimes"})}),
            "invalid value for 'queue.e.removeOnFail' in the command line: 'sometimes': "
            R"(expected true, false, a count, or {"age":SECONDS,"count":N})");
  EXPECT_EQ(refusal({cli({"queue.e.plugin=echo", "queue.e.dead_letter=e"})}),
            "queue 'e': dead_letter names the queue itself; give it a queue of its own");
  EXPECT_EQ(refusal({cli({"queue.e.plugin=echo", "queue.e.dead_letter=a:b"})}),
            "invalid value for 'queue.e.dead_letter' in the command line: 'a:b': expected a "
            "queue name (it contains ':')");
}

TEST_F(ConfigLayers, DeadLetterQueue) {
  const Config c = config::resolve({cli({"queue.e.plugin=echo", "queue.e.dead_letter=e-dead"})});
  ASSERT_EQ(c.queues.size(), 1u);
  EXPECT_EQ(c.queues[0].deadLetter, "e-dead");
  EXPECT_EQ(config::resolve({cli({"queue.e.plugin=echo"})}).queues[0].deadLetter, "")
      << "none by default";
}

TEST_F(ConfigLayers, IsolationKeysOfAQueue) {
  const Config c = config::resolve(
      {file("[queue.video]\nplugin = video\nisolation = process\nmemory_limit_mb = 2048\n"
            "max_jobs_per_executor = 500\nmax_executor_rss_mb = 1500\nexecutor_idle_ms = 1000\n"
            "max_crashes = 2\n[queue.emails]\nplugin = echo\n")});
  ASSERT_EQ(c.queues.size(), 2u);
  const auto& video = c.queues[0].name == "video" ? c.queues[0] : c.queues[1];
  const auto& emails = c.queues[0].name == "video" ? c.queues[1] : c.queues[0];
  EXPECT_TRUE(video.isolation.process);
  EXPECT_EQ(video.isolation.memoryLimitMb, 2048u);
  EXPECT_EQ(video.isolation.maxJobsPerExecutor, 500u);
  EXPECT_EQ(video.isolation.maxExecutorRssMb, 1500u);
  EXPECT_EQ(video.isolation.executorIdleMs, 1000);
  EXPECT_EQ(video.isolation.maxCrashes, 2u);
  // The defaults: in process; for process isolation, no recycling, a minute idle, 3 crashes.
  EXPECT_FALSE(emails.isolation.process);
  EXPECT_EQ(emails.isolation.memoryLimitMb, 0u);
  EXPECT_EQ(emails.isolation.maxJobsPerExecutor, 0u);
  EXPECT_EQ(emails.isolation.executorIdleMs, 60000);
  EXPECT_EQ(emails.isolation.maxCrashes, 3u);
  EXPECT_EQ(refusal({cli({"queue.e.plugin=echo", "queue.e.isolation=thread"})}),
            "invalid value for 'queue.e.isolation' in the command line: 'thread': expected one "
            "of none, process");
  EXPECT_EQ(refusal({cli({"queue.e.plugin=echo", "queue.e.max_crashes=0"})}),
            "invalid value for 'queue.e.max_crashes' in the command line: '0': expected a whole "
            "number from 1 to 1000");
}

// ---- secrets and documentation ----

TEST_F(ConfigLayers, RedisSentinelAndClusterKeys) {
  const Config c = config::resolve(
      {env({"REDIS_SENTINELS=10.0.0.1:26379,10.0.0.2", "REDIS_SENTINEL_MASTER=cache",
            "REDIS_SENTINEL_USERNAME=watcher", "REDIS_SENTINEL_PASSWORD=s-secret",
            "REDIS_USERNAME=app", "REDIS_PASSWORD=m-secret"}),
       cli({"redis.cluster=false"})});
  EXPECT_EQ(c.redisSentinels, "10.0.0.1:26379,10.0.0.2");
  EXPECT_EQ(c.redisSentinelMaster, "cache");
  EXPECT_EQ(c.redisSentinelUser, "watcher");
  EXPECT_EQ(c.redisSentinelPassword, "s-secret");
  EXPECT_EQ(c.redisUser, "app");
  EXPECT_EQ(c.redisPassword, "m-secret");
  EXPECT_FALSE(c.redisCluster);
  EXPECT_TRUE(config::resolve({env({"REDIS_CLUSTER=true"})}).redisCluster);
  EXPECT_EQ(config::resolve({env({"REDIS_URL=redis+sentinel://s1/m"})}).redisUrl,
            "redis+sentinel://s1/m");
  EXPECT_EQ(config::resolve({env({"REDIS_URL=rediss+cluster://n1:7000"})}).redisUrl,
            "rediss+cluster://n1:7000");
}

TEST(ConfigKeys, SecretKeys) {
  for (const char* key : {"admin.token", "ai.gemini_api_key", "ai.openai_api_key",
                          "ai.anthropic_api_key", "s3.access_key", "s3.secret_key",
                          "security.encryption_key", "redis.password", "redis.sentinel_password"}) {
    EXPECT_TRUE(config::isSecretKey(key)) << key;
  }
  for (const char* key : {"ai.provider", "s3.endpoint", "s3.bucket", "redis.url", "node.id"}) {
    EXPECT_FALSE(config::isSecretKey(key)) << key;
  }
}

TEST(ConfigKeys, EveryDeploymentVariableIsDocumented) {
  std::string documented;
  for (const auto& [key, help] : config::describeKeys()) documented += key + "\n";
  for (const char* env :
       {"DATABASE_URL",      "DATABASE_REPLICA_URL", "DATABASE_POOL_SIZE", "REDIS_URL",
        "REDIS_TLS",         "AI_PROVIDER",          "GEMINI_API_KEY",     "OPENAI_API_KEY",
        "ANTHROPIC_API_KEY", "S3_ENDPOINT",          "S3_BUCKET",          "S3_ACCESS_KEY",
        "S3_SECRET_KEY",     "ENCRYPTION_KEY",       "WORKER_CONCURRENCY", "WORKER_ID",
        "LOG_LEVEL",         "APP_VERSION",          "NODE_ENV",           "WARREN_TIER"}) {
    EXPECT_NE(documented.find(std::string("(") + env + ")"), std::string::npos) << env;
  }
}

}  // namespace
}  // namespace warren::test
