// Producer against a real redis-server: what a job add writes (fields, stored option encodings,
// lists, events, meta), custom ids, deduplication, addBulk, getJobCounts and getJob.
#include "Support.h"
#include "queue/Producer.h"

namespace warren::queue::testing {
namespace {

using Strings = std::vector<std::string>;

class ProducerTest : public RedisSuite {
 protected:
  void SetUp() override {
    RedisSuite::SetUp();
    producer_ = std::make_unique<Producer>(redis(), "bull", queueName());
  }
  Producer& producer() { return *producer_; }

 private:
  std::unique_ptr<Producer> producer_;
};

TEST_F(ProducerTest, StandardJobIsStoredAsNodeStoresIt) {
  const auto before = wallMs();
  const std::string id = producer().add("email", R"({"to": "a@b.c", "n": 1})", "{}");
  const auto after = wallMs();
  EXPECT_EQ(id, "1");

  auto job = hash(key(id));
  Strings fields;
  for (const auto& [name, value] : job) fields.push_back(name);
  EXPECT_EQ(fields, (Strings{"data", "delay", "name", "opts", "priority", "timestamp"}))
      << "storeJob writes exactly these fields";
  EXPECT_EQ(job["name"], "email");
  EXPECT_EQ(job["data"], R"({"to": "a@b.c", "n": 1})") << "data is kept as given";
  EXPECT_EQ(job["delay"], "0");
  EXPECT_EQ(job["priority"], "0");
  const auto timestamp = std::stoll(job["timestamp"]);
  EXPECT_GE(timestamp, before);
  EXPECT_LE(timestamp, after);
  EXPECT_EQ(job["timestamp"], std::to_string(timestamp)) << "integer text";
  const auto opts = parseObject(job["opts"]);
  EXPECT_EQ(keysOf(opts), Strings{"attempts"}) << job["opts"];
  EXPECT_EQ(opts->getValue<int>("attempts"), 0) << "attempts is always written";

  EXPECT_EQ(list(key("wait")), Strings{"1"});
  EXPECT_EQ(redis().command({"ZSCORE", key("marker"), "0"}).str(), "0") << "base marker";
  const auto all = events();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0], (std::map<std::string, std::string>{
                        {"event", "added"}, {"jobId", "1"}, {"name", "email"}}));
  EXPECT_EQ(all[1], (std::map<std::string, std::string>{{"event", "waiting"}, {"jobId", "1"}}));

  auto meta = hash(key("meta"));
  EXPECT_EQ(meta["version"], "bullmq:6.2.0");
  EXPECT_EQ(meta["opts.maxLenEvents"], "10000");
  EXPECT_EQ(redis().command({"GET", key("id")}).str(), "1");
}

