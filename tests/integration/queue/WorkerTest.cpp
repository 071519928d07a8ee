// The worker against a real redis-server: what a BullMQ reader finds in Redis afterwards.
#include "Paths.h"
#include "QueueSupport.h"
#include "RedisServer.h"
#include "plugins/Instance.h"
#include "queue/Scripts.h"
#include "queue/Worker.h"
#include "redis/Connection.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <climits>
#include <functional>
#include <thread>

namespace warren::queue {
namespace {

using namespace std::chrono_literals;

class WorkerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    redis_ = std::make_unique<redis::Connection>(redis::Url::parse(server_.url()));
    auto library = plugins::Library::load(test::builtPlugin("echo"));
    instance_ = std::make_shared<plugins::Instance>(library, plugins::ConfigValues{}, "q");
    options_.queue = "q";
    options_.name = "test-worker";
    options_.concurrency = 2;
  }

  std::unique_ptr<Worker> startWorker() {
    auto worker = std::make_unique<Worker>(options_, redis::Url::parse(server_.url()),
                                           connectionOptions_, instance_);
    worker->start();
    return worker;
  }

  // Adds a job the way a BullMQ producer lays it out (hash, wait list, marker).
  void add(const std::string& id, const std::string& data, const std::string& opts = "{}",
           const std::string& name = "echo") {
    redis_->command({"HSET", "bull:q:" + id, "name", name, "data", data, "opts", opts, "timestamp",
                     std::to_string(nowMs()), "delay", "0", "priority", "0"});
    redis_->command({"LPUSH", "bull:q:wait", id});
    redis_->command({"ZADD", "bull:q:marker", "0", "0"});
  }

  void addMany(int count, const std::string& name,
               const std::function<std::string(const std::string&)>& data) {
    test::addJobs(*redis_, count, name, data);
  }

  void waitCompleted(long long count) { test::waitCompleted(*redis_, count); }

  std::string field(const std::string& id, const std::string& name) {
    return redis_->command({"HGET", "bull:q:" + id, name}).str();
  }

  // Waits until the job is in the completed or failed set; returns which ("" on timeout).
  std::string waitFinished(const std::string& id, std::chrono::milliseconds limit = 10s) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < deadline) {
      for (const char* set : {"completed", "failed"}) {
        if (!redis_->command({"ZSCORE", std::string("bull:q:") + set, id}).isNil()) return set;
      }
      std::this_thread::sleep_for(20ms);
    }
    return "";
  }

  test::RedisServer server_;
  std::unique_ptr<redis::Connection> redis_;
  std::shared_ptr<plugins::Instance> instance_;
  WorkerOptions options_;
  redis::ConnectionOptions connectionOptions_;
};

// Calls of one command so far, from INFO commandstats.
long long commandCalls(redis::Connection& admin, const std::string& command) {
  const std::string stats = admin.command({"INFO", "commandstats"}).asString();
  const std::string tag = "cmdstat_" + command + ":calls=";
  const auto at = stats.find(tag);
  return at == std::string::npos ? 0 : std::stoll(stats.substr(at + tag.size()));
}

TEST_F(WorkerTest, CompletesAJobAsBullMQWould) {
  auto worker = startWorker();
  add("1", R"({"value":{"x":2}})");
  ASSERT_EQ(waitFinished("1"), "completed");
  EXPECT_EQ(field("1", "returnvalue"), R"({"x":2})");
  EXPECT_EQ(field("1", "atm"), "1");
  EXPECT_EQ(field("1", "ats"), "1");
  EXPECT_EQ(field("1", "pb"), "test-worker");
  EXPECT_TRUE(redis_->command({"EXISTS", "bull:q:1:lock"}).integer() == 0);
  EXPECT_EQ(redis_->command({"LLEN", "bull:q:active"}).integer(), 0);
}

