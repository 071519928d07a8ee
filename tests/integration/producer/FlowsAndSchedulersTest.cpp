// Producer additions for plugins (ABI 1.2 queue service): a child added to an existing flow
// parent, and Queue.upsertJobScheduler, against a real redis-server, as Node reads them.
#include "Support.h"
#include "queue/Producer.h"

namespace warren::queue::testing {
namespace {

class FlowsAndSchedulers : public RedisSuite {
 protected:
  void SetUp() override {
    RedisSuite::SetUp();
    producer_ = std::make_unique<Producer>(redis(), "bull", queueName());
  }
  Producer& producer() { return *producer_; }

  // A parent as FlowProducer leaves it: in waiting-children with no dependency yet.
  std::string parentKey(const std::string& id) {
    redis().command({"HSET", key(id), "name", "parent", "data", "{}", "opts", "{}", "timestamp",
                     "1", "delay", "0", "priority", "0"});
    redis().command({"ZADD", key("waiting-children"), "1", id});
    return key(id);
  }

  std::string refusal(const std::string& repeat, const std::string& templateJson = "") {
    try {
      producer().upsertJobScheduler("s", repeat, templateJson);
    } catch (const std::invalid_argument& e) {
      return e.what();
    }
    return "<accepted>";
  }

 private:
  std::unique_ptr<Producer> producer_;
};

TEST_F(FlowsAndSchedulers, AChildJoinsItsParentsDependencies) {
  const std::string parent = parentKey("p1");
  const std::string queueKey = "bull:" + queueName();
  const std::string id = producer().add(
      "child", R"({"n":1})",
      R"({"parent":{"id":"p1","queue":")" + queueKey + R"("},"failParentOnFailure":true})");
  auto job = hash(key(id));
  EXPECT_EQ(job["parentKey"], parent);
  EXPECT_EQ(job["parent"], R"({"id":"p1","queueKey":")" + queueKey + R"(","fpof":true})");
  EXPECT_NE(job["opts"].find(R"("parent":{"id":"p1","queue":")" + queueKey + R"("})"),
            std::string::npos)
      << job["opts"];
  EXPECT_EQ(redis().command({"SISMEMBER", parent + ":dependencies", key(id)}).integer(), 1);
}

TEST_F(FlowsAndSchedulers, AChildOfAMissingParentIsRefused) {
  EXPECT_THROW(producer().add("child", "{}", R"({"parent":{"id":"none","queue":"bull:x"}})"),
               ParentMissing);
  EXPECT_EQ(redis().command({"EXISTS", key("1")}).integer(), 0);
}

TEST_F(FlowsAndSchedulers, AnExistingJobAddedAgainWithAParentBecomesItsChild) {
  const std::string parent = parentKey("p1");
  const std::string parentOption =
      R"({"parent":{"id":"p1","queue":"bull:)" + queueName() + R"("},"jobId":"step-2"})";
  EXPECT_EQ(producer().add("child", "{}", R"({"jobId":"step-2"})"), "step-2");
  EXPECT_EQ(producer().add("child", "{}", parentOption), "step-2");
  EXPECT_EQ(hash(key("step-2"))["parentKey"], parent);
  EXPECT_EQ(redis().command({"SISMEMBER", parent + ":dependencies", key("step-2")}).integer(), 1);
  // Another parent cannot take it.
  parentKey("p2");
  try {
    producer().add(
        "child", "{}",
        R"({"parent":{"id":"p2","queue":"bull:)" + queueName() + R"("},"jobId":"step-2"})");
    FAIL() << "expected a refusal";
  } catch (const std::invalid_argument& e) {
    EXPECT_EQ(std::string(e.what()), "adding a job to queue " + queueName() +
                                         " failed: the job exists with another parent, which "
                                         "cannot be replaced");
  }
}

TEST_F(FlowsAndSchedulers, AnEverySchedulerStartsAtOnceWithItsFirstIteration) {
  const auto before = wallMs();
  const auto id = producer().upsertJobScheduler(
      "tick", R"({"every":60000})",
      R"({"name":"report","data":{"n":1},"opts":{"attempts":3,"removeOnComplete":true}})");
  ASSERT_TRUE(id.has_value());
  auto scheduler = hash(key("repeat:tick"));
  EXPECT_EQ(scheduler["name"], "report");
  EXPECT_EQ(scheduler["every"], "60000");
  EXPECT_EQ(scheduler["data"], R"({"n":1})");
  EXPECT_EQ(scheduler["opts"], R"({"attempts":3,"removeOnComplete":true})");
  EXPECT_EQ(scheduler["ic"], "1");
  const std::int64_t next = std::stoll(redis().command({"ZSCORE", key("repeat"), "tick"}).str());
  EXPECT_GE(next, before);
  EXPECT_EQ(*id, "repeat:tick:" + std::to_string(next));
  EXPECT_EQ(scheduler["offset"], std::to_string(next % 60000));
  // The first iteration runs now, carrying rjk and the repeat options with count 1.
  auto job = hash(key(*id));
  EXPECT_EQ(job["rjk"], "tick");
  EXPECT_EQ(job["name"], "report");
  EXPECT_EQ(job["data"], R"({"n":1})");
  Poco::JSON::Parser parser;
  const auto opts = parser.parse(job["opts"]).extract<Poco::JSON::Object::Ptr>();
  EXPECT_EQ(opts->getValue<std::string>("jobId"), *id);
  EXPECT_EQ(opts->getValue<std::string>("repeatJobKey"), "tick");
  EXPECT_EQ(opts->getValue<std::int64_t>("prevMillis"), next);
  EXPECT_EQ(opts->getValue<int>("attempts"), 3);
  const auto repeat = opts->getObject("repeat");
  EXPECT_EQ(repeat->getValue<int>("every"), 60000);
  EXPECT_EQ(repeat->getValue<int>("count"), 1);
  EXPECT_EQ(list(key("wait")), std::vector<std::string>{*id});
}

TEST_F(FlowsAndSchedulers, UpsertingAgainReplacesTheWaitingIteration) {
  const auto first = producer().upsertJobScheduler(
      "tick", R"({"every":60000,"startDate":)" + std::to_string(wallMs() + 3600000) + "}",
      R"({"name":"v1"})");
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(redis().command({"ZCARD", key("delayed")}).integer(), 1);
  const auto second =
      producer().upsertJobScheduler("tick", R"({"every":60000})", R"({"name":"v2"})");
  ASSERT_TRUE(second.has_value());
  // Same interval: the same slot, its job rewritten with the new template.
  EXPECT_EQ(*second, *first);
  EXPECT_EQ(hash(key(*second))["name"], "v2");
  EXPECT_EQ(redis().command({"ZCARD", key("delayed")}).integer(), 1);
  const auto removed = events("removed");
  ASSERT_EQ(removed.size(), 1u);
  EXPECT_EQ(removed[0].at("jobId"), *first);
  EXPECT_EQ(removed[0].at("prev"), "delayed");
}

TEST_F(FlowsAndSchedulers, ACronSchedulerWaitsForItsNextOccurrence) {
  const auto before = wallMs();
  const auto id = producer().upsertJobScheduler(
      "nightly", R"({"pattern":"0 0 3 * * *","tz":"Europe/Berlin"})", R"({"name":"cleanup"})");
  ASSERT_TRUE(id.has_value());
  auto scheduler = hash(key("repeat:nightly"));
  EXPECT_EQ(scheduler["pattern"], "0 0 3 * * *");
  EXPECT_EQ(scheduler["tz"], "Europe/Berlin");
  const std::int64_t next = std::stoll(redis().command({"ZSCORE", key("repeat"), "nightly"}).str());
  EXPECT_GT(next, before);
  EXPECT_LE(next, before + 25 * 3600 * 1000LL);
  EXPECT_EQ(*id, "repeat:nightly:" + std::to_string(next));
  EXPECT_EQ(redis().command({"ZSCORE", key("delayed"), *id}).isNil(), false);
  const auto delayed = events("delayed");
  ASSERT_EQ(delayed.size(), 1u);
  EXPECT_EQ(delayed[0].at("delay"), std::to_string(next));
}

TEST_F(FlowsAndSchedulers, AnEndedSchedulerWritesNothing) {
  EXPECT_EQ(producer().upsertJobScheduler("old", R"({"every":1000,"endDate":1000})", ""),
            std::nullopt);
  EXPECT_EQ(redis().command({"EXISTS", key("repeat:old")}).integer(), 0);
}

TEST_F(FlowsAndSchedulers, RefusalsSayWhatIsWrong) {
  EXPECT_EQ(refusal("{}"),
            "Either .pattern or .every options must be defined for this repeatable job");
  EXPECT_EQ(refusal(R"({"every":1000,"pattern":"* * * * *"})"),
            "Both .pattern and .every options are defined for this repeatable job");
  EXPECT_EQ(refusal(R"({"pattern":"* * * * *","immediately":true,"startDate":5})"),
            "Both .immediately and .startDate options are defined for this repeatable job");
  EXPECT_EQ(refusal(R"({"every":0})"), "repeat.every must be a positive integer (milliseconds)");
  EXPECT_EQ(refusal(R"({"every":1000,"utc":true})"),
            "unknown repeat option 'utc' (expected every, pattern, tz, limit, startDate, "
            "endDate, offset, immediately)");
  EXPECT_EQ(refusal(R"({"every":1000})", R"({"opts":{"jobId":"x"}})"),
            "job template option 'jobId' is not allowed: each iteration sets its own");
  EXPECT_EQ(refusal(R"({"every":1000})", R"({"opts":{"parent":{"id":"1","queue":"bull:q"}}})"),
            "job template option 'parent' is not supported for job schedulers");
  EXPECT_EQ(refusal(R"({"every":1000})", R"({"nam":"x"})"),
            "unknown job template member 'nam' (expected name, data, opts)");
  EXPECT_NE(refusal(R"({"pattern":"61 * * * *"})"), "<accepted>");  // the cron parser's text
  EXPECT_EQ(redis().command({"EXISTS", key("repeat:s")}).integer(), 0);
}

}  // namespace
}  // namespace warren::queue::testing