TEST_F(ProducerTest, EveryOptionHasItsStoredEncoding) {
  const std::string id = producer().add("n", "{}", R"({
    "jobId": "order-7", "delay": 1500, "priority": 9, "lifo": true, "attempts": 4,
    "backoff": 250, "removeOnComplete": true, "removeOnFail": {"age": 3600, "count": 10},
    "keepLogs": 7, "stackTraceLimit": 3, "timestamp": 1700000000123, "sizeLimit": 100,
    "deduplication": {"id": "dd", "ttl": 60000, "extend": true, "replace": false,
                      "keepLastIfActive": false}
  })");
  EXPECT_EQ(id, "order-7");
  auto job = hash(key(id));
  EXPECT_EQ(job["timestamp"], "1700000000123") << "opts.timestamp is the job's timestamp";
  EXPECT_EQ(job["delay"], "1500");
  EXPECT_EQ(job["priority"], "9");
  EXPECT_EQ(job["deid"], "dd");
  const auto opts = parseObject(job["opts"]);
  EXPECT_EQ(keysOf(opts), (Strings{"attempts", "backoff", "de", "delay", "jobId", "kl", "lifo",
                                   "priority", "removeOnComplete", "removeOnFail", "sizeLimit",
                                   "stackTraceLimit", "timestamp"}))
      << job["opts"];
  EXPECT_EQ(opts->getValue<std::string>("jobId"), "order-7");
  EXPECT_EQ(opts->getValue<int>("delay"), 1500);
  EXPECT_EQ(opts->getValue<int>("priority"), 9);
  EXPECT_TRUE(opts->getValue<bool>("lifo"));
  EXPECT_EQ(opts->getValue<int>("attempts"), 4);
  const auto backoff = opts->getObject("backoff");
  EXPECT_EQ(backoff->getValue<std::string>("type"), "fixed") << "a number becomes a fixed backoff";
  EXPECT_EQ(backoff->getValue<int>("delay"), 250);
  EXPECT_TRUE(opts->getValue<bool>("removeOnComplete"));
  EXPECT_EQ(opts->getObject("removeOnFail")->getValue<int>("age"), 3600);
  EXPECT_EQ(opts->getObject("removeOnFail")->getValue<int>("count"), 10);
  EXPECT_EQ(opts->getValue<int>("kl"), 7) << "keepLogs is stored as kl";
  EXPECT_EQ(opts->getValue<int>("stackTraceLimit"), 3);
  EXPECT_EQ(opts->getValue<std::int64_t>("timestamp"), 1700000000123);
  const auto de = opts->getObject("de");
  EXPECT_EQ(keysOf(de), (Strings{"extend", "id", "keepLastIfActive", "replace", "ttl"}));
  EXPECT_EQ(de->getValue<std::string>("id"), "dd");
  EXPECT_EQ(de->getValue<int>("ttl"), 60000);
  EXPECT_TRUE(de->getValue<bool>("extend"));
  EXPECT_FALSE(de->getValue<bool>("replace"));
}

TEST_F(ProducerTest, BackoffObjectFlowFlagsAndTelemetryUseShortKeys) {
  const std::string id =
      producer().add("n", "{}",
                     R"({"backoff": {"type": "exponential", "delay": 100, "jitter": 0.5},
          "failParentOnFailure": true, "removeDependencyOnFailure": false,
          "telemetry": {"metadata": "ctx", "omitContext": true}, "keepLogs": 0})");
  const auto opts = parseObject(hash(key(id))["opts"]);
  EXPECT_EQ(keysOf(opts), (Strings{"attempts", "backoff", "fpof", "kl", "omc", "rdof", "tm"}));
  const auto backoff = opts->getObject("backoff");
  EXPECT_EQ(backoff->getValue<std::string>("type"), "exponential");
  EXPECT_EQ(backoff->getValue<int>("delay"), 100);
  EXPECT_DOUBLE_EQ(backoff->getValue<double>("jitter"), 0.5);
  EXPECT_TRUE(opts->getValue<bool>("fpof"));
  EXPECT_FALSE(opts->getValue<bool>("rdof"));
  EXPECT_EQ(opts->getValue<std::string>("tm"), "ctx");
  EXPECT_TRUE(opts->getValue<bool>("omc"));
  EXPECT_EQ(opts->getValue<int>("kl"), 0);
}

TEST_F(ProducerTest, NullOptionsAreLeftOut) {
  const std::string id = producer().add("n", "{}", R"({"jobId": null, "delay": null})");
  EXPECT_EQ(id, "1");
  EXPECT_EQ(keysOf(parseObject(hash(key(id))["opts"])), Strings{"attempts"});
}

TEST_F(ProducerTest, PrioritizedJobGoesToThePrioritizedSet) {
  const std::string a = producer().add("n", "{}", R"({"priority": 5})");
  const std::string b = producer().add("n", "{}", R"({"priority": 5})");
  EXPECT_TRUE(list(key("wait")).empty());
  // score = priority * 2^32 + the priority counter (FIFO within one priority)
  EXPECT_EQ(redis().command({"ZSCORE", key("prioritized"), a}).str(), "21474836481");
  EXPECT_EQ(redis().command({"ZSCORE", key("prioritized"), b}).str(), "21474836482");
  EXPECT_EQ(redis().command({"GET", key("pc")}).str(), "2");
  EXPECT_EQ(producer().getJob(a)->state, "prioritized");
  EXPECT_EQ(events("waiting").size(), 2u);
  EXPECT_EQ(redis().command({"ZSCORE", key("marker"), "0"}).str(), "0");
}

