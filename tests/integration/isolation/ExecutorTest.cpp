// executor::ProcessExecutor driven directly (no node): jobs run in executor processes of the
// real warren binary, against the echo example and the fixtures of tests/plugins. What a plugin
// reports crosses back, cancellation reaches it, every way the misbehave fixture takes its
// process down fails only its job with a classified reason, and processes are recycled,
// retired and cleaned up as configured.
#include "../../unit/plugins/Jobs.h"
#include "Crashes.h"
#include "Paths.h"
#include "RedisServer.h"
#include "executor/ProcessExecutor.h"
#include "executor/Supervisor.h"
#include "metrics/Registry.h"
#include "plugins/Instance.h"
#include "queue/RedisPool.h"
#include "redis/Connection.h"

#include <gtest/gtest.h>

#include <sys/types.h>

#include <csignal>
#include <fstream>
#include <set>
#include <thread>

namespace warren::test {
namespace {

using namespace std::chrono_literals;
using executor::ProcessExecutor;
using executor::ProcessOptions;

ProcessOptions options() {
  ProcessOptions o;
  o.executable = warrenBinary();
  o.memoryLimitBytes = 256u << 20;
  o.cancelGrace = 300ms;
  o.stopGrace = 1000ms;
  return o;
}

std::shared_ptr<ProcessExecutor> start(const std::filesystem::path& plugin,
                                       ProcessOptions o = options(),
                                       plugins::ConfigValues config = {}) {
  return ProcessExecutor::create(plugins::Library::load(plugin), config, "iso", std::move(o));
}

plugins::JobOutcome runNamed(plugins::Executor& executor, const std::string& name,
                             const std::string& data = "{}") {
  return runJob(executor, jobInput(name, data)).outcome;
}

long pidOf(const plugins::JobOutcome& outcome) {
  const auto at = outcome.result.find("\"pid\":");
  return at == std::string::npos ? -1 : std::stol(outcome.result.substr(at + 6));
}

// A process that is gone, or a zombie nobody reaped yet (an orphan in a container whose init
// does not reap): either way it runs no more.
bool gone(long pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  if (text.empty()) return true;
  const auto close = text.rfind(')');
  return close != std::string::npos && close + 2 < text.size() && text[close + 2] == 'Z';
}

bool eventually(const std::function<bool()>& done, std::chrono::milliseconds limit) {
  const auto until = std::chrono::steady_clock::now() + limit;
  while (!done()) {
    if (std::chrono::steady_clock::now() > until) return false;
    std::this_thread::sleep_for(20ms);
  }
  return true;
}

TEST(ProcessExecutor, RunsJobsAsThePluginDoesInProcess) {
  const plugins::ConfigValues config = {{"log_prefix", "[iso] "}};
  auto isolated = start(builtPlugin("echo"), options(), config);
  plugins::Instance inProcess(plugins::Library::load(builtPlugin("echo")), config, "iso");
  const std::string data = R"({"value":{"a":[1,"two"]},"log":"hello","progress":4})";
  const Recorded out = runJob(*isolated, jobInput("echo", data));
  const Recorded in = runJob(inProcess, jobInput("echo", data));
  EXPECT_EQ(out.outcome.outcome, WARREN_JOB_COMPLETED);
  EXPECT_EQ(out.outcome.result, R"({"a":[1,"two"]})");
  EXPECT_EQ(out.outcome.result, in.outcome.result);
  EXPECT_EQ(out.logs, (std::vector<std::string>{"[iso] hello"}));
  EXPECT_EQ(out.progress, (std::vector<std::string>{"25", "50", "75", "100"}));
  EXPECT_EQ(out.progress, in.progress);
  const Recorded failing = runJob(*isolated, jobInput("echo", R"({"fail_unrecoverable":"no"})"));
  EXPECT_EQ(failing.outcome.outcome, WARREN_JOB_FAILED_UNRECOVERABLE);
  EXPECT_EQ(failing.outcome.error, "no");
  EXPECT_FALSE(isolated->runsInline());
  EXPECT_EQ(isolated->processes(), 1u);
}

TEST(ProcessExecutor, APlainCPluginsJobFieldsMetricsAndRefusalsCrossTheBoundary) {
  auto isolated = start(fixture("c99_plugin"), options(), {{"greeting", "hej"}});
  plugins::Instance inProcess(plugins::Library::load(fixture("c99_plugin")), {{"greeting", "hej"}},
                              "iso");
  const auto counted = [] { return metrics::registry().value("c99_jobs_total", {{"job", "c99"}}); };
  const double before = counted();
  plugins::JobInput input = jobInput("c99", R"({"x":"12345"})");
  input.attempt = 3;
  input.deadlineMs = 1893456000000;
  const Recorded out = runJob(*isolated, input);
  EXPECT_EQ(counted(), before + 1) << "counted in this process's registry";
  const Recorded in = runJob(inProcess, input);
  EXPECT_EQ(out.outcome.outcome, WARREN_JOB_COMPLETED);
  EXPECT_EQ(out.outcome.result, in.outcome.result);
  EXPECT_NE(out.outcome.result.find("\"attempt\":3,\"deadline_ms\":1893456000000,\"data_bytes\":13,"
                                    "\"bad_metric_refused\":true"),
            std::string::npos)
      << out.outcome.result;
  EXPECT_EQ(out.logs, in.logs);
  EXPECT_EQ(out.progress, (std::vector<std::string>{"50"}));
  // Sinks that refuse: the plugin sees WARREN_ERR_UNAVAILABLE, as in process.
  const Recorded refused = runJob(*isolated, jobInput("c99"), false);
  EXPECT_EQ(refused.outcome.error, "job log refused");
  EXPECT_EQ(runJob(*isolated, jobInput("c99:fail")).outcome.error, "c99 failed on purpose");
}

TEST(ProcessExecutor, OutcomesOfABI12ReadAsInProcess) {
  auto isolated = start(fixture("abi12"));
  plugins::Instance inProcess(plugins::Library::load(fixture("abi12")), {}, "iso");
  const std::string tomorrow = std::to_string(
      std::chrono::duration_cast<std::chrono::milliseconds>(
          std::chrono::system_clock::now().time_since_epoch() + std::chrono::hours(24))
          .count());
  for (const auto& [name, data] : std::vector<std::pair<std::string, std::string>>{
           {"abi12:validated", R"({"text":7})"},
           {"abi12:far", "{}"},
           {"abi12:delay", R"({"until":)" + tomorrow + R"(,"reason":"later"})"}}) {
    const plugins::JobOutcome out = runNamed(*isolated, name, data);
    const plugins::JobOutcome in = runNamed(inProcess, name, data);
    EXPECT_EQ(out.outcome, in.outcome) << name;
    EXPECT_EQ(out.error, in.error) << name;
    EXPECT_EQ(out.retryAtMs, in.retryAtMs) << name;
  }
  EXPECT_EQ(runNamed(*isolated, "abi12:delay", R"({"until":)" + tomorrow + "}").outcome,
            WARREN_JOB_DELAYED);
  EXPECT_EQ(runNamed(*isolated, "abi12:validated", R"({"text":7})").error,
            "invalid job data for abi12:validated: /text: expected a string");
}

TEST(ProcessExecutor, CancellationReachesTheJobInItsProcess) {
  auto isolated = start(fixture("misbehave"));
  plugins::JobContext context(jobInput("sleep", R"({"ms":20000})"), {});
  std::thread canceller([&] {
    std::this_thread::sleep_for(200ms);
    context.cancel("shutdown");
  });
  const auto started = std::chrono::steady_clock::now();
  const plugins::JobOutcome outcome = isolated->run(context);
  canceller.join();
  EXPECT_LT(std::chrono::steady_clock::now() - started, 5s);
  EXPECT_EQ(outcome.outcome, WARREN_JOB_COMPLETED);
  EXPECT_EQ(outcome.result, R"({"cancelled":"shutdown"})");
  // Cancelled before it was sent: the job starts cancelled.
  plugins::JobContext early(jobInput("sleep", R"({"ms":20000})"), {});
  early.cancel("reload deadline");
  EXPECT_EQ(isolated->run(early).result, R"({"cancelled":"reload deadline"})");
}

TEST(ProcessExecutor, EachCrashFailsOnlyItsJobWithItsReason) {
  ProcessOptions o = options();
  o.memoryLimitBytes = 64u << 20;
  auto isolated = start(fixture("misbehave"), o);
  const long first = pidOf(runNamed(*isolated, "pid"));
  std::set<long> pids = {first};
  for (const auto& crash : kMisbehaveCrashes) {
    const plugins::JobOutcome outcome = runNamed(*isolated, crash.job);
    EXPECT_EQ(outcome.outcome, WARREN_JOB_FAILED_RETRYABLE) << crash.job;
    EXPECT_EQ(outcome.error, crash.reason) << crash.job;
    EXPECT_EQ(isolated->processes(), 0u) << crash.job << ": its process is gone";
    const long next = pidOf(runNamed(*isolated, "pid"));
    EXPECT_GT(next, 0) << crash.job << ": the next job runs in a new process";
    EXPECT_TRUE(pids.insert(next).second) << crash.job;
  }
}

TEST(ProcessExecutor, AJobIgnoringItsCancellationHasItsProcessKilled) {
  auto isolated = start(fixture("misbehave"));
  plugins::JobContext context(jobInput("spin"), {});
  std::thread canceller([&] {
    std::this_thread::sleep_for(200ms);
    context.cancel("timeout");
  });
  const auto started = std::chrono::steady_clock::now();
  const plugins::JobOutcome outcome = isolated->run(context);
  canceller.join();
  EXPECT_LT(std::chrono::steady_clock::now() - started, 3s);
  EXPECT_EQ(outcome.outcome, WARREN_JOB_FAILED_RETRYABLE);
  EXPECT_EQ(outcome.error,
            "cancelled (timeout) and still running 300 ms later: its executor was killed");
  EXPECT_GT(pidOf(runNamed(*isolated, "pid")), 0);
}

TEST(ProcessExecutor, ProcessesAreRecycledAfterTheirJobsAndPastTheirMemory) {
  ProcessOptions byJobs = options();
  byJobs.maxJobs = 2;
  auto isolated = start(fixture("misbehave"), byJobs);
  std::vector<long> pids;
  for (int i = 0; i < 5; ++i) pids.push_back(pidOf(runNamed(*isolated, "pid")));
  EXPECT_EQ(pids[0], pids[1]);
  EXPECT_NE(pids[1], pids[2]);
  EXPECT_EQ(pids[2], pids[3]);
  EXPECT_NE(pids[3], pids[4]);
  EXPECT_TRUE(eventually([&] { return gone(pids[0]) && gone(pids[2]); }, 5s));

  ProcessOptions byMemory = options();
  byMemory.maxResidentBytes = 48u << 20;
  auto leaky = start(fixture("misbehave"), byMemory);
  const long a = pidOf(runNamed(*leaky, "leak", R"({"mb":8})"));
  const long b = pidOf(runNamed(*leaky, "leak", R"({"mb":64})"));
  const long c = pidOf(runNamed(*leaky, "pid"));
  EXPECT_EQ(a, b) << "8 MiB kept: under the limit";
  EXPECT_NE(b, c) << "72 MiB kept: recycled after that job";
}

TEST(ProcessExecutor, IdleProcessesAreRetiredButOne) {
  ProcessOptions o = options();
  o.idleTimeout = 300ms;
  auto isolated = start(fixture("misbehave"), o);
  std::vector<std::thread> jobs;
  std::mutex mutex;
  std::set<long> pids;
  for (int i = 0; i < 3; ++i) {
    jobs.emplace_back([&] {
      runNamed(*isolated, "sleep", R"({"ms":400})");
      const long pid = pidOf(runNamed(*isolated, "pid"));
      std::lock_guard lock(mutex);
      pids.insert(pid);
    });
  }
  EXPECT_TRUE(eventually([&] { return isolated->processes() == 3; }, 5s));
  for (auto& job : jobs) job.join();
  EXPECT_EQ(pids.size(), 3u) << "one process per job running at once";
  EXPECT_TRUE(eventually([&] { return isolated->processes() == 1; }, 5s))
      << isolated->processes() << " processes";
  std::size_t left = 0;
  for (long pid : pids) left += gone(pid) ? 0 : 1;
  EXPECT_TRUE(eventually(
      [&] {
        left = 0;
        for (long pid : pids) left += gone(pid) ? 0 : 1;
        return left == 1;
      },
      5s))
      << left;
}

TEST(ProcessExecutor, AForkThePluginLeftBehindEndsWithItsProcess) {
  ProcessOptions o = options();
  o.maxJobs = 1;
  auto isolated = start(fixture("misbehave"), o);
  const plugins::JobOutcome forked = runNamed(*isolated, "fork", R"({"linger_s":60})");
  ASSERT_EQ(forked.outcome, WARREN_JOB_COMPLETED);
  const long child = std::stol(forked.result.substr(forked.result.find(':') + 1));
  ASSERT_GT(child, 0);
  // Recycled after its one job: the process group goes, the lingering fork with it.
  EXPECT_TRUE(eventually([&] { return gone(child); }, 5s)) << "fork " << child << " lingers";
}

TEST(ProcessExecutor, GarbageOnStdoutIsNoHarm) {
  auto isolated = start(fixture("misbehave"));
  const plugins::JobOutcome outcome = runNamed(*isolated, "stdout", R"({"bytes":65536})");
  EXPECT_EQ(outcome.outcome, WARREN_JOB_COMPLETED);
  EXPECT_EQ(outcome.result, R"({"wrote":65536})");
  EXPECT_GT(pidOf(runNamed(*isolated, "pid")), 0);
}

TEST(ProcessExecutor, AnInitFailureReadsAsInProcess) {
  std::string inProcess;
  try {
    plugins::Instance instance(plugins::Library::load(fixture("init_fails")), {}, "iso");
  } catch (const plugins::PluginError& e) {
    inProcess = e.what();
  }
  ASSERT_FALSE(inProcess.empty());
  try {
    start(fixture("init_fails"));
    FAIL() << "started";
  } catch (const plugins::PluginError& e) {
    EXPECT_EQ(e.what(), inProcess);
  }
  try {
    start(fixture("required_config"));
    FAIL() << "started without its required key";
  } catch (const plugins::PluginError& e) {
    EXPECT_NE(std::string(e.what()).find("requires config key"), std::string::npos) << e.what();
  }
}

TEST(ProcessExecutor, AJobThatKeepsKillingProcessesIsAPoisonPill) {
  RedisServer redis;
  auto pool = std::make_shared<queue::RedisPool>(redis::Url::parse(redis.url()),
                                                 redis::ConnectionOptions{});
  ProcessOptions o = options();
  o.maxCrashes = 2;
  o.crashes = std::make_shared<executor::RedisCrashLedger>(pool, "bull");
  auto isolated = start(fixture("misbehave"), o);
  plugins::JobInput input = jobInput("segfault");
  input.timestamp = 1700000000000;
  const plugins::JobOutcome first = runJob(*isolated, input).outcome;
  EXPECT_EQ(first.outcome, WARREN_JOB_FAILED_RETRYABLE);
  EXPECT_EQ(first.error, "plugin crashed: SIGSEGV in misbehave 1.0.0");
  plugins::JobInput other = input;
  other.id = "job-2";
  EXPECT_EQ(runJob(*isolated, other).outcome.outcome, WARREN_JOB_FAILED_RETRYABLE)
      << "another job's crash is its own";
  const plugins::JobOutcome second = runJob(*isolated, input).outcome;
  EXPECT_EQ(second.outcome, WARREN_JOB_FAILED_UNRECOVERABLE);
  EXPECT_EQ(second.error, "poison pill: killed 2 executors (SIGSEGV)");
  redis::Connection connection(redis::Url::parse(redis.url()), {});
  const std::string key = executor::RedisCrashLedger::keyOf("bull", input);
  EXPECT_EQ(key, "warren:crashes:4:bull:test-queue:1700000000000:job-1");
  EXPECT_EQ(connection.command({"GET", key}).str(), "2");
  EXPECT_GT(connection.command({"TTL", key}).integer(), 29 * 24 * 3600);
  // Killed for ignoring its cancellation is the node's doing: not counted.
  plugins::JobContext spin(jobInput("spin"), {});
  spin.cancel("timeout");
  EXPECT_EQ(isolated->run(spin).outcome, WARREN_JOB_FAILED_RETRYABLE);
  EXPECT_EQ(
      connection.command({"EXISTS", executor::RedisCrashLedger::keyOf("bull", jobInput("spin"))})
          .integer(),
      0);
}

TEST(ProcessExecutor, RetiredProcessesRunThePluginsShutdown) {
  std::set<long> pids;
  {
    auto isolated = start(fixture("misbehave"));
    pids.insert(pidOf(runNamed(*isolated, "pid")));
  }
  EXPECT_EQ(executor::awaitRetired(5s), 0u);
  for (long pid : pids) EXPECT_TRUE(gone(pid)) << pid;
}

}  // namespace
}  // namespace warren::test
