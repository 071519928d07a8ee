// Key building, option decoding, backoff, retention and stack traces of the queue engine.
#include "queue/JobRecord.h"
#include "queue/Keys.h"
#include "queue/Preflight.h"

#include <gtest/gtest.h>

namespace warren::queue {
namespace {

redis::Reply hash(std::vector<std::pair<std::string, std::string>> fields) {
  std::vector<redis::Reply> items;
  for (auto& [k, v] : fields) {
    items.push_back(redis::Reply::string(k));
    items.push_back(redis::Reply::string(v));
  }
  return redis::Reply::array(std::move(items));
}

TEST(Keys, BuildsBullMQKeyNames) {
  const Keys keys("bull", "emails");
  EXPECT_EQ(keys.base(), "bull:emails:");
  EXPECT_EQ(keys.key("wait"), "bull:emails:wait");
  EXPECT_EQ(keys.job("42"), "bull:emails:42");
  EXPECT_EQ(Keys("{bull}", "q").key("meta"), "{bull}:q:meta");
}

TEST(Keys, WorkerClientNameIsBase64OfTheQueue) {
  const Keys keys("bull", "emails");
  EXPECT_EQ(keys.workerClientName(""), "bull:ZW1haWxz");
  EXPECT_EQ(keys.workerClientName("node-1"), "bull:ZW1haWxz:w:node-1");
}

TEST(Keys, Base64PadsLikeTheStandard) {
  EXPECT_EQ(base64(""), "");
  EXPECT_EQ(base64("f"), "Zg==");
  EXPECT_EQ(base64("fo"), "Zm8=");
  EXPECT_EQ(base64("foo"), "Zm9v");
  EXPECT_EQ(base64("\xff\xfe"), "//4=");
}

TEST(Keys, RefusesQueueNamesBullMQRefuses) {
  EXPECT_THROW(Keys("bull", ""), std::invalid_argument);
  try {
    Keys("bull", "a:b");
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "queue name 'a:b' contains ':'");
  }
}

TEST(Keys, ClusterNeedsAHashTagAndSaysHowToAddOne) {
  EXPECT_NO_THROW(requireHashTag(Keys("{bull}", "emails")));
  EXPECT_NO_THROW(requireHashTag(Keys("bull", "{emails}")));
  try {
    requireHashTag(Keys("bull", "emails"));
    FAIL() << "an untagged queue passed";
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(),
                 "queue 'emails' cannot be served on a Redis Cluster: its keys (bull:emails:...) "
                 "carry no hash tag, so they would spread over many slots and BullMQ's scripts "
                 "would fail. Set redis.prefix to a tagged prefix such as {bull} (every queue in "
                 "one slot), or name the queue with a tag such as {emails} (a slot per queue); "
                 "Node producers must use the same prefix and names");
  }
}

TEST(Keys, AFlowsQueuesMustShareTheirSlot) {
  EXPECT_NO_THROW(requireSameSlot(Keys("{bull}", "children"), "{bull}:parents"));
  EXPECT_NO_THROW(requireSameSlot(Keys("bull", "{p}-children"), "bull:{p}"));
  try {
    requireSameSlot(Keys("bull", "{children}"), "bull:{parents}");
    FAIL() << "a cross-slot flow passed";
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(),
                 "a child in queue '{children}' ({children}) cannot have its parent in "
                 "'bull:{parents}' ({parents}) on a Redis Cluster: a flow's queues must share one "
                 "hash tag, e.g. a common prefix such as {bull}");
  }
}

TEST(JobRecord, DecodesFieldsAndOptions) {
  const auto job = JobRecord::fromHash(
      "7",
      hash({{"name", "echo"},
            {"data", "{\"a\":1}"},
            {"opts", R"({"attempts":3,"backoff":{"type":"exponential","delay":200,"jitter":0.5},)"
                     R"("lifo":true,"removeOnComplete":true,"removeOnFail":{"count":2},"kl":5,)"
                     R"("stackTraceLimit":4})"},
            {"timestamp", "1700000000123"},
            {"priority", "3"},
            {"atm", "2"},
            {"ats", "3"},
            {"rjk", "sched"},
            {"defa", "child bull:q:1 failed"}}));
  EXPECT_FALSE(job.problem);
  EXPECT_EQ(job.name, "echo");
  EXPECT_EQ(job.timestamp, 1700000000123);
  EXPECT_EQ(job.priority, 3);
  EXPECT_EQ(job.attemptsMade, 2);
  EXPECT_EQ(job.attemptsStarted, 3);
  EXPECT_EQ(job.opts.attempts, 3);
  ASSERT_TRUE(job.opts.backoff);
  EXPECT_EQ(job.opts.backoff->type, "exponential");
  EXPECT_EQ(job.opts.backoff->delayMs, 200);
  EXPECT_DOUBLE_EQ(job.opts.backoff->jitter, 0.5);
  EXPECT_TRUE(job.opts.lifo);
  EXPECT_EQ(job.opts.removeOnComplete, "true");
  EXPECT_EQ(job.opts.removeOnFail, "{\"count\":2}");
  EXPECT_EQ(job.opts.keepLogs, 5);
  EXPECT_EQ(job.opts.stackTraceLimit, 4);
  EXPECT_EQ(job.schedulerId, "sched");
  EXPECT_EQ(job.deferredFailure, "child bull:q:1 failed");
}