TEST_F(ProducerTest, DelayedJobGoesToTheDelayedSetWithItsDueTime) {
  const std::string id =
      producer().add("n", "{}", R"({"delay": 5000, "timestamp": 1700000000000, "priority": 2})");
  EXPECT_TRUE(list(key("wait")).empty());
  EXPECT_EQ(redis().command({"ZCARD", key("prioritized")}).integer(), 0)
      << "a delayed job with a priority waits in delayed";
  const long long due = 1700000005000;
  EXPECT_EQ(redis().command({"ZSCORE", key("delayed"), id}).str(), std::to_string(due * 4096));
  const auto delayed = events("delayed");
  ASSERT_EQ(delayed.size(), 1u);
  EXPECT_EQ(delayed[0].at("jobId"), id);
  EXPECT_EQ(delayed[0].at("delay"), std::to_string(due)) << "the absolute due time";
  EXPECT_EQ(redis().command({"ZSCORE", key("marker"), "1"}).str(), std::to_string(due));
  EXPECT_TRUE(events("waiting").empty());
  EXPECT_EQ(producer().getJob(id)->state, "delayed");
}

TEST_F(ProducerTest, LifoJobIsAtTheConsumingEnd) {
  producer().add("a", "{}", "{}");
  const std::string lifo = producer().add("b", "{}", R"({"lifo": true})");
  producer().add("c", "{}", "{}");
  // Workers take from the right (tail): the lifo job is next, then a, then c.
  EXPECT_EQ(list(key("wait")), (Strings{"3", "1", "2"}));
  EXPECT_EQ(redis().command({"RPOP", key("wait")}).str(), lifo);
}

TEST_F(ProducerTest, DuplicateCustomIdReturnsTheExistingJob) {
  const std::string first = producer().add("n", R"({"v": 1})", R"({"jobId": "order-1"})");
  const std::string second = producer().add("n", R"({"v": 2})", R"({"jobId": "order-1"})");
  EXPECT_EQ(first, "order-1");
  EXPECT_EQ(second, "order-1");
  EXPECT_EQ(hash(key("order-1"))["data"], R"({"v": 1})") << "nothing is overwritten";
  EXPECT_EQ(list(key("wait")), Strings{"order-1"}) << "enqueued once";
  const auto duplicated = events("duplicated");
  ASSERT_EQ(duplicated.size(), 1u);
  EXPECT_EQ(duplicated[0].at("jobId"), "order-1");
  EXPECT_EQ(redis().command({"GET", key("id")}).str(), "2") << "the counter moves on every add";
}

TEST_F(ProducerTest, DeduplicationReturnsTheOwnerAndWritesAnEvent) {
  const std::string owner = producer().add("n", "{}", R"({"deduplication": {"id": "d"}})");
  const std::string again = producer().add("n", R"({"x": 1})", R"({"deduplication": {"id": "d"}})");
  EXPECT_EQ(owner, "1");
  EXPECT_EQ(again, owner);
  EXPECT_EQ(redis().command({"EXISTS", key("2")}).integer(), 0) << "the second job is not stored";
  EXPECT_EQ(redis().command({"GET", key("de:d")}).str(), owner);
  EXPECT_EQ(redis().command({"PTTL", key("de:d")}).integer(), -1) << "no ttl: no expiry";
  EXPECT_EQ(hash(key(owner))["deid"], "d");
  const auto deduplicated = events("deduplicated");
  ASSERT_EQ(deduplicated.size(), 1u);
  EXPECT_EQ(deduplicated[0], (std::map<std::string, std::string>{{"event", "deduplicated"},
                                                                 {"jobId", owner},
                                                                 {"deduplicationId", "d"},
                                                                 {"deduplicatedJobId", "2"}}));
  EXPECT_EQ(list(key("wait")), Strings{owner});
}

