// Secrets never reach the output: a node given every kind of secret (Redis and PostgreSQL
// passwords in their URLs, the admin token, provider keys, S3 keys) runs jobs, answers /health,
// /metrics and admin calls (also with a wrong token), reloads and stops, all at trace level, and
// not one secret appears on stdout or stderr. The same for refusals: a wrong Redis or database
// password, `warren --help`, and configuration errors.
#include "NodeProcess.h"
#include "PostgresServer.h"
#include "QueueState.h"
#include "RedisServer.h"

#include <gtest/gtest.h>

#include <csignal>

namespace warren::test {
namespace {

using namespace std::chrono_literals;

const std::string kRedisPassword = "s3cretPW";
const std::string kDbPassword = "pgS3cretPW-5521";
const std::string kAdminToken = "adm1n-T0ken-9917";

// The provider and storage secrets, as the deployment's environment names them.
const std::vector<std::pair<std::string, std::string>>& providerSecrets() {
  static const std::vector<std::pair<std::string, std::string>> secrets = {
      {"OPENAI_API_KEY", "sk-openai-secret-4471"}, {"GEMINI_API_KEY", "gemini-secret-8812"},
      {"ANTHROPIC_API_KEY", "sk-ant-secret-6620"}, {"S3_ACCESS_KEY", "AKIA-access-secret-3307"},
      {"S3_SECRET_KEY", "s3-secret-key-3391"},     {"ENCRYPTION_KEY", "enc-key-secret-0098"},
  };
  return secrets;
}

PostgresServerOptions withPassword() {
  PostgresServerOptions options;
  options.password = kDbPassword;
  return options;
}

std::vector<std::string> allSecrets() {
  std::vector<std::string> out = {kRedisPassword, kDbPassword, kAdminToken};
  for (const auto& [name, value] : providerSecrets()) out.push_back(value);
  return out;
}

std::vector<std::string> secretEnvironment(const std::string& redisUrl,
                                           const std::string& databaseUrl) {
  std::vector<std::string> env = {"REDIS_URL=" + redisUrl, "DATABASE_URL=" + databaseUrl,
                                  "WARREN_ADMIN_TOKEN=" + kAdminToken, "LOG_LEVEL=trace"};
  for (const auto& [name, value] : providerSecrets()) env.push_back(name + "=" + value);
  return env;
}

void expectNoSecret(const std::string& output, const std::string& what) {
  for (const auto& secret : allSecrets()) {
    EXPECT_EQ(output.find(secret), std::string::npos)
        << what << " shows the secret '" << secret << "':\n"
        << output;
  }
}

std::string redisUrlWith(const RedisServer& redis, const std::string& password) {
  return "redis://:" + password + "@127.0.0.1:" + std::to_string(redis.port());
}

// Runs warren to completion with its own data directory.
CommandResult warren(const std::vector<std::string>& args, const std::vector<std::string>& env) {
  const TempDir data("warren-node-data");
  auto full = cleanEnvironment();
  full.push_back("WARREN_DATA_DIR=" + data.path().string());
  full.insert(full.end(), env.begin(), env.end());
  return run(warrenCommand(args), full, 60s);
}

TEST(NodeRedaction, NodeWithEverySecretNeverPrintsOne) {
  RedisServer redis({"--requirepass", kRedisPassword});
  PostgresServer postgres(withPassword());
  const std::string redisUrl = redisUrlWith(redis, kRedisPassword);
  NodeOptions options("secrets", redisUrl);
  options.slots(2);
  for (auto& entry : secretEnvironment(redisUrl, postgres.url())) options.env(entry);
  NodeProcess node(std::move(options));

  QueueState queue(redisUrl, "secrets");
  queue.add(1, R"({"value":"plain","log":"a job log line"})");
  queue.add(1, R"({"value":"slow","sleep_ms":200,"progress":2})");
  queue.add(1, R"({"fail":"on purpose"})");
  EXPECT_TRUE(
      eventually([&] { return queue.count("completed") == 2 && queue.count("failed") == 1; }, 30s))
      << queue.read().summary();

  const HttpReply health = node.get("/health");
  EXPECT_EQ(health.status, 200) << health.body;
  const HttpReply metrics = node.get("/metrics");
  EXPECT_EQ(metrics.status, 200);
  const HttpReply wrong = node.admin("POST", "/admin/drain", "not-the-token");
  EXPECT_EQ(wrong.status, 403);
  EXPECT_EQ(wrong.body, R"({"error":"invalid admin token"})");
  const HttpReply reload = node.admin("POST", "/admin/reload", kAdminToken);
  EXPECT_EQ(reload.status, 200) << reload.body;
  EXPECT_EQ(node.stop(SIGTERM), 0) << node.log();

  const std::string output = node.log();
  EXPECT_NE(output.find("\"msg\":\"warren stopped\""), std::string::npos) << output;
  EXPECT_NE(output.find("admin request with an invalid token refused"), std::string::npos);
  // Where a URL is logged, its password is masked.
  EXPECT_NE(output.find("\"url\":\"postgres://postgres:***@127.0.0.1:"), std::string::npos)
      << output;
  expectNoSecret(output, "the node's stdout and stderr");
  expectNoSecret(health.body, "/health");
  expectNoSecret(metrics.body, "/metrics");
  expectNoSecret(reload.body, "/admin/reload");
}

TEST(NodeRedaction, WrongRedisPasswordIsRefusedWithoutShowingIt) {
  RedisServer redis({"--requirepass", kRedisPassword});
  const std::string wrongUrl =
      "redis://:wr0ng-" + kRedisPassword + "@127.0.0.1:" + std::to_string(redis.port());
  const CommandResult r = warren({"run", "--plugin", "echo", "--queue", "q"},
                                 {"REDIS_URL=" + wrongUrl, "LOG_LEVEL=trace"});
  EXPECT_NE(r.exitCode, 0) << r.err;
  EXPECT_NE(r.err.find("warren: cannot reach Redis: "), std::string::npos) << r.err;
  expectNoSecret(r.out + r.err, "the refusal");
}

TEST(NodeRedaction, WrongDatabasePasswordShowsInHealthWithoutIt) {
  RedisServer redis;
  PostgresServer postgres(withPassword());
  const std::string wrongUrl = "postgres://postgres:" + kDbPassword +
                               "-not@127.0.0.1:" + std::to_string(postgres.port()) + "/postgres";
  NodeProcess node(
      NodeOptions("dbsecret", redis.url()).env("DATABASE_URL=" + wrongUrl).env("LOG_LEVEL=trace"));
  const HttpReply health = node.get("/health");
  EXPECT_EQ(health.status, 503) << health.body;
  EXPECT_NE(health.body.find("\"database\":{\"healthy\":false"), std::string::npos) << health.body;
  EXPECT_EQ(node.stop(SIGTERM), 0) << node.log();
  expectNoSecret(health.body, "/health");
  expectNoSecret(node.log(), "the node's stdout and stderr");
}

TEST(NodeRedaction, HelpShowsNoSecretFromTheEnvironment) {
  const CommandResult r = warren(
      {"--help"}, secretEnvironment("redis://:" + kRedisPassword + "@127.0.0.1:1",
                                    "postgres://postgres:" + kDbPassword + "@127.0.0.1:1/x"));
  EXPECT_EQ(r.exitCode, 0) << r.err;
  EXPECT_NE(r.out.find("admin.token (WARREN_ADMIN_TOKEN)"), std::string::npos) << r.out;
  expectNoSecret(r.out + r.err, "warren --help");
}

// A malformed URL is refused (exit 78) without echoing the password it carries.
TEST(NodeRedaction, MalformedRedisPortIsRefusedWithoutThePassword) {
  const CommandResult r = warren({"run", "--plugin", "echo", "--queue", "q"},
                                 {"REDIS_URL=redis://:" + kRedisPassword + "@127.0.0.1:99999"});
  EXPECT_EQ(r.exitCode, 78) << r.err;
  EXPECT_EQ(r.err,
            "warren: invalid Redis URL 'redis://:***@127.0.0.1:99999': port '99999' is not a "
            "number between 1 and 65535\n");
  expectNoSecret(r.out + r.err, "the configuration error");
}

TEST(NodeRedaction, RedisUrlWithAnotherSchemeIsRefusedWithoutThePassword) {
  const CommandResult r = warren({"run", "--plugin", "echo", "--queue", "q"},
                                 {"REDIS_URL=http://:" + kRedisPassword + "@127.0.0.1:6379"});
  EXPECT_EQ(r.exitCode, 78) << r.err;
  EXPECT_NE(r.err.find("expected a redis://, rediss://, unix://, redis[s]+sentinel:// or "
                       "redis[s]+cluster:// URL"),
            std::string::npos)
      << r.err;
  expectNoSecret(r.out + r.err, "the configuration error");
}

TEST(NodeRedaction, DatabaseUrlWithAnotherSchemeIsRefusedWithoutThePassword) {
  RedisServer redis;
  const CommandResult r =
      warren({"run", "--plugin", "echo", "--queue", "q"},
             {"REDIS_URL=" + redis.url(),
              "DATABASE_URL=mysql://root:" + kDbPassword + "@127.0.0.1:3306/app"});
  EXPECT_NE(r.exitCode, 0) << r.err;
  EXPECT_EQ(r.err,
            "warren: DATABASE_URL: must start with postgres://, postgresql:// or sqlite://\n");
  expectNoSecret(r.out + r.err, "the configuration error");
}

}  // namespace
}  // namespace warren::test
