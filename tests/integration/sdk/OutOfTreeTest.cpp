// The SDK as a third party gets it: `cmake --install` into a temp prefix, a fresh project in a
// temp directory that knows nothing but that prefix, find_package(WarrenSDK) +
// warren_add_plugin, then `warren plugins inspect` and a job through the host.
#include "../../unit/plugins/Jobs.h"
#include "Command.h"
#include "Paths.h"
#include "TempDir.h"

#include "plugins/Library.h"

#include <gtest/gtest.h>

#include <sstream>

namespace warren::test {
namespace {

const char* const kCMakeLists = R"(cmake_minimum_required(VERSION 3.20)
project(greeter LANGUAGES CXX)
find_package(WarrenSDK 1.0 REQUIRED)
warren_add_plugin(greeter SOURCES greeter.cpp)
target_compile_options(greeter PRIVATE -Wall -Wextra -Werror -pedantic)
)";

const char* const kPlugin = R"(#include <warren/plugin.hpp>

#include <string>

namespace {

class Greeter final : public warren::Plugin {
 public:
  explicit Greeter(const warren::Host& host)
      : warren::Plugin(host), greeting_(host.getString("greeting")) {}

  warren::Result handle(warren::Job& job) override {
    job.log("greeting job " + std::string(job.id()));
    job.progress(100);
    return warren::Result::completed("{\"greeting\":\"" + greeting_ + "\",\"job\":\"" +
                                     std::string(job.name()) + "\",\"data\":" +
                                     std::string(job.data()) + "}");
  }

 private:
  const std::string greeting_;
};

const char* const kJobs[] = {"greet"};
const warren_config_key kConfig[] = {
    warren::configKey("greeting", WARREN_CONFIG_STRING, "hello", false, "what to say"),
};

}  // namespace

WARREN_PLUGIN(Greeter, "greeter", "0.9.0", kJobs, WARREN_RESOURCE_IO, 2u << 20, 5, kConfig)
)";

void expectSuccess(const CommandResult& result, const std::string& what) {
  ASSERT_EQ(result.exitCode, 0) << what << "\n" << result.out << result.err;
}

class OutOfTreePlugin : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir("warren-oot");
    const std::string cmake = WARREN_TEST_CMAKE;
    expectSuccess(run({cmake, "--install", WARREN_TEST_BINARY_DIR, "--prefix", prefix()}),
                  "cmake --install");
    writeFile(source() / "CMakeLists.txt", kCMakeLists);
    writeFile(source() / "greeter.cpp", kPlugin);
    expectSuccess(run({cmake, "-S", source().string(), "-B", build().string(), "-G",
                       WARREN_TEST_GENERATOR, "-DCMAKE_BUILD_TYPE=Release",
                       "-DCMAKE_EXPORT_COMPILE_COMMANDS=ON", "-DCMAKE_PREFIX_PATH=" + prefix()}),
                  "configure");
    expectSuccess(run({cmake, "--build", build().string()}), "build");
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }
  void SetUp() override {
    if (HasFatalFailure() || !std::filesystem::exists(plugin())) {
      GTEST_FAIL() << "the out-of-tree plugin was not built (see the suite set-up)";
    }
  }

  static std::string prefix() { return (dir_->path() / "prefix").string(); }
  static std::filesystem::path source() { return dir_->path() / "src"; }
  static std::filesystem::path build() { return dir_->path() / "build"; }
  static std::filesystem::path plugin() { return build() / "greeter.so"; }

  static TempDir* dir_;
};

TempDir* OutOfTreePlugin::dir_ = nullptr;

TEST_F(OutOfTreePlugin, InstallHoldsTheSdkPackage) {
  const std::filesystem::path root = prefix();
  EXPECT_TRUE(std::filesystem::exists(root / "include/warren/plugin.h"));
  EXPECT_TRUE(std::filesystem::exists(root / "include/warren/plugin.hpp"));
  std::filesystem::path config;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
    if (entry.path().filename() == "WarrenSDKConfig.cmake") config = entry.path().parent_path();
  }
  ASSERT_FALSE(config.empty()) << "no WarrenSDKConfig.cmake under " << root;
  for (const char* file : {"WarrenSDKConfigVersion.cmake", "WarrenSDKTargets.cmake",
                           "WarrenPlugin.cmake", "warren_plugin.map"}) {
    EXPECT_TRUE(std::filesystem::exists(config / file)) << file;
  }
}

TEST_F(OutOfTreePlugin, CompiledAgainstTheInstalledHeadersOnly) {
  const std::string commands = readFile(build() / "compile_commands.json");
  EXPECT_NE(commands.find(prefix() + "/include"), std::string::npos) << commands;
  EXPECT_EQ(commands.find(std::string(WARREN_TEST_SOURCE_DIR) + "/sdk"), std::string::npos)
      << commands;
}

TEST_F(OutOfTreePlugin, ExportsExactlyTheEntrySymbol) {
  const CommandResult nm = run({"nm", "-D", "--defined-only", plugin().string()});
  ASSERT_EQ(nm.exitCode, 0) << nm.err;
  std::istringstream lines(nm.out);
  std::vector<std::string> symbols;
  for (std::string line; std::getline(lines, line);) {
    if (!line.empty()) symbols.push_back(line.substr(line.rfind(' ') + 1));
  }
  EXPECT_EQ(symbols, std::vector<std::string>{"warren_plugin_entry"}) << nm.out;
}

TEST_F(OutOfTreePlugin, WarrenInspectPrintsItsDescriptor) {
  const CommandResult r = run({warrenBinary().string(), "plugins", "inspect", plugin().string()});
  EXPECT_EQ(r.exitCode, 0) << r.err;
  EXPECT_EQ(r.out, "file:                " + plugin().string() +
                       "\n"
                       "name:                greeter\n"
                       "version:             0.9.0\n"
                       "abi:                 1.2 (host 1.2)\n"
                       "jobs:                greet\n"
                       "resource class:      io\n"
                       "memory per job:      2 MiB\n"
                       "default concurrency: 5\n"
                       "config:\n"
                       "  greeting (string, default 'hello'): what to say\n"
                       "job types: (none)\n"
                       "migrations: (none)\n");
}

TEST_F(OutOfTreePlugin, TheHostRunsAJobThroughIt) {
  plugins::Instance instance(plugins::Library::load(plugin()), {{"greeting", "hi"}}, "greetings");
  plugins::JobInput input = jobInput("greet", R"({"name":"ada"})");
  input.id = "42";
  const Recorded r = runJob(instance, input);
  EXPECT_EQ(r.outcome.outcome, WARREN_JOB_COMPLETED) << r.outcome.error;
  EXPECT_EQ(r.outcome.result, R"({"greeting":"hi","job":"greet","data":{"name":"ada"}})");
  EXPECT_EQ(r.logs, std::vector<std::string>{"greeting job 42"});
  EXPECT_EQ(r.progress, std::vector<std::string>{"100"});
}

TEST_F(OutOfTreePlugin, TheInstalledWarrenFindsTheInstalledEcho) {
  const CommandResult r = run({prefix() + "/bin/warren", "plugins", "list"});
  EXPECT_EQ(r.exitCode, 0) << r.err;
  EXPECT_NE(r.out.find("  echo 1.0.0  jobs: echo echo:*  (echo.so)\n"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace warren::test