TEST_F(ProducerTest, DeduplicationTtlAndExtend) {
  producer().add("n", "{}", R"({"deduplication": {"id": "t", "ttl": 5000}})");
  const auto ttl = redis().command({"PTTL", key("de:t")}).integer();
  EXPECT_GT(ttl, 0);
  EXPECT_LE(ttl, 5000);
  redis().command({"PEXPIRE", key("de:t"), "1000"});
  EXPECT_EQ(producer().add("n", "{}", R"({"deduplication": {"id": "t", "ttl": 5000}})"), "1");
  EXPECT_LE(redis().command({"PTTL", key("de:t")}).integer(), 1000) << "no extend: ttl kept";
  EXPECT_EQ(
      producer().add("n", "{}", R"({"deduplication": {"id": "t", "ttl": 5000, "extend": true}})"),
      "1");
  EXPECT_GT(redis().command({"PTTL", key("de:t")}).integer(), 1000) << "extend resets the ttl";
}

TEST_F(ProducerTest, DeduplicationReplaceSwapsADelayedOwner) {
  const std::string owner =
      producer().add("n", R"({"v": 1})", R"({"delay": 60000, "deduplication": {"id": "r"}})");
  const std::string replacement = producer().add(
      "n", R"({"v": 2})", R"({"delay": 60000, "deduplication": {"id": "r", "replace": true}})");
  EXPECT_NE(replacement, owner);
  EXPECT_EQ(redis().command({"EXISTS", key(owner)}).integer(), 0) << "the delayed owner is gone";
  EXPECT_EQ(redis().command({"ZSCORE", key("delayed"), owner}).isNil(), true);
  EXPECT_EQ(redis().command({"GET", key("de:r")}).str(), replacement);
  EXPECT_EQ(hash(key(replacement))["data"], R"({"v": 2})");
  const auto removed = events("removed");
  ASSERT_EQ(removed.size(), 1u);
  EXPECT_EQ(removed[0].at("jobId"), owner);
  EXPECT_EQ(removed[0].at("prev"), "delayed");
  const auto deduplicated = events("deduplicated");
  ASSERT_EQ(deduplicated.size(), 1u);
  EXPECT_EQ(deduplicated[0].at("jobId"), replacement);
  EXPECT_EQ(deduplicated[0].at("deduplicatedJobId"), owner);
}

TEST_F(ProducerTest, DeduplicationKeepLastIfActiveStoresTheNextJob) {
  const auto de = R"({"deduplication": {"id": "k", "keepLastIfActive": true}})";
  const std::string owner = producer().add("n", R"({"v": 1})", de);
  redis().command({"LMOVE", key("wait"), key("active"), "RIGHT", "LEFT"});  // a worker took it
  EXPECT_EQ(producer().add("n", R"({"v": 2})", R"({"jobId": "custom-2", "deduplication":
                                                   {"id": "k", "keepLastIfActive": true}})"),
            owner);
  EXPECT_EQ(producer().add("n", R"({"v": 3})", de), owner);
  auto next = hash(key("dn:k"));
  EXPECT_EQ(next["name"], "n");
  EXPECT_EQ(next["data"], R"({"v": 3})") << "the latest add wins";
  EXPECT_EQ(next.count("jid"), 0u) << "the custom id of an earlier add does not linger";
  EXPECT_EQ(parseObject(next["opts"])->getObject("de")->getValue<std::string>("id"), "k");
  EXPECT_EQ(redis().command({"PTTL", key("de:k")}).integer(), -1);
  EXPECT_EQ(events("deduplicated").size(), 2u);
}

TEST_F(ProducerTest, StaleDeduplicationKeyIsTakenOver) {
  redis().command({"SET", key("de:s"), "999"});  // its job is gone (outage, manual removal)
  const std::string id = producer().add("n", "{}", R"({"deduplication": {"id": "s"}})");
  EXPECT_EQ(id, "1");
  EXPECT_EQ(redis().command({"GET", key("de:s")}).str(), "1");
  EXPECT_EQ(list(key("wait")), Strings{"1"});
}

TEST_F(ProducerTest, RefusedJobWritesNothing) {
  EXPECT_THROW(producer().add("n", "{}", R"({"jobId": "12"})"), std::invalid_argument);
  EXPECT_THROW(producer().add("n", "[1]", "{}"), std::invalid_argument);
  EXPECT_EQ(redis().command({"EXISTS", key("id"), key("meta"), key("events")}).integer(), 0);
}

