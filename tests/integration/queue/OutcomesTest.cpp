// The outcomes a plugin picks to wait without spending an attempt (ABI 1.2), against a real
// redis-server, as a BullMQ reader finds them: WARREN_JOB_DELAYED (job.moveToDelayed +
// DelayedError) and WARREN_JOB_RATE_LIMITED (Worker.rateLimit + RateLimitError).
#include "Paths.h"
#include "QueueSupport.h"
#include "RedisServer.h"
#include "TempDir.h"
#include "metrics/ProcessMetrics.h"
#include "metrics/Registry.h"
#include "plugins/Library.h"
#include "queue/OnceLedger.h"
#include "queue/RedisPool.h"
#include "queue/Worker.h"
#include "redis/Connection.h"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <thread>

namespace warren::queue {
namespace {

using namespace std::chrono_literals;

class Outcomes : public ::testing::Test {
 protected:
  void SetUp() override {
    redis_ = std::make_unique<redis::Connection>(redis::Url::parse(server_.url()));
    options_.queue = "q";
    options_.name = "outcomes";
    options_.concurrency = 1;
  }

  std::unique_ptr<Worker> startWorker(const std::string& fixture = "abi12") {
    auto library = plugins::Library::load(test::fixture(fixture));
    auto instance = std::make_shared<plugins::Instance>(library, plugins::ConfigValues{}, "q");
    auto worker = std::make_unique<Worker>(options_, redis::Url::parse(server_.url()),
                                           redis::ConnectionOptions{}, instance);
    worker->start();
    return worker;
  }

  void add(const std::string& id, const std::string& name, const std::string& data,
           const std::string& opts = "{}") {
    redis_->command({"HSET", "bull:q:" + id, "name", name, "data", data, "opts", opts, "timestamp",
                     std::to_string(nowMs()), "delay", "0", "priority", "0"});
    redis_->command({"LPUSH", "bull:q:wait", id});
    redis_->command({"ZADD", "bull:q:marker", "0", "0"});
  }

  redis::Reply field(const std::string& id, const std::string& name) {
    return redis_->command({"HGET", "bull:q:" + id, name});
  }

  bool waitFor(const std::function<bool()>& done, std::chrono::milliseconds limit = 10s) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (!done()) {
      if (std::chrono::steady_clock::now() > deadline) return false;
      std::this_thread::sleep_for(5ms);
    }
    return true;
  }

  bool in(const char* set, const std::string& id) {
    return !redis_->command({"ZSCORE", std::string("bull:q:") + set, id}).isNil();
  }

  std::vector<std::string> logs(const std::string& id) {
    std::vector<std::string> lines;
    for (const auto& line :
         redis_->command({"LRANGE", "bull:q:" + id + ":logs", "0", "-1"}).elements()) {
      lines.push_back(line.str());
    }
    return lines;
  }

  // The fields of the queue's events named `event`, oldest first.
  std::vector<std::map<std::string, std::string>> events(const std::string& event) {
    std::vector<std::map<std::string, std::string>> out;
    for (const auto& entry : redis_->command({"XRANGE", "bull:q:events", "-", "+"}).elements()) {
      const auto& fields = entry.elements()[1].elements();
      std::map<std::string, std::string> map;
      for (std::size_t i = 0; i + 1 < fields.size(); i += 2) {
        map[fields[i].str()] = fields[i + 1].str();
      }
      if (map["event"] == event) out.push_back(map);
    }
    return out;
  }

  double processed(const std::string& status) {
    return metrics::registry().value(metrics::names::jobsProcessed,
                                     {{"queue", "q"}, {"status", status}});
  }