TEST(JobRecord, OptionsInUnusualFormsReadAsTheParserReadsThem) {
  const auto job = JobRecord::fromHash(
      "1", hash({{"name", "n"},
                 {"opts", R"({ "attempts" : 2.6, "kl": "7", "removeOnFail" : { "age" : 60 },)"
                          R"( "backoff": null, "\u006cifo": true })"}}));
  EXPECT_FALSE(job.problem);
  EXPECT_EQ(job.opts.attempts, 3);
  EXPECT_EQ(job.opts.keepLogs, 7);
  EXPECT_EQ(job.opts.removeOnFail, "{\"age\":60}");
  EXPECT_FALSE(job.opts.backoff);
  EXPECT_TRUE(job.opts.lifo);  // an escaped key is decoded by the parser
  const auto badBackoff =
      JobRecord::fromHash("1", hash({{"name", "n"}, {"opts", R"({"backoff":"x"})"}}));
  ASSERT_TRUE(badBackoff.problem);
  EXPECT_EQ(badBackoff.problem->rfind("job options are malformed: ", 0), 0u) << *badBackoff.problem;
}

// Found by the job_hash fuzz target (tests/fuzz/JobHash.cpp): with a duplicate "backoff" whose
// last value is null, the members' reader kept the first while JSON.parse (so BullMQ) and the
// parser path keep the last. Both paths now agree: no backoff.
TEST(JobRecord, DuplicateOptionKeysKeepTheLastValueOnBothPaths) {
  const std::string opts = R"({"attempts":3,"backoff":1000,"backoff":null})";
  const auto fast = JobRecord::fromHash("1", hash({{"name", "n"}, {"opts", opts}}));
  const auto parsed = JobRecord::fromHash(
      "1", hash({{"name", "n"}, {"opts", R"({"attempts":3,"backoff":1000,"back\u006fff":null})"}}));
  ASSERT_FALSE(fast.problem);
  ASSERT_FALSE(parsed.problem);
  EXPECT_FALSE(fast.opts.backoff);
  EXPECT_FALSE(parsed.opts.backoff);
  const auto reversed = JobRecord::fromHash(
      "1",
      hash({{"name", "n"}, {"opts", R"({"backoff":null,"backoff":{"type":"fixed","delay":5}})"}}));
  ASSERT_TRUE(reversed.opts.backoff);
  EXPECT_EQ(reversed.opts.backoff->delayMs, 5);
}

// Found by the job_hash fuzz target: an integer past 2^53 was kept exactly by the members'
// reader while JSON.parse (so BullMQ) and the parser path hold the nearest double.
TEST(JobRecord, IntegersPastDoublePrecisionReadAsJavaScriptDoes) {
  const auto fast = JobRecord::fromHash(
      "1", hash({{"name", "n"}, {"opts", R"({"attempts":50000000000000001})"}}));
  const auto parsed = JobRecord::fromHash(
      "1", hash({{"name", "n"}, {"opts", R"({"att\u0065mpts":50000000000000001})"}}));
  ASSERT_FALSE(fast.problem);
  ASSERT_FALSE(parsed.problem);
  EXPECT_EQ(fast.opts.attempts, 50000000000000000);
  EXPECT_EQ(parsed.opts.attempts, 50000000000000000);
}

TEST(JobRecord, ReadsTheLegacyAttemptsMadeField) {
  const auto job = JobRecord::fromHash("1", hash({{"name", "n"}, {"attemptsMade", "4"}}));
  EXPECT_EQ(job.attemptsMade, 4);
}

TEST(JobRecord, NumericBackoffIsFixed) {
  const auto job = JobRecord::fromHash("1", hash({{"name", "n"}, {"opts", "{\"backoff\":300}"}}));
  ASSERT_TRUE(job.opts.backoff);
  EXPECT_EQ(job.opts.backoff->type, "fixed");
  EXPECT_EQ(job.opts.backoff->delayMs, 300);
}