TEST_F(ProducerTest, MetaIsWrittenWithoutOverwritingANodeQueue) {
  redis().command({"HSET", key("meta"), "version", "bullmq:6.7.0", "opts.maxLenEvents", "500"});
  producer().add("n", "{}", "{}");
  auto meta = hash(key("meta"));
  EXPECT_EQ(meta["version"], "bullmq:6.7.0");
  EXPECT_EQ(meta["opts.maxLenEvents"], "500");
}

TEST_F(ProducerTest, AddBulkAddsInOrder) {
  const auto ids = producer().addBulk({{"a", R"({"i": 1})", "{}"},
                                       {"b", R"({"i": 2})", R"({"jobId": "bee"})"},
                                       {"c", R"({"i": 3})", R"({"priority": 1})"}});
  EXPECT_EQ(ids, (Strings{"1", "bee", "3"}));
  EXPECT_EQ(list(key("wait")), (Strings{"bee", "1"}));
  EXPECT_EQ(hash(key("3"))["name"], "c");
  EXPECT_EQ(hash(key("meta"))["version"], "bullmq:6.2.0");
}

TEST_F(ProducerTest, AddBulkRefusesAllWhenOneIsInvalid) {
  try {
    producer().addBulk({{"a", "{}", "{}"}, {"b", "{}", R"({"priority": 1.5})"}});
    FAIL() << "expected std::invalid_argument";
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "job 2 of 2: Priority should not be float");
  }
  EXPECT_EQ(redis().command({"EXISTS", key("id")}).integer(), 0);
}

TEST_F(ProducerTest, JobCountsPerState) {
  EXPECT_EQ(producer().getJobCounts().waiting, 0) << "an empty queue";
  producer().add("n", "{}", "{}");
  producer().add("n", "{}", "{}");
  producer().add("n", "{}", R"({"priority": 3})");
  producer().add("n", "{}", R"({"delay": 60000})");
  producer().add("n", "{}", R"({"delay": 60000})");
  redis().command({"RPUSH", key("paused"), "legacy-1"});       // a 5.x paused list
  redis().command({"RPUSH", key("wait"), "0:1700000000000"});  // a pre-5.0 marker
  redis().command({"LPUSH", key("active"), "a1"});
  redis().command({"ZADD", key("completed"), "1", "c1", "2", "c2", "3", "c3"});
  redis().command({"ZADD", key("failed"), "1", "f1"});
  redis().command({"ZADD", key("waiting-children"), "1", "p1"});
  const JobCounts counts = producer().getJobCounts();
  EXPECT_EQ(counts.waiting, 3) << "2 in wait (the marker is not a job) + 1 legacy paused";
  EXPECT_EQ(counts.active, 1);
  EXPECT_EQ(counts.completed, 3);
  EXPECT_EQ(counts.failed, 1);
  EXPECT_EQ(counts.delayed, 2);
  EXPECT_EQ(counts.prioritized, 1);
  EXPECT_EQ(counts.waitingChildren, 1);
}

TEST_F(ProducerTest, GetJobDecodesAFreshJob) {
  const std::string id = producer().add(
      "report", R"({"user": 42})",
      R"({"attempts": 3, "keepLogs": 5, "deduplication": {"id": "x"}, "timestamp": 1700000000001})");
  const auto job = producer().getJob(id);
  ASSERT_TRUE(job);
  EXPECT_EQ(job->id, id);
  EXPECT_EQ(job->state, "waiting");
  EXPECT_EQ(job->name, "report");
  EXPECT_EQ(job->data, R"({"user": 42})");
  const auto opts = parseObject(job->opts);
  EXPECT_EQ(keysOf(opts), (Strings{"attempts", "deduplication", "keepLogs", "timestamp"}))
      << "public option names, as Node's job.opts";
  EXPECT_EQ(opts->getValue<int>("keepLogs"), 5);
  EXPECT_EQ(job->progress, "0");
  EXPECT_FALSE(job->returnvalue);
  EXPECT_FALSE(job->failedReason);
  EXPECT_EQ(job->stacktrace, "[]");
  EXPECT_EQ(job->timestamp, 1700000000001);
  EXPECT_EQ(job->attemptsMade, 0);
  EXPECT_EQ(job->attemptsStarted, 0);
  EXPECT_FALSE(job->processedOn);
  EXPECT_FALSE(job->finishedOn);
  EXPECT_EQ(job->deduplicationId, "x");
  EXPECT_FALSE(producer().getJob("nope")) << "no hash, no job";
}