  test::RedisServer server_;
  std::unique_ptr<redis::Connection> redis_;
  WorkerOptions options_;
};

TEST_F(Outcomes, ADelayedJobWaitsInTheDelayedSetWithoutSpendingAnAttempt) {
  const double delayedBefore = processed("delayed");
  auto worker = startWorker();
  const std::int64_t until = nowMs() + 700;
  add("1", "abi12:delay",
      R"({"until":)" + std::to_string(until) + R"(,"reason":"the provider is busy"})",
      R"({"attempts":1})");
  ASSERT_TRUE(waitFor([&] { return in("delayed", "1"); }));
  EXPECT_TRUE(field("1", "atm").isNil());  // no attempt made
  EXPECT_TRUE(field("1", "failedReason").isNil());
  const std::int64_t delay = std::stoll(field("1", "delay").str());
  EXPECT_GT(delay, 0);
  EXPECT_LE(delay, 700);
  // The delayed event carries the absolute due time; the score packs it (§4.2.4).
  const auto delayed = events("delayed");
  ASSERT_EQ(delayed.size(), 1u);
  EXPECT_EQ(delayed[0].at("jobId"), "1");
  EXPECT_EQ(delayed[0].at("delay"), std::to_string(until));
  EXPECT_EQ(redis_->command({"ZSCORE", "bull:q:delayed", "1"}).str(), std::to_string(until * 4096));
  EXPECT_EQ(logs("1"), std::vector<std::string>{"delayed until " + plugins::isoTime(until) +
                                                ": the provider is busy"});
  EXPECT_EQ(processed("delayed"), delayedBefore + 1);

  // Due, it runs again as the same attempt: with attempts 1 it could not have been retried.
  ASSERT_TRUE(waitFor([&] { return in("completed", "1"); }));
  EXPECT_GE(std::stoll(field("1", "processedOn").str()), until);
  EXPECT_EQ(field("1", "returnvalue").str(), R"({"attempt":1})");
  EXPECT_EQ(field("1", "atm").str(), "1");
  EXPECT_EQ(field("1", "ats").str(), "2");
}

TEST_F(Outcomes, ARateLimitedJobGoesBackToWaitAndTheWorkerFetchesNothingUntilTheLimit) {
  const double limitedBefore = processed("rate_limited");
  auto worker = startWorker();
  const std::int64_t until = nowMs() + 800;
  add("1", "abi12:ratelimit", R"({"until":)" + std::to_string(until) + R"(,"reason":"429"})");
  add("2", "abi12:delay", R"({"until":0})");
  ASSERT_TRUE(waitFor([&] { return !logs("1").empty(); }));
  ASSERT_TRUE(waitFor([&] { return redis_->command({"PTTL", "bull:q:limiter"}).integer() > 0; }));
  EXPECT_EQ(logs("1"),
            std::vector<std::string>{"rate limited until " + plugins::isoTime(until) + ": 429"});
  const auto waiting = events("waiting");
  ASSERT_FALSE(waiting.empty());
  EXPECT_EQ(waiting.back().at("jobId"), "1");
  EXPECT_EQ(waiting.back().at("prev"), "active");
  // Back in wait, at the end that is taken first; no attempt counted; job 2 not started.
  ASSERT_TRUE(
      waitFor([&] { return !in("completed", "1") && processed("rate_limited") > limitedBefore; }));
  EXPECT_TRUE(field("1", "atm").isNil());
  EXPECT_TRUE(field("2", "processedOn").isNil());

  ASSERT_TRUE(waitFor([&] { return in("completed", "1") && in("completed", "2"); }));
  EXPECT_GE(std::stoll(field("1", "processedOn").str()), until - 5);
  EXPECT_GE(std::stoll(field("2", "processedOn").str()), until - 5);
  EXPECT_EQ(field("1", "atm").str(), "1");
  EXPECT_EQ(field("1", "ats").str(), "2");
  EXPECT_EQ(processed("rate_limited"), limitedBefore + 1);
}

TEST_F(Outcomes, AWaitWithoutATimeIsARetryableFailureSayingWhy) {
  auto worker = startWorker("no_retry_time");
  add("1", "delay", "{}", R"({"attempts":2})");
  add("2", "ratelimit", "{}");
  ASSERT_TRUE(waitFor([&] { return in("failed", "1") && in("failed", "2"); }));
  EXPECT_EQ(field("1", "atm").str(), "2");  // retried once, then out of attempts
  EXPECT_EQ(field("1", "failedReason").str(),
            "plugin no_retry_time returned WARREN_JOB_DELAYED without a time to try again "
            "(set_retry_at) (no time given)");
  EXPECT_EQ(field("2", "failedReason").str(),
            "plugin no_retry_time returned WARREN_JOB_RATE_LIMITED without a time to try again "
            "(set_retry_at) (no time given)");
}

TEST_F(Outcomes, AWaitOfMoreThanThirtyDaysIsARetryableFailure) {
  auto worker = startWorker();
  add("1", "abi12:far", "{}");
  ASSERT_TRUE(waitFor([&] { return in("failed", "1"); }));
  const std::string reason = field("1", "failedReason").str();
  EXPECT_EQ(reason.rfind("plugin abi12 returned WARREN_JOB_DELAYED until ", 0), 0u) << reason;
  EXPECT_NE(reason.find("Z, more than 30 days ahead (far away)"), std::string::npos) << reason;
  EXPECT_FALSE(in("delayed", "1"));
}

TEST_F(Outcomes, APluginAskedToStopAtItsTimeoutReadsTimeout) {
  options_.timeoutMs = 200;
  auto worker = startWorker();
  add("1", "abi12:cancel", R"({"wait_ms":20000})");
  ASSERT_TRUE(waitFor([&] { return in("failed", "1"); }));
  EXPECT_EQ(field("1", "failedReason").str(), "timed out after 200 ms");
  ASSERT_TRUE(waitFor([&] { return !logs("1").empty(); }));
  EXPECT_EQ(logs("1"), std::vector<std::string>{"cancelled: timeout"});
}

TEST_F(Outcomes, AJobGivenBackAtTheReloadDeadlineReadsReloadDeadline) {
  auto library = plugins::Library::load(test::fixture("abi12"));
  auto instance = std::make_shared<plugins::Instance>(library, plugins::ConfigValues{}, "q");
  Worker worker(options_, redis::Url::parse(server_.url()), redis::ConnectionOptions{}, instance);
  worker.start();
  add("1", "abi12:cancel", R"({"wait_ms":20000})");
  ASSERT_TRUE(waitFor([&] { return worker.runningIn(instance) == 1; }));
  EXPECT_EQ(worker.requeueRunningIn(instance), 1u);
  ASSERT_TRUE(waitFor([&] { return !logs("1").empty(); }));
  EXPECT_EQ(logs("1"), std::vector<std::string>{"cancelled: reload deadline"});
  worker.close(std::chrono::milliseconds(0));
}

TEST_F(Outcomes, AJobGivenBackAtShutdownReadsShutdown) {
  const test::TempDir dir("warren-cancel");
  const std::string file = (dir / "reasons").string();
  auto worker = startWorker();
  add("1", "abi12:cancel", R"({"wait_ms":20000,"file":")" + file + R"("})");
  ASSERT_TRUE(waitFor([&] { return worker->activeJobs() == 1; }));
  EXPECT_EQ(worker->close(std::chrono::milliseconds(50)), 1u);
  // close returns once the plugin call has returned (its job log line may not reach Redis).
  std::ifstream in(file);
  const std::string reasons((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(reasons, "shutdown\n");
  EXPECT_EQ(redis_->command({"LRANGE", "bull:q:wait", "0", "-1"}).elements().size(), 1u);
}

TEST_F(Outcomes, OnceRunsASideEffectOnlyOnceAcrossAttempts) {
  const test::TempDir dir("warren-once");
  const std::string file = (dir / "effects").string();
  auto pool =
      std::make_shared<RedisPool>(redis::Url::parse(server_.url()), redis::ConnectionOptions{});
  options_.ledger = std::make_shared<RedisOnceLedger>(pool, "bull");
  auto worker = startWorker();
  const std::string timestamp = std::to_string(nowMs());
  redis_->command({"HSET", "bull:q:1", "name", "abi12:once", "data",
                   R"({"file":")" + file + R"(","key":"email","fail_first":true})", "opts",
                   R"({"attempts":2})", "timestamp", timestamp, "delay", "0", "priority", "0"});
  redis_->command({"LPUSH", "bull:q:wait", "1"});
  redis_->command({"ZADD", "bull:q:marker", "0", "0"});
  ASSERT_TRUE(waitFor([&] { return in("completed", "1"); }));
  EXPECT_EQ(field("1", "atm").str(), "2");  // the first attempt failed after the side effect
  // The side effect of the first attempt was recorded; the second found it and skipped it.
  std::ifstream in(file);
  const std::string effects((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(effects, "side effect of attempt 1\n");
  EXPECT_EQ(field("1", "returnvalue").str(), R"({"recorded":{"attempt":1}})");
  // The ledger's hash, outside BullMQ's keys, with the plugin's TTL (7 days by default).
  const std::string key = "warren:once:4:bull:q:" + timestamp + ":1";
  EXPECT_EQ(redis_->command({"HGET", key, "email"}).str(), R"({"attempt":1})");
  const long long ttl = redis_->command({"TTL", key}).integer();
  EXPECT_GT(ttl, 7 * 24 * 3600 - 60);
  EXPECT_LE(ttl, 7 * 24 * 3600);
}

TEST_F(Outcomes, ANewJobWithTheSameCustomIdDoesNotInheritTheLedger) {
  plugins::JobInput first;
  first.queue = "q";
  first.id = "send-42";
  first.timestamp = 1000;
  plugins::JobInput again = first;
  again.timestamp = 2000;  // removed, then added again with the same id
  EXPECT_NE(RedisOnceLedger::keyOf("bull", first), RedisOnceLedger::keyOf("bull", again));
  // A prefix with ':' and an id with ':' cannot make two jobs share a hash.
  plugins::JobInput a;
  a.queue = "c";
  a.id = "x:y:z";
  a.timestamp = 5;
  EXPECT_EQ(RedisOnceLedger::keyOf("a:b", a), "warren:once:3:a:b:c:5:x:y:z");
}

}  // namespace
}  // namespace warren::queue