TEST(JobRecord, ScalarDataIsValid) {
  EXPECT_FALSE(JobRecord::fromHash("1", hash({{"name", "n"}, {"data", "\"text\""}})).problem);
  EXPECT_FALSE(JobRecord::fromHash("1", hash({{"name", "n"}, {"data", "12"}})).problem);
}

TEST(JobRecord, BadInputBecomesAReadableProblem) {
  const auto badData = JobRecord::fromHash("1", hash({{"name", "n"}, {"data", "{oops"}}));
  ASSERT_TRUE(badData.problem);
  EXPECT_EQ(badData.problem->rfind("job data is not valid JSON", 0), 0u) << *badData.problem;
  const auto badOpts = JobRecord::fromHash("1", hash({{"name", "n"}, {"opts", "[1"}}));
  ASSERT_TRUE(badOpts.problem);
  EXPECT_EQ(badOpts.problem->rfind("job opts field is not valid JSON", 0), 0u);
  const auto notObject = JobRecord::fromHash("1", hash({{"name", "n"}, {"opts", "[1]"}}));
  ASSERT_TRUE(notObject.problem);
  EXPECT_EQ(notObject.problem->rfind("job options are malformed", 0), 0u);
  const auto noName = JobRecord::fromHash("1", hash({{"data", "{}"}}));
  EXPECT_EQ(noName.problem, "job hash has no name field");
}

TEST(KeepJobs, FollowsBullMQsTable) {
  EXPECT_EQ(keepJobs(std::nullopt, "").count, -1);
  EXPECT_EQ(keepJobs(std::string("true"), "").count, 0);
  EXPECT_EQ(keepJobs(std::string("false"), "").count, -1);
  EXPECT_EQ(keepJobs(std::string("5"), "").count, 5);
  const KeepJobs object = keepJobs(std::string(R"({"age":60,"limit":10})"), "");
  EXPECT_EQ(object.count, -1);
  EXPECT_EQ(object.ageSeconds, 60);
  EXPECT_EQ(object.limit, 10);
  EXPECT_EQ(keepJobs(std::nullopt, R"({"count":3})").count, 3);           // the worker's default
  EXPECT_EQ(keepJobs(std::string("false"), R"({"count":3})").count, -1);  // the job wins
}

TEST(Backoff, FixedAndExponential) {
  EXPECT_EQ(backoffDelay({"fixed", 200, 0}, 1, 0.3), 200);
  EXPECT_EQ(backoffDelay({"fixed", 200, 0}, 5, 0.3), 200);
  EXPECT_EQ(backoffDelay({"exponential", 200, 0}, 1, 0.3), 200);
  EXPECT_EQ(backoffDelay({"exponential", 200, 0}, 2, 0.3), 400);
  EXPECT_EQ(backoffDelay({"exponential", 200, 0}, 4, 0.3), 1600);
}

TEST(Backoff, JitterSpreadsBelowTheDelay) {
  // floor(random * d * j + d * (1 - j))
  EXPECT_EQ(backoffDelay({"fixed", 1000, 0.5}, 1, 0.0), 500);
  EXPECT_EQ(backoffDelay({"fixed", 1000, 0.5}, 1, 0.5), 750);
  EXPECT_EQ(backoffDelay({"exponential", 100, 1.0}, 3, 0.25), 100);
}

TEST(Backoff, UnknownTypeIsReported) {
  EXPECT_FALSE(backoffDelay({"custom", 10, 0}, 1, 0));
}

TEST(Stacktrace, AppendsAndKeepsTheLastEntries) {
  EXPECT_EQ(appendStacktrace("", "e1", std::nullopt), R"(["e1"])");
  EXPECT_EQ(appendStacktrace(R"(["e1","e2"])", "e3", std::nullopt), R"(["e1","e2","e3"])");
  EXPECT_EQ(appendStacktrace(R"(["e1","e2"])", "e3", 2), R"(["e2","e3"])");
  EXPECT_EQ(appendStacktrace(R"(["e1"])", "e2", 0), "[]");
  EXPECT_EQ(appendStacktrace("not json", "e", std::nullopt), R"(["e"])");
}

TEST(Preflight, ComparesRedisVersions) {
  EXPECT_LT(versionNumber("6.0.16"), versionNumber(kMinimumRedis));
  EXPECT_GE(versionNumber("6.2.0"), versionNumber(kMinimumRedis));
  EXPECT_GT(versionNumber("7.0.15"), versionNumber("6.2.14"));
  EXPECT_THROW(versionNumber("seven"), PreflightError);
}

}  // namespace
}  // namespace warren::queue