TEST_F(ProducerTest, GetJobDecodesAFinishedJob) {
  const std::string id = producer().add("n", "{}", R"({"telemetry": {"metadata": "m"}})");
  redis().command({"LREM", key("wait"), "0", id});
  redis().command({"ZADD", key("completed"), "1700000000500", id});
  redis().command({"HSET",         key(id),
                   "atm",          "2",
                   "ats",          "3",
                   "stc",          "1",
                   "processedOn",  "1700000000400",
                   "finishedOn",   "1700000000500",
                   "returnvalue",  R"({"ok":true})",
                   "failedReason", "first try failed",
                   "progress",     R"({"pct":100})",
                   "stacktrace",   R"(["e1","e2"])",
                   "pb",           "worker-a"});
  const auto job = producer().getJob(id);
  ASSERT_TRUE(job);
  EXPECT_EQ(job->state, "completed");
  EXPECT_EQ(job->attemptsMade, 2);
  EXPECT_EQ(job->attemptsStarted, 3);
  EXPECT_EQ(job->stalledCounter, 1);
  EXPECT_EQ(job->processedOn, 1700000000400);
  EXPECT_EQ(job->finishedOn, 1700000000500);
  EXPECT_EQ(job->returnvalue, R"({"ok":true})");
  EXPECT_EQ(job->failedReason, "first try failed");
  EXPECT_EQ(job->progress, R"({"pct":100})");
  EXPECT_EQ(job->stacktrace, R"(["e1","e2"])");
  EXPECT_EQ(job->processedBy, "worker-a");
  EXPECT_EQ(parseObject(job->opts)->getObject("telemetry")->getValue<std::string>("metadata"), "m");
  redis().command({"HSET", key(id), "attemptsMade", "7"});  // a pre-5.0 job
  EXPECT_EQ(producer().getJob(id)->attemptsMade, 7) << "the legacy field wins, as in Node";
}

TEST_F(ProducerTest, GetJobStateFollowsGetStateOrder) {
  const std::string id = producer().add("n", "{}", "{}");
  EXPECT_EQ(producer().getJob(id)->state, "waiting");
  redis().command({"LMOVE", key("wait"), key("active"), "RIGHT", "LEFT"});
  EXPECT_EQ(producer().getJob(id)->state, "active");
  redis().command({"ZADD", key("waiting-children"), "1", id});
  EXPECT_EQ(producer().getJob(id)->state, "active") << "active is tested before waiting-children";
  redis().command({"LREM", key("active"), "0", id});
  EXPECT_EQ(producer().getJob(id)->state, "waiting-children");
  redis().command({"RPUSH", key("paused"), id});
  EXPECT_EQ(producer().getJob(id)->state, "waiting") << "the legacy paused list reads as waiting";
  redis().command({"ZADD", key("failed"), "1", id});
  EXPECT_EQ(producer().getJob(id)->state, "failed");
  redis().command({"ZADD", key("completed"), "1", id});
  EXPECT_EQ(producer().getJob(id)->state, "completed") << "completed is tested first";
  redis().command({"DEL", key("completed"), key("failed"), key("paused"), key("waiting-children")});
  EXPECT_EQ(producer().getJob(id)->state, "unknown");
}

TEST_F(ProducerTest, OwnsItsConnectionWhenGivenAUrl) {
  Producer own(redis::Url::parse(server().url()), quickOptions(), "bull", queueName());
  EXPECT_EQ(own.add("n", "{}", "{}"), "1");
  EXPECT_EQ(own.getJobCounts().waiting, 1);
}

TEST_F(ProducerTest, OtherPrefix) {
  Producer other(redis(), "{pfx}", queueName());
  EXPECT_EQ(other.add("n", "{}", "{}"), "1");
  EXPECT_EQ(redis().command({"LLEN", "{pfx}:" + queueName() + ":wait"}).integer(), 1);
  EXPECT_EQ(hash("{pfx}:" + queueName() + ":meta")["version"], "bullmq:6.2.0");
}

}  // namespace
}  // namespace warren::queue::testing
