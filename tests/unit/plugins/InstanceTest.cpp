// Jobs run through plugins::Instance: echo's job-data fields, the plain-C plugin's use of every
// service, and the failures the host must turn into job outcomes.
#include "Jobs.h"
#include "Paths.h"

#include "metrics/Registry.h"
#include "plugins/Library.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

namespace warren::test {
namespace {

using plugins::ConfigValues;
using plugins::Instance;
using plugins::Library;
using plugins::PluginError;
using Clock = std::chrono::steady_clock;

std::unique_ptr<Instance> start(const std::filesystem::path& path, ConfigValues config = {}) {
  return std::make_unique<Instance>(Library::load(path), config, "test-queue");
}

std::string initFailure(const std::filesystem::path& path, ConfigValues config = {}) {
  try {
    start(path, std::move(config));
  } catch (const PluginError& e) {
    return e.what();
  }
  return "";
}

// ---- echo ----

class EchoJobs : public ::testing::Test {
 protected:
  Recorded run(const std::string& data) { return runJob(*echo_, jobInput("echo", data)); }
  std::unique_ptr<Instance> echo_ = start(builtPlugin("echo"), {{"log_prefix", "[echo] "}});
};

TEST_F(EchoJobs, ReturnsValue) {
  const Recorded r = run(R"({"value":{"x":[1,2,"three"]},"other":true})");
  EXPECT_EQ(r.outcome.outcome, WARREN_JOB_COMPLETED);
  EXPECT_EQ(r.outcome.result, R"({"x":[1,2,"three"]})");
  EXPECT_EQ(r.outcome.error, "");
}

TEST_F(EchoJobs, ReturnsTheWholeDataWithoutValue) {
  EXPECT_EQ(run(R"({"a":1,"b":"two"})").outcome.result, R"({"a":1,"b":"two"})");
  EXPECT_EQ(run("[1,2,3]").outcome.result, "[1,2,3]");
  EXPECT_EQ(run(R"("just text")").outcome.result, R"("just text")");
}

TEST_F(EchoJobs, ReportsProgressInEvenSteps) {
  const Recorded r = run(R"({"progress":3})");
  EXPECT_EQ(r.outcome.outcome, WARREN_JOB_COMPLETED);
  EXPECT_EQ(r.progress, (std::vector<std::string>{"33", "66", "100"}));
}

TEST_F(EchoJobs, WritesAJobLogLineWithTheConfiguredPrefix) {
  const Recorded r = run(R"({"log":"hello there"})");
  EXPECT_EQ(r.logs, (std::vector<std::string>{"[echo] hello there"}));
}

TEST_F(EchoJobs, FailIsRetryable) {
  const Recorded r = run(R"({"fail":"upstream said 503"})");
  EXPECT_EQ(r.outcome.outcome, WARREN_JOB_FAILED_RETRYABLE);
  EXPECT_EQ(r.outcome.error, "upstream said 503");
}

TEST_F(EchoJobs, FailUnrecoverableIsNot) {
  const Recorded r = run(R"({"fail_unrecoverable":"malformed input"})");
  EXPECT_EQ(r.outcome.outcome, WARREN_JOB_FAILED_UNRECOVERABLE);
  EXPECT_EQ(r.outcome.error, "malformed input");
}

TEST_F(EchoJobs, SleepsThenCompletes) {
  const auto begin = Clock::now();
  const Recorded r = run(R"({"sleep_ms":60,"value":7})");
  EXPECT_GE(Clock::now() - begin, std::chrono::milliseconds(60));
  EXPECT_EQ(r.outcome.outcome, WARREN_JOB_COMPLETED);
  EXPECT_EQ(r.outcome.result, "7");
}

TEST_F(EchoJobs, CancelFromAnotherThreadWakesASleepingJob) {
  plugins::JobContext context(jobInput("echo", R"({"sleep_ms":30000,"value":1})"), {});
  const auto begin = Clock::now();  // before the canceller starts: it cancels >= 100 ms later
  std::thread canceller([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    context.cancel("test");
  });
  const plugins::JobOutcome outcome = echo_->handle(context);
  const auto elapsed = Clock::now() - begin;
  canceller.join();
  EXPECT_LT(elapsed, std::chrono::seconds(1));
  EXPECT_GE(elapsed, std::chrono::milliseconds(100));
  EXPECT_EQ(outcome.outcome, WARREN_JOB_FAILED_RETRYABLE);
  EXPECT_EQ(outcome.error, "cancelled while sleeping");
}

TEST_F(EchoJobs, ARefusedJobLogFailsTheJob) {
  const Recorded r = runJob(*echo_, jobInput("echo", R"({"log":"x"})"), false);
  EXPECT_EQ(r.outcome.outcome, WARREN_JOB_FAILED_RETRYABLE);
  EXPECT_EQ(r.outcome.error, "unhandled exception: job log was refused by the host");
}

TEST_F(EchoJobs, HandlesJobsConcurrently) {
  constexpr int kThreads = 6;
  constexpr int kJobs = 40;
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int j = 0; j < kJobs; ++j) {
        const std::string value = std::to_string(t * 1000 + j);
        const Recorded r = run(R"({"progress":2,"value":)" + value + "}");
        if (r.outcome.result != value || r.progress.size() != 2) ++wrong;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(wrong.load(), 0);
}

// ---- the plain C plugin ----

TEST(C99Plugin, UsesEveryServiceThroughTheCAbi) {
  auto plugin = start(fixture("c99_plugin"));
  plugins::JobInput input = jobInput("c99", R"({"k":"v"})");
  input.id = "j-42";
  input.queue = "c99q";
  input.attempt = 2;
  input.deadlineMs = 1234;
  const double before = metrics::registry().value("c99_jobs_total", {{"job", "c99"}});
  const Recorded r = runJob(*plugin, input);
  EXPECT_EQ(r.outcome.outcome, WARREN_JOB_COMPLETED);
  EXPECT_EQ(r.outcome.result,
            R"({"greeting":"hello","id":"j-42","name":"c99","queue":"c99q","attempt":2,)"
            R"("deadline_ms":1234,"data_bytes":9,"bad_metric_refused":true})");
  EXPECT_EQ(r.logs, (std::vector<std::string>{"c99 handling j-42"}));
  EXPECT_EQ(r.progress, (std::vector<std::string>{"50"}));
  EXPECT_EQ(metrics::registry().value("c99_jobs_total", {{"job", "c99"}}), before + 1);
}

TEST(C99Plugin, ReadsItsConfig) {
  auto plugin = start(fixture("c99_plugin"), {{"greeting", "salut"}});
  const Recorded r = runJob(*plugin, jobInput("c99"));
  EXPECT_NE(r.outcome.result.find(R"("greeting":"salut")"), std::string::npos) << r.outcome.result;
}

TEST(C99Plugin, FailsWithItsMessage) {
  auto plugin = start(fixture("c99_plugin"));
  const Recorded r = runJob(*plugin, jobInput("c99:fail"));
  EXPECT_EQ(r.outcome.outcome, WARREN_JOB_FAILED_RETRYABLE);
  EXPECT_EQ(r.outcome.error, "c99 failed on purpose");
}

TEST(C99Plugin, InitRefusalCarriesThePluginsReason) {
  EXPECT_EQ(initFailure(fixture("c99_plugin"), {{"greeting", ""}}),
            "plugin c99_plugin 0.3.0: init failed: config key 'greeting' must be 1 to 63 "
            "characters without quotes");
}

// ---- failures ----

TEST(InitFailure, ConstructorExceptionRefusesTheInstance) {
  EXPECT_EQ(initFailure(fixture("init_fails")),
            "plugin init_fails 1.0.0: init failed: cannot reach the licence server at "
            "192.0.2.1:443");
}

class ThrowingPlugin : public ::testing::Test {
 protected:
  plugins::JobOutcome run(const std::string& name) {
    return runJob(*plugin_, jobInput(name)).outcome;
  }
  std::unique_ptr<Instance> plugin_ = start(fixture("throws"));
};

TEST_F(ThrowingPlugin, ExceptionFailsRetryableWithItsWhat) {
  const plugins::JobOutcome outcome = run("throws");
  EXPECT_EQ(outcome.outcome, WARREN_JOB_FAILED_RETRYABLE);
  EXPECT_EQ(outcome.error, "unhandled exception: disk on fire");
}

TEST_F(ThrowingPlugin, NonStandardExceptionFailsRetryable) {
  const plugins::JobOutcome outcome = run("throws_unknown");
  EXPECT_EQ(outcome.outcome, WARREN_JOB_FAILED_RETRYABLE);
  EXPECT_EQ(outcome.error, "unhandled exception of unknown type");
}

TEST_F(ThrowingPlugin, InvalidJsonResultFailsTheJob) {
  const plugins::JobOutcome outcome = run("bad_json");
  EXPECT_EQ(outcome.outcome, WARREN_JOB_FAILED_RETRYABLE);
  EXPECT_EQ(outcome.error, "plugin returned a value that is not valid JSON");
  EXPECT_EQ(outcome.result, "null");
}

TEST_F(ThrowingPlugin, MissingHostServicesAreReportedClearly) {
  EXPECT_EQ(run("http").error,
            "unhandled exception: the host provides no http service (it is NULL in the host's "
            "service table)");
  EXPECT_EQ(run("db").error,
            "unhandled exception: the host provides no database service (it is NULL in the "
            "host's service table)");
  EXPECT_EQ(run("storage").error,
            "unhandled exception: the host provides no object storage service (it is NULL in "
            "the host's service table)");
}

TEST_F(ThrowingPlugin, KeepsWorkingAfterExceptions) {
  run("throws");
  const plugins::JobOutcome outcome = run("anything");
  EXPECT_EQ(outcome.outcome, WARREN_JOB_COMPLETED);
  EXPECT_EQ(outcome.result, "\"no fault\"");
}

class UnrecoverablePlugin : public ::testing::Test {
 protected:
  plugins::JobOutcome run(const std::string& name) {
    return runJob(*plugin_, jobInput(name)).outcome;
  }
  std::unique_ptr<Instance> plugin_ = start(fixture("unrecoverable"));
};

TEST_F(UnrecoverablePlugin, FailsWithoutRetryAndWithItsMessage) {
  const plugins::JobOutcome outcome = run("parse");
  EXPECT_EQ(outcome.outcome, WARREN_JOB_FAILED_UNRECOVERABLE);
  EXPECT_EQ(outcome.error, "input is corrupt: giving up");
}

TEST_F(UnrecoverablePlugin, FailureWithoutMessageGetsOneFromTheHost) {
  const plugins::JobOutcome outcome = run("silent");
  EXPECT_EQ(outcome.outcome, WARREN_JOB_FAILED_UNRECOVERABLE);
  EXPECT_EQ(outcome.error, "plugin unrecoverable failed without a message");
}

TEST_F(UnrecoverablePlugin, UnknownOutcomeBecomesRetryable) {
  const plugins::JobOutcome outcome = run("unknown_outcome");
  EXPECT_EQ(outcome.outcome, WARREN_JOB_FAILED_RETRYABLE);
  EXPECT_EQ(outcome.error, "plugin unrecoverable returned unknown outcome 7");
}

}  // namespace
}  // namespace warren::test