// Redis 7 runs the scripts as functions of Warren's library; with functions switched off (or on
// Redis 6.2) the same scripts run as EVALSHA, with the same results.
TEST_F(WorkerTest, JobsCompleteAsFunctionsAndAsEvalScripts) {
  for (const bool functions : {true, false}) {
    SCOPED_TRACE(functions ? "functions" : "EVALSHA");
    redis_->command({"FLUSHALL"});
    redis_->command({"FUNCTION", "FLUSH"});
    redis_->command({"CONFIG", "RESETSTAT"});
    connectionOptions_.useFunctions = functions;
    options_.concurrency = 3;
    auto worker = startWorker();
    for (int i = 1; i <= 20; ++i) add(std::to_string(i), R"({"value":1})");
    for (int i = 1; i <= 20; ++i) ASSERT_EQ(waitFinished(std::to_string(i)), "completed") << i;
    EXPECT_EQ(field("20", "returnvalue"), "1");
    worker->close(5s);
    EXPECT_EQ(commandCalls(*redis_, "fcall") > 0, functions);
    EXPECT_EQ(commandCalls(*redis_, "evalsha") > 0, !functions);
  }
}

// A function library keeps its top-level values between calls: nothing read for one queue (here
// the meta hash of a paused queue) may be seen by the next call for another.
TEST_F(WorkerTest, ScriptCallsShareNoStateAcrossQueues) {
  redis_->command({"HSET", "bull:p:meta", "paused", "1"});
  redis_->command(
      {"HSET", "bull:p:1", "name", "echo", "data", "{}", "opts", "{}", "timestamp", "1"});
  redis_->command({"LPUSH", "bull:p:wait", "1"});
  add("1", "{}");
  const auto fetch = [&](const std::string& queue) {
    return script(ScriptId::fetch)
        .run(*redis_, {"bull:" + queue + ":meta"},
             {"bull:" + queue + ":", std::to_string(nowMs()), "30000", "", "", "w", "tok"});
  };
  const redis::Reply paused = fetch("p");
  ASSERT_TRUE(paused.isArray()) << paused.describe();
  EXPECT_EQ(paused.elements()[0].elements()[1], redis::Reply::integer(0)) << paused.describe();
  const redis::Reply fetched = fetch("q");
  ASSERT_TRUE(fetched.isArray()) << fetched.describe();
  EXPECT_EQ(fetched.elements()[0].elements()[1], redis::Reply::string("1")) << fetched.describe();
  EXPECT_EQ(redis_->scriptMode(), redis::ScriptMode::functions);
}

// Redis dies while batches are on the wire (their replies lost) and comes back from its
// append-only file: every job still ends completed exactly once, none failed or left behind.
// With echo the jobs run in the pool; with noop (an inline plugin) on the io thread, which also
// sends half batches between two jobs.
class WorkerRestart : public ::testing::TestWithParam<std::string> {};

TEST_P(WorkerRestart, RedisKilledWhileBatchesAreInFlightLosesNoJob) {
  test::RedisServer server(
      std::vector<std::string>{"--appendonly", "yes", "--appendfsync", "always"});
  redis::Connection admin(redis::Url::parse(server.url()));
  constexpr int kJobs = 1500;
  test::addJobs(admin, kJobs, "echo", [](const std::string&) { return R"({"sleep_ms":2})"; });
  WorkerOptions options;
  options.queue = "q";
  options.name = "restart";
  options.concurrency = 10;
  options.lockDurationMs = 1000;  // jobs fetched by a lost batch come back within seconds
  options.lockRenewTimeMs = 500;
  options.stalledIntervalMs = 1000;
  Worker worker(options, redis::Url::parse(server.url()), redis::ConnectionOptions{},
                test::instanceOf(GetParam()));
  worker.start();
  while (admin.command({"ZCARD", "bull:q:completed"}).integer() < 100)
    std::this_thread::sleep_for(5ms);
  server.kill();
  std::this_thread::sleep_for(300ms);
  server.start();
  redis::Connection after(redis::Url::parse(server.url()));
  test::waitCompleted(after, kJobs, 60s);
  EXPECT_EQ(after.command({"ZCARD", "bull:q:completed"}).integer(), kJobs);
  EXPECT_EQ(after.command({"ZCARD", "bull:q:failed"}).integer(), 0);
  EXPECT_EQ(after.command({"LLEN", "bull:q:wait"}).integer(), 0);
  EXPECT_EQ(after.command({"LLEN", "bull:q:active"}).integer(), 0);
  EXPECT_EQ(test::completedEvents(after), kJobs) << "each job completed once";
  worker.close(5s);
}

