// warren --version / --help / plugins inspect / plugins list, run as a separate process.
#include "Command.h"
#include "FixtureRefusals.h"
#include "Paths.h"

#include "config/Config.h"

#include <gtest/gtest.h>

namespace warren::test {
namespace {

CommandResult warren(const std::vector<std::string>& args,
                     std::vector<std::string> env = cleanEnvironment()) {
  std::vector<std::string> argv = {warrenBinary().string()};
  argv.insert(argv.end(), args.begin(), args.end());
  return run(argv, env, std::chrono::seconds(60));
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(Cli, Version) {
  const CommandResult r = warren({"--version"});
  EXPECT_EQ(r.exitCode, 0);
  EXPECT_EQ(r.out, "warren " WARREN_VERSION " (plugin ABI 1.2)\n");
}

TEST(Cli, HelpNamesEverySubcommandAndConfigKey) {
  const CommandResult r = warren({"--help"});
  EXPECT_EQ(r.exitCode, 0);
  for (const char* part : {"warren run", "warren run --plugin", "warren plugins list",
                           "warren plugins inspect FILE.so", "--help", "--version", "--config",
                           "--set", "--log-level", "--plugin", "--queue", "--concurrency"}) {
    EXPECT_TRUE(contains(r.out, part)) << part;
  }
  // Any subcommand the binary dispatches (it does not answer "unknown command") is in the help.
  for (const std::string command :
       {"run", "plugins", "enqueue", "status", "demo", "reload", "plan", "drain", "resume"}) {
    if (contains(warren({command, "--log-level=off"}).err, "unknown command")) continue;
    EXPECT_TRUE(contains(r.out, "  warren " + command)) << command;
  }
  for (const auto& [key, help] : config::describeKeys()) {
    EXPECT_TRUE(contains(r.out, "  " + key + "\n      " + help + "\n")) << key;
  }
}

TEST(Cli, PlanPrintsTheCapacityForAPostVolume) {
  // 1,000 posts/day: 0.33 busy slots at peak, so the HA minimum of 2 workers; 2 x 10 + 20 DB
  // connections; 2,000 jobs (generate + publish) kept 24 h at 10 KiB each.
  const CommandResult table = warren({"plan", "--posts-per-day", "1000"});
  ASSERT_EQ(table.exitCode, 0) << table.err;
  EXPECT_TRUE(contains(table.out, "  workers         2 ")) << table.out;
  EXPECT_TRUE(contains(table.out, "  DB connections  40 ")) << table.out;
  EXPECT_TRUE(contains(table.out, "  Redis memory    19.5 MiB")) << table.out;
  const CommandResult json = warren({"plan", "--posts-per-day", "300000", "--json"});
  ASSERT_EQ(json.exitCode, 0) << json.err;
  EXPECT_TRUE(contains(json.out, "\"workers\":20,")) << json.out;
  EXPECT_TRUE(contains(json.out, "\"dbConnections\":220,")) << json.out;
  const CommandResult missing = warren({"plan"});
  EXPECT_EQ(missing.exitCode, 64);
}

TEST(Cli, UsageErrorsExit64) {
  EXPECT_EQ(warren({}).exitCode, 64);
  const CommandResult unknown = warren({"fly"});
  EXPECT_EQ(unknown.exitCode, 64);
  EXPECT_EQ(unknown.err, "warren: unknown command 'fly'. See warren --help\n");
  const CommandResult option = warren({"--bogus"});
  EXPECT_EQ(option.exitCode, 64);
  EXPECT_EQ(option.err, "warren: Unknown option specified: bogus. See warren --help\n");
  EXPECT_EQ(warren({"plugins", "inspect"}).exitCode, 64);
  EXPECT_EQ(warren({"plugins", "frobnicate"}).err,
            "warren: usage: warren plugins list | warren plugins inspect FILE.so\n");
}

TEST(CliInspect, PrintsEchosDescriptor) {
  const std::string path = builtPlugin("echo").string();
  const CommandResult r = warren({"plugins", "inspect", path});
  EXPECT_EQ(r.exitCode, 0) << r.err;
  EXPECT_EQ(r.out, "file:                " + path +
                       "\n"
                       "name:                echo\n"
                       "version:             1.0.0\n"
                       "abi:                 1.2 (host 1.2)\n"
                       "jobs:                echo echo:*\n"
                       "resource class:      io\n"
                       "memory per job:      4 MiB\n"
                       "default concurrency: 10\n"
                       "config:\n"
                       "  log_prefix (string, default ''): Text put before every job log line this "
                       "plugin writes\n"
                       "job types: (none)\n"
                       "migrations: (none)\n");
  EXPECT_EQ(r.err, "");
}

TEST(CliInspect, PrintsTheJobTypesAndMigrations) {
  const CommandResult r = warren({"plugins", "inspect", fixture("contract").string()});
  EXPECT_EQ(r.exitCode, 0) << r.err;
  EXPECT_TRUE(contains(r.out,
                       "job types:\n"
                       "  contract: Checks one text (data schema: yes, result schema: yes)\n"
                       "  contract:report: Reports on the texts (data schema: no, result schema: "
                       "no)\n"
                       "migrations:\n"
                       "  1 create_texts\n"
                       "  2 add_index\n"))
      << r.out;
}

TEST(CliInspect, ShowsTheConfigSchemaButNoSecretDefault) {
  const CommandResult r = warren({"plugins", "inspect", fixture("required_config").string()});
  EXPECT_EQ(r.exitCode, 0);
  EXPECT_TRUE(contains(r.out, "  endpoint (string, required): base URL of the service\n"));
  EXPECT_TRUE(contains(r.out, "  retries (int, default '3'): attempts per call\n"));
  EXPECT_TRUE(contains(r.out, "  token (secret): API token\n"));
  EXPECT_TRUE(contains(r.out, "resource class:      io\n"));
}

TEST(CliInspect, NeverCallsThePlugin) {
  // control's init/handle/shutdown abort and init_fails' init fails: inspect reads only the
  // descriptor, so both print it and exit 0.
  for (const char* name : {"control", "init_fails"}) {
    const CommandResult r = warren({"plugins", "inspect", fixture(name).string()});
    EXPECT_EQ(r.exitCode, 0) << name << ": " << r.err;
    EXPECT_TRUE(contains(r.out, std::string("name:                ") + name + "\n")) << r.out;
  }
}

class CliInspectRefusal : public ::testing::TestWithParam<FixtureRefusal> {};

TEST_P(CliInspectRefusal, PrintsTheReasonAndExits2) {
  const std::string path = fixture(GetParam().fixture).string();
  const CommandResult r = warren({"plugins", "inspect", path});
  EXPECT_EQ(r.exitCode, 2);
  EXPECT_EQ(r.err, "plugin " + path + " refused: " + GetParam().reason + "\n");
  EXPECT_EQ(r.out, "");
}

INSTANTIATE_TEST_SUITE_P(Fixtures, CliInspectRefusal, ::testing::ValuesIn(staticFixtureRefusals()),
                         [](const auto& param) { return param.param.fixture; });

TEST(CliInspect, UnresolvedSymbolAndMissingFile) {
  const std::string path = fixture("undefined_symbol").string();
  CommandResult r = warren({"plugins", "inspect", path});
  EXPECT_EQ(r.exitCode, 2);
  EXPECT_EQ(r.err, "plugin " + path + " refused: cannot load: " + path +
                       ": undefined symbol: warren_fixture_not_defined\n");
  r = warren({"plugins", "inspect", "/nonexistent/x.so"});
  EXPECT_EQ(r.exitCode, 2);
  EXPECT_EQ(r.err,
            "plugin /nonexistent/x.so refused: cannot load: /nonexistent/x.so: cannot open "
            "shared object file: No such file or directory\n");
}

TEST(CliList, ListsTheBuiltPlugins) {
  const CommandResult r = warren({"plugins", "list"});
  EXPECT_EQ(r.exitCode, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "plugins in " + std::string(WARREN_TEST_PLUGIN_DIR) + ":\n"))
      << r.out;
  EXPECT_TRUE(contains(r.out, "  echo 1.0.0  jobs: echo echo:*  (echo.so)\n")) << r.out;
}

TEST(CliList, ReportsEveryRefusalAndExits2) {
  auto env = cleanEnvironment();
  env.push_back(std::string("WARREN_PLUGIN_DIR=") + WARREN_TEST_FIXTURE_DIR);
  const CommandResult r = warren({"plugins", "list"}, env);
  EXPECT_EQ(r.exitCode, 2);
  EXPECT_TRUE(contains(r.out, "  control 1.0.0  jobs: fixture  (control.so)\n")) << r.out;
  EXPECT_TRUE(contains(r.out, "  c99_plugin 0.3.0  jobs: c99 c99:*  (c99_plugin.so)\n"));
  for (const auto& refusal : staticFixtureRefusals()) {
    EXPECT_TRUE(contains(r.out, "  refused: plugin " + fixture(refusal.fixture).string() +
                                    " refused: " + refusal.reason + "\n"))
        << refusal.fixture;
  }
}

TEST(CliList, UnreadableDirectory) {
  auto env = cleanEnvironment();
  env.push_back("WARREN_PLUGIN_DIR=/nonexistent/plugins");
  const CommandResult r = warren({"plugins", "list"}, env);
  EXPECT_EQ(r.exitCode, 1);
  EXPECT_EQ(r.err,
            "warren: cannot read plugin directory /nonexistent/plugins: No such file or "
            "directory\n");
}

}  // namespace
}  // namespace warren::test
