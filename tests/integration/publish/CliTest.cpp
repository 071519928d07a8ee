// warren accounts and warren call as operators use them: tokens from the environment or stdin
// (never the command line), never printed; refusals with their exit codes.
#include "Command.h"
#include "Paths.h"
#include "TempDir.h"

#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

namespace warren::test {
namespace {

using Json = nlohmann::json;

constexpr const char* kKey = "5e0c2a4b6d8f1e3c5a7b9d0f2e4c6a8b1d3f5e7c9a0b2d4f6e8c1a3b5d7f9e0c";
constexpr const char* kToken = "operator-token-7c1d9e2f4a6b8c0d";

class Cli : public ::testing::Test {
 protected:
  std::vector<std::string> env(const std::string& key = kKey) {
    std::vector<std::string> e = cleanEnvironment();
    e.push_back("WARREN_DATA_DIR=" + dir_.path().string());
    e.push_back("WARREN_PLUGIN_DIR=" + std::string(WARREN_TEST_PLUGIN_DIR));
    if (!key.empty()) e.push_back("ENCRYPTION_KEY=" + key);
    e.push_back(std::string("MASTODON_TOKEN=") + kToken);
    return e;
  }
  CommandResult warren(const std::vector<std::string>& args,
                       const std::vector<std::string>& environment) {
    std::vector<std::string> argv = {warrenBinary().string()};
    argv.insert(argv.end(), args.begin(), args.end());
    return run(argv, environment, std::chrono::seconds(60));
  }
  std::string addMastodon() {
    const CommandResult added =
        warren({"accounts", "add", "platform=mastodon", "handle=@ops@example.social",
                "base_url=https://example.social", "token_env=MASTODON_TOKEN"},
               env());
    EXPECT_EQ(added.exitCode, 0) << added.err;
    return Json::parse(added.out)["id"];
  }
  TempDir dir_{"warren-cli"};
};

TEST_F(Cli, AddThenListWithoutEverShowingTheToken) {
  const std::string id = addMastodon();
  const CommandResult list = warren({"accounts", "list"}, env());
  ASSERT_EQ(list.exitCode, 0) << list.err;
  EXPECT_NE(list.out.find(id), std::string::npos) << list.out;
  EXPECT_NE(list.out.find("@ops@example.social"), std::string::npos);
  EXPECT_NE(list.out.find("1 account(s)"), std::string::npos);
  const CommandResult json = warren({"accounts", "list", "--json"}, env());
  ASSERT_EQ(json.exitCode, 0);
  EXPECT_EQ(Json::parse(json.out)["accounts"][0]["status"], "active");
  for (const CommandResult* r : {&list, &json}) {
    EXPECT_EQ(r->out.find(kToken), std::string::npos);
    EXPECT_EQ(r->err.find(kToken), std::string::npos);
  }
}

TEST_F(Cli, TokensComeFromStdinToo) {
  const auto path = dir_ / "tokens.json";
  writeFile(path, std::string("{\"accessToken\":\"") + kToken + "\"}");
  const CommandResult added = run({"/bin/sh", "-c",
                                   warrenBinary().string() +
                                       " accounts add platform=mastodon handle=@in "
                                       "base_url=https://m.example stdin < " +
                                       path.string()},
                                  env(), std::chrono::seconds(60));
  ASSERT_EQ(added.exitCode, 0) << added.err;
  EXPECT_EQ(added.out.find(kToken), std::string::npos);
}

TEST_F(Cli, CallRunsOneJobInProcess) {
  const std::string id = addMastodon();
  const CommandResult disabled = warren({"call", "publish", "accounts:disable", "--data",
                                         "{\"id\":\"" + id + "\",\"reason\":\"test\"}"},
                                        env());
  ASSERT_EQ(disabled.exitCode, 0) << disabled.err;
  EXPECT_EQ(Json::parse(disabled.out), Json({{"id", id}, {"status", "disabled"}}));
  const CommandResult publish = warren(
      {"call", "publish", "post:publish", "--data",
       "{\"post\":{\"platform\":\"mastodon\",\"accountId\":\"" + id + "\",\"text\":\"hi\"}}"},
      env());
  EXPECT_EQ(publish.exitCode, 1);
  EXPECT_NE(publish.err.find("warren: publish post:publish failed: mastodon account " + id +
                             " (@ops@example.social) is disabled: test"),
            std::string::npos)
      << publish.err;
}

TEST_F(Cli, RefusalsAndTheirExitCodes) {
  const CommandResult shortKey = warren({"accounts", "list"}, env("abc123"));
  EXPECT_EQ(shortKey.exitCode, 2);
  EXPECT_NE(shortKey.err.find("ENCRYPTION_KEY (security.encryption_key) must be 64 hexadecimal "
                              "characters (32 bytes); it has 6 characters"),
            std::string::npos)
      << shortKey.err;
  EXPECT_EQ(shortKey.err.find("abc123"), std::string::npos) << shortKey.err;
  const CommandResult noKey = warren({"accounts", "list"}, env(""));
  EXPECT_EQ(noKey.exitCode, 2);
  EXPECT_NE(noKey.err.find("plugin publish requires config key 'security.encryption_key'"),
            std::string::npos)
      << noKey.err;
  const CommandResult unknown =
      warren({"accounts", "add", "platform=mastodon", "token=abc"}, env());
  EXPECT_EQ(unknown.exitCode, 64);
  EXPECT_NE(unknown.err.find("warren: accounts: unknown field 'token'"), std::string::npos)
      << unknown.err;
  const CommandResult missingEnv =
      warren({"accounts", "add", "platform=mastodon", "token_env=NOPE"}, env());
  EXPECT_EQ(missingEnv.exitCode, 64);
  EXPECT_NE(missingEnv.err.find("environment variable NOPE is not set or empty"),
            std::string::npos);
  const CommandResult usage = warren({"call", "publish"}, env());
  EXPECT_EQ(usage.exitCode, 64);
}

}  // namespace
}  // namespace warren::test