INSTANTIATE_TEST_SUITE_P(Plugins, WorkerRestart, ::testing::Values("echo", "noop"),
                         [](const auto& param) { return param.param; });

// An inline plugin's jobs run on the thread that fetched them: with many jobs per batch each
// completes once, with its own return value, and none is left active.
TEST_F(WorkerTest, AnInlinePluginCompletesEveryJobOnce) {
  instance_ = test::instanceOf("noop");
  options_.concurrency = 10;
  auto worker = startWorker();
  addMany(2000, "any", [](const std::string& id) { return R"({"n":)" + id + "}"; });
  for (const char* id : {"1", "1000", "2000"}) ASSERT_EQ(waitFinished(id), "completed") << id;
  waitCompleted(2000);
  EXPECT_EQ(redis_->command({"ZCARD", "bull:q:completed"}).integer(), 2000);
  EXPECT_EQ(redis_->command({"LLEN", "bull:q:active"}).integer(), 0);
  EXPECT_EQ(field("1000", "returnvalue"), R"({"n":1000})");
  EXPECT_EQ(field("1000", "pb"), "test-worker");
  worker->close(5s);
  EXPECT_EQ(test::completedEvents(*redis_), 2000);
}

// What an inline plugin reports from the io thread reaches Redis before its settlement, as from
// a pool thread: progress, job log lines, and a failure retried under its attempts.
TEST_F(WorkerTest, AnInlinePluginsProgressAndLogsComeBeforeItsSettlement) {
  instance_ = std::make_shared<plugins::Instance>(
      plugins::Library::load(test::fixture("inline_reporter")), plugins::ConfigValues{}, "q");
  options_.concurrency = 4;
  auto worker = startWorker();
  add("1", R"({"k":1})", "{}", "ok");
  add("2", "{}", R"({"attempts":2})", "fail");
  ASSERT_EQ(waitFinished("1"), "completed");
  ASSERT_EQ(waitFinished("2"), "failed");
  EXPECT_EQ(field("1", "returnvalue"), R"({"k":1})");
  EXPECT_EQ(field("1", "progress"), "50");
  const auto logs = redis_->command({"LRANGE", "bull:q:1:logs", "0", "-1"}).elements();
  ASSERT_EQ(logs.size(), 1u);
  EXPECT_EQ(logs[0].str(), "inline job 1");
  EXPECT_EQ(field("2", "atm"), "2");
  EXPECT_EQ(field("2", "failedReason"), "inline failure");
  std::vector<std::string> events;
  const redis::Reply stream = redis_->command({"XRANGE", "bull:q:events", "-", "+"});
  for (const auto& entry : stream.elements()) {
    const auto& fields = entry.elements()[1].elements();
    for (std::size_t i = 0; i + 1 < fields.size(); i += 2) {
      if (fields[i].str() == "jobId" && fields[i + 1].str() == "1")
        events.push_back(fields[1].str());
    }
  }
  EXPECT_EQ(events, (std::vector<std::string>{"active", "progress", "completed"}));
}

// A reload may swap a pool plugin for an inline one and back while jobs flow: none is lost or
// run twice, and each ran in the generation current when it was fetched.
TEST_F(WorkerTest, SwappingPoolAndInlinePluginsWhileJobsFlowLosesNoJob) {
  options_.concurrency = 5;
  auto worker = startWorker();
  constexpr int kJobs = 3000;
  addMany(kJobs, "echo", [](const std::string&) { return std::string(R"({"value":"echo"})"); });
  waitCompleted(300);
  worker->setExecutor(test::instanceOf("noop"));
  waitCompleted(1500);
  worker->setExecutor(instance_);
  waitCompleted(kJobs);
  EXPECT_EQ(redis_->command({"ZCARD", "bull:q:completed"}).integer(), kJobs);
  EXPECT_EQ(redis_->command({"LLEN", "bull:q:active"}).integer(), 0);
  int echoed = 0;
  int inlined = 0;
  for (int i = 1; i <= kJobs; ++i) {
    const std::string value = field(std::to_string(i), "returnvalue");
    echoed += value == R"("echo")";
    inlined += value == R"({"value":"echo"})";
  }
  EXPECT_EQ(echoed + inlined, kJobs);
  EXPECT_GT(inlined, 0);
  EXPECT_GT(echoed, 300);
  worker->close(5s);
  EXPECT_EQ(test::completedEvents(*redis_), kJobs);
}

