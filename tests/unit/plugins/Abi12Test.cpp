// The ABI 1.2 job services through plugins::Instance, against the abi12 fixture (C++ wrapper):
// job data checked against the job type's schema before the plugin runs.
#include "Jobs.h"
#include "Paths.h"

#include "plugins/Generation.h"
#include "plugins/Library.h"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

namespace warren::test {
namespace {

using plugins::Instance;
using plugins::Library;

class Abi12Jobs : public ::testing::Test {
 protected:
  Recorded run(const std::string& name, const std::string& data) {
    return runJob(*plugin_, jobInput(name, data));
  }
  std::unique_ptr<Instance> plugin_ =
      std::make_unique<Instance>(Library::load(fixture("abi12")), plugins::ConfigValues{}, "q");
};

TEST_F(Abi12Jobs, DataThatFitsItsSchemaReachesThePlugin) {
  const Recorded r = run("abi12:validated", R"({"text":"hello"})");
  EXPECT_EQ(r.outcome.outcome, WARREN_JOB_COMPLETED);
  EXPECT_EQ(r.outcome.result, R"({"text":"hello"})");
}

TEST_F(Abi12Jobs, DataThatDoesNotFitFailsUnrecoverablyBeforeThePluginRuns) {
  Recorded r = run("abi12:validated", R"({"text":5})");
  EXPECT_EQ(r.outcome.outcome, WARREN_JOB_FAILED_UNRECOVERABLE);
  EXPECT_EQ(r.outcome.error, "invalid job data for abi12:validated: /text: expected a string");
  r = run("abi12:validated", R"({"text":"","extra":1})");
  EXPECT_EQ(r.outcome.error,
            "invalid job data for abi12:validated: /text: must be at least 1 characters long; "
            "/: unexpected property 'extra'");
  r = run("abi12:validated", "[]");
  EXPECT_EQ(r.outcome.error, "invalid job data for abi12:validated: /: expected an object");
}

TEST_F(Abi12Jobs, JobsWithoutADataSchemaAreNotChecked) {
  // abi12:delay has a job type without a data schema; abi12:cancel has no job type at all.
  const Recorded r = run("abi12:delay", R"({"until":0,"unchecked":true})");
  EXPECT_EQ(r.outcome.outcome, WARREN_JOB_COMPLETED);
  EXPECT_EQ(run("abi12:cancel", R"({"wait_ms":0})").outcome.outcome, WARREN_JOB_COMPLETED);
}

TEST_F(Abi12Jobs, ThePluginReadsWhyItWasCancelled) {
  plugins::JobContext context(jobInput("abi12:cancel", R"({"wait_ms":30000})"), {});
  std::thread canceller([&context] {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    context.cancel("reload deadline");
  });
  const plugins::JobOutcome outcome = plugin_->handle(context);
  canceller.join();
  EXPECT_EQ(outcome.outcome, WARREN_JOB_COMPLETED);
  EXPECT_EQ(outcome.result, R"({"reason":"reload deadline"})");
  // Never cancelled: "".
  EXPECT_EQ(run("abi12:cancel", R"({"wait_ms":0})").outcome.result, R"({"reason":""})");
}

TEST_F(Abi12Jobs, ADelayedOutcomeCarriesItsTimeAndReason) {
  const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  Recorded r =
      run("abi12:delay", R"({"until":)" + std::to_string(now + 60000) + R"(,"reason":"busy"})");
  EXPECT_EQ(r.outcome.outcome, WARREN_JOB_DELAYED);
  EXPECT_EQ(r.outcome.retryAtMs, now + 60000);
  EXPECT_EQ(r.outcome.error, "busy");
  r = run("abi12:ratelimit", R"({"until":)" + std::to_string(now + 60000) + "}");
  EXPECT_EQ(r.outcome.outcome, WARREN_JOB_RATE_LIMITED);
  EXPECT_EQ(r.outcome.error, "");
  r = run("abi12:far", "{}");
  EXPECT_EQ(r.outcome.outcome, WARREN_JOB_FAILED_RETRYABLE);
  EXPECT_NE(r.outcome.error.find("more than 30 days ahead (far away)"), std::string::npos)
      << r.outcome.error;
}

TEST(Abi12Time, IsoTimeIsUtcWithMilliseconds) {
  EXPECT_EQ(plugins::isoTime(1796686582967), "2026-12-07T23:36:22.967Z");
  EXPECT_EQ(plugins::isoTime(0), "1970-01-01T00:00:00.000Z");
}

// The node applies a plugin's migrations in this hook, on start and on every reload.
TEST(Abi12Generation, BeforeInitRunsOnTheAcceptedDescriptorBeforeInit) {
  plugins::GenerationSpec spec;
  spec.plugin = fixture("abi12").string();
  spec.scope = "q";
  std::vector<std::string> seen;
  spec.beforeInit = [&seen](const Library& library) {
    seen.push_back(library.info().name + " " + std::to_string(library.info().migrations.size()));
  };
  const plugins::Generation generation = plugins::loadGeneration(spec);
  EXPECT_EQ(seen, std::vector<std::string>{"abi12 2"});
  EXPECT_NE(generation.instance, nullptr);
}

TEST(Abi12Generation, ARefusalInBeforeInitMeansInitNeverRuns) {
  plugins::GenerationSpec spec;
  spec.plugin = fixture("contract").string();  // its init aborts the process
  spec.beforeInit = [](const Library& library) {
    throw plugins::PluginError("plugin " + library.path().string() + " refused: no database");
  };
  try {
    plugins::loadGeneration(spec);
    FAIL() << "expected a refusal";
  } catch (const plugins::PluginError& e) {
    EXPECT_EQ(std::string(e.what()),
              "plugin " + fixture("contract").string() + " refused: no database");
  }
}

}  // namespace
}  // namespace warren::test
