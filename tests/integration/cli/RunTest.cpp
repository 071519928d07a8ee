// `warren run`: configuration refusals (exit 78, naming the key), plugin refusals (exit 2), and a
// clean start/stop on SIGTERM. A private redis-server on a unix socket is given to the runs that
// get past the configuration, so these tests hold whether or not `run` already talks to Redis.
#include "Command.h"
#include "Paths.h"
#include "TempDir.h"

#include <gtest/gtest.h>

#include <csignal>
#include <sstream>
#include <thread>

namespace warren::test {
namespace {

constexpr int kExitConfig = 78;
constexpr int kExitRefused = 2;

// redis-server on a unix socket in a temp dir, no persistence, no TCP.
class PrivateRedis {
 public:
  PrivateRedis()
      : server_({"redis-server", "--port", "0", "--unixsocket", socket().string(), "--save", "",
                 "--appendonly", "no", "--dir", dir_.path().string()},
                cleanEnvironment()) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!std::filesystem::exists(socket())) {
      if (std::chrono::steady_clock::now() > deadline) {
        throw std::runtime_error("redis-server did not start: " + server_.err() + server_.out());
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
  std::string url() const { return "unix://" + socket().string(); }

 private:
  std::filesystem::path socket() const { return dir_ / "redis.sock"; }
  TempDir dir_{"warren-cli-redis"};
  BackgroundProcess server_;
};

std::vector<std::string> warrenArgs(const std::vector<std::string>& args) {
  std::vector<std::string> argv = {warrenBinary().string()};
  argv.insert(argv.end(), args.begin(), args.end());
  return argv;
}

CommandResult warren(const std::vector<std::string>& args,
                     const std::vector<std::string>& extraEnv = {}) {
  auto env = cleanEnvironment();
  env.insert(env.end(), extraEnv.begin(), extraEnv.end());
  return run(warrenArgs(args), env, std::chrono::seconds(60));
}

TEST(CliRun, UnknownKeyOnTheCommandLineExits78) {
  const CommandResult r = warren({"run", "--set", "bogus.key=1"});
  EXPECT_EQ(r.exitCode, kExitConfig);
  EXPECT_EQ(r.err, "warren: unknown config key 'bogus.key' in the command line\n");
}

TEST(CliRun, UnknownKeyInTheConfigFileExits78) {
  TempDir dir;
  const auto ini = dir / "warren.ini";
  writeFile(ini, "[redis]\nurl = redis://127.0.0.1:6379\nttl = 5\n");
  for (const auto& how : {std::vector<std::string>{"run", "--config", ini.string()},
                          std::vector<std::string>{"run"}}) {
    const CommandResult r =
        warren(how, how.size() == 1 ? std::vector<std::string>{"WARREN_CONFIG=" + ini.string()}
                                    : std::vector<std::string>{});
    EXPECT_EQ(r.exitCode, kExitConfig);
    EXPECT_EQ(r.err, "warren: unknown config key 'redis.ttl' in the file " + ini.string() + "\n");
  }
}

TEST(CliRun, InvalidEnvironmentValueExits78) {
  const CommandResult r = warren({"run"}, {"LOG_LEVEL=loud"});
  EXPECT_EQ(r.exitCode, kExitConfig);
  EXPECT_EQ(r.err,
            "warren: invalid value for LOG_LEVEL (log.level) in the environment: 'loud': "
            "expected one of trace, debug, info, warn, error, off\n");
}

TEST(CliRun, NothingToServeExits78) {
  const CommandResult r = warren({"run"});
  EXPECT_EQ(r.exitCode, kExitConfig);
  EXPECT_EQ(r.err,
            "warren: no queues to serve: give --plugin and --queue, or queue.NAME.plugin in a "
            "config file\n");
  EXPECT_EQ(warren({"run", "--plugin", "echo"}).err, "warren: --plugin and --queue go together\n");
}

TEST(CliRun, PluginWhoseInitFailsExits2) {
  PrivateRedis redis;
  const CommandResult r =
      warren({"run", "--plugin", fixture("init_fails").string(), "--queue", "q"},
             {"REDIS_URL=" + redis.url()});
  EXPECT_EQ(r.exitCode, kExitRefused);
  EXPECT_NE(r.err.find("warren: plugin init_fails 1.0.0: init failed: cannot reach the licence "
                       "server at 192.0.2.1:443\n"),
            std::string::npos)
      << r.err;
}

TEST(CliRun, PluginMissingARequiredKeyExits2) {
  PrivateRedis redis;
  const CommandResult r =
      warren({"run", "--plugin", fixture("required_config").string(), "--queue", "q"},
             {"REDIS_URL=" + redis.url()});
  EXPECT_EQ(r.exitCode, kExitRefused);
  EXPECT_NE(r.err.find("warren: plugin required_config requires config key 'endpoint' (base URL "
                       "of the service)\n"),
            std::string::npos)
      << r.err;
}

TEST(CliRun, RefusedPluginExits2) {
  PrivateRedis redis;
  const std::string path = fixture("newer_minor").string();
  const CommandResult r =
      warren({"run", "--plugin", path, "--queue", "q"}, {"REDIS_URL=" + redis.url()});
  EXPECT_EQ(r.exitCode, kExitRefused);
  EXPECT_NE(r.err.find("warren: plugin " + path +
                       " refused: plugin needs ABI 1.3, newer than the host's ABI 1.2: upgrade "
                       "the host\n"),
            std::string::npos)
      << r.err;
}

TEST(CliRun, StartsWithEchoAndStopsCleanlyOnSigterm) {
  PrivateRedis redis;
  auto env = cleanEnvironment();
  env.push_back("REDIS_URL=" + redis.url());
  env.push_back("WORKER_ID=cli-test");
  BackgroundProcess warren(warrenArgs({"run", "--plugin", "echo", "--queue", "demo", "--set",
                                       "queue.config.log_prefix=[demo] "}),
                           env);
  ASSERT_TRUE(warren.waitForStderr("\"msg\":\"warren started\"", std::chrono::seconds(20)))
      << warren.err();
  EXPECT_EQ(warren.stop(SIGTERM, std::chrono::seconds(30)), 0) << warren.err();
  const std::string err = warren.err();
  EXPECT_NE(err.find("\"msg\":\"warren stopped\""), std::string::npos) << err;
  // Every line on stderr is one JSON object carrying the worker's identity.
  std::istringstream lines(err);
  for (std::string line; std::getline(lines, line);) {
    EXPECT_EQ(line.front(), '{') << line;
    EXPECT_EQ(line.back(), '}') << line;
    EXPECT_NE(line.find("\"service\":\"warren\""), std::string::npos) << line;
    EXPECT_NE(line.find("\"instance\":\"cli-test\""), std::string::npos) << line;
  }
}

}  // namespace
}  // namespace warren::test