// Closing while an inline plugin's batches flow: every job ends completed or back in wait.
TEST_F(WorkerTest, ClosingAnInlineWorkerMidRunLeavesEveryJobCompletedOrWaiting) {
  instance_ = test::instanceOf("noop");
  options_.concurrency = 20;
  auto worker = startWorker();
  constexpr int kJobs = 20000;
  addMany(kJobs, "any", [](const std::string&) { return std::string("{}"); });
  while (redis_->command({"ZCARD", "bull:q:completed"}).integer() < 500)
    std::this_thread::sleep_for(1ms);
  worker->close(5s);
  const long long completed = redis_->command({"ZCARD", "bull:q:completed"}).integer();
  EXPECT_LT(completed, kJobs) << "closed too late to test anything";
  EXPECT_EQ(completed + redis_->command({"LLEN", "bull:q:wait"}).integer(), kJobs);
  EXPECT_EQ(redis_->command({"LLEN", "bull:q:active"}).integer(), 0);
  EXPECT_EQ(test::completedEvents(*redis_), completed);
}

// Pool threads wake one another only while jobs are left: slow jobs must still all run at once.
TEST_F(WorkerTest, EveryJobSlotRunsAtOnce) {
  options_.concurrency = 8;
  auto worker = startWorker();
  for (int i = 1; i <= 8; ++i) add(std::to_string(i), R"({"sleep_ms":1500})");
  for (int i = 1; i <= 8; ++i) ASSERT_EQ(waitFinished(std::to_string(i)), "completed") << i;
  long long lastStart = 0;
  long long firstFinish = LLONG_MAX;
  for (int i = 1; i <= 8; ++i) {
    lastStart = std::max(lastStart, std::stoll(field(std::to_string(i), "processedOn")));
    firstFinish = std::min(firstFinish, std::stoll(field(std::to_string(i), "finishedOn")));
  }
  EXPECT_LT(lastStart, firstFinish) << "a job started only after another had finished";
}

// Many short jobs through few slots: none is stranded in the ready queue.
TEST_F(WorkerTest, AThousandShortJobsAllComplete) {
  options_.concurrency = 5;
  auto worker = startWorker();
  addMany(1000, "echo", [](const std::string&) { return std::string("{}"); });
  waitCompleted(1000);
  EXPECT_EQ(redis_->command({"ZCARD", "bull:q:completed"}).integer(), 1000);
  EXPECT_EQ(redis_->command({"LLEN", "bull:q:active"}).integer(), 0);
}

// Finishes travel in one script call; a job whose finish raises an error must not take the
// others of its call down with it.
TEST_F(WorkerTest, AFinishThatErrorsLeavesTheOthersOfItsBatchFinished) {
  options_.concurrency = 4;
  auto worker = startWorker();
  for (int i = 1; i <= 4; ++i) add(std::to_string(i), R"({"sleep_ms":800})");
  for (int i = 0; i < 200 && redis_->command({"LLEN", "bull:q:active"}).integer() < 4; ++i) {
    std::this_thread::sleep_for(10ms);
  }
  ASSERT_EQ(redis_->command({"LLEN", "bull:q:active"}).integer(), 4);
  // A lock key of the wrong type makes the finish script's GET fail for job 2 alone.
  redis_->command({"DEL", "bull:q:2:lock"});
  redis_->command({"HSET", "bull:q:2:lock", "not", "a-string"});
  for (const char* id : {"1", "3", "4"}) EXPECT_EQ(waitFinished(id), "completed") << id;
  EXPECT_EQ(waitFinished("2", 1s), "");
  EXPECT_EQ(redis_->command({"LRANGE", "bull:q:active", "0", "-1"}).elements().size(), 1u);
  EXPECT_EQ(redis_->command({"LINDEX", "bull:q:active", "0"}).str(), "2");
}

TEST_F(WorkerTest, AJobOverItsTimeoutFailsWithTheReason) {
  options_.timeoutMs = 300;
  auto worker = startWorker();
  add("1", R"({"sleep_ms":5000})");
  const auto start = std::chrono::steady_clock::now();
  ASSERT_EQ(waitFinished("1"), "failed");
  EXPECT_LT(std::chrono::steady_clock::now() - start, 3s);
  EXPECT_EQ(field("1", "failedReason"), "timed out after 300 ms");
}

TEST_F(WorkerTest, ATimedOutJobIsRetriedUnderItsAttempts) {
  options_.timeoutMs = 200;
  auto worker = startWorker();
  add("1", R"({"sleep_ms":5000})", R"({"attempts":2})");
  ASSERT_EQ(waitFinished("1"), "failed");
  EXPECT_EQ(field("1", "atm"), "2");
  EXPECT_EQ(field("1", "failedReason"), "timed out after 200 ms");
}

TEST_F(WorkerTest, CloseGivesRunningJobsBackToWaitWithoutCountingAnAttempt) {
  auto worker = startWorker();
  add("1", R"({"sleep_ms":20000})");
  for (int i = 0; i < 200 && redis_->command({"LLEN", "bull:q:active"}).integer() == 0; ++i) {
    std::this_thread::sleep_for(10ms);
  }
  ASSERT_EQ(redis_->command({"LLEN", "bull:q:active"}).integer(), 1);
  EXPECT_EQ(worker->close(200ms), 1u);
  EXPECT_EQ(redis_->command({"LLEN", "bull:q:active"}).integer(), 0);
  EXPECT_EQ(redis_->command({"LRANGE", "bull:q:wait", "0", "-1"}).elements().at(0).str(), "1");
  EXPECT_TRUE(redis_->command({"HGET", "bull:q:1", "atm"}).isNil());
  EXPECT_EQ(redis_->command({"EXISTS", "bull:q:1:lock"}).integer(), 0);
}

TEST_F(WorkerTest, AMissingJobHashIsSkippedAndTheWorkerGoesOn) {
  redis_->command({"LPUSH", "bull:q:wait", "ghost"});
  auto worker = startWorker();
  add("2", R"({"value":1})");
  ASSERT_EQ(waitFinished("2"), "completed");
  EXPECT_EQ(redis_->command({"LPOS", "bull:q:active", "ghost"}).isNil(), true);
}

TEST_F(WorkerTest, MalformedFieldsFailTheJobWithAReadableReason) {
  auto worker = startWorker();
  add("1", "{not json");
  add("2", "{}", "{\"attempts\":");
  add("3", R"({"value":3})");
  ASSERT_EQ(waitFinished("1"), "failed");
  ASSERT_EQ(waitFinished("2"), "failed");
  ASSERT_EQ(waitFinished("3"), "completed");
  EXPECT_EQ(field("1", "failedReason").rfind("job data is not valid JSON", 0), 0u)
      << field("1", "failedReason");
  EXPECT_EQ(field("2", "failedReason").rfind("job opts field is not valid JSON", 0), 0u);
  // Whatever Warren writes stays valid JSON for Node readers.
  EXPECT_EQ(field("1", "stacktrace").front(), '[');
}

TEST_F(WorkerTest, LocksAreRenewedWhileAJobRunsLongerThanLockDuration) {
  options_.lockDurationMs = 600;
  options_.lockRenewTimeMs = 300;
  options_.stalledIntervalMs = 300;
  auto worker = startWorker();
  add("1", R"({"sleep_ms":2000,"value":"done"})");
  ASSERT_EQ(waitFinished("1"), "completed");
  EXPECT_TRUE(redis_->command({"HGET", "bull:q:1", "stc"}).isNil());
  EXPECT_EQ(field("1", "atm"), "1");
}

TEST_F(WorkerTest, UnhandledJobNameFailsWithoutRetry) {
  auto worker = startWorker();
  add("1", "{}", R"({"attempts":3})", "resize");
  ASSERT_EQ(waitFinished("1"), "failed");
  EXPECT_EQ(field("1", "failedReason"), "job name 'resize' is not handled by plugin echo");
  EXPECT_EQ(field("1", "atm"), "1");
}

}  // namespace
}  // namespace warren::queue
