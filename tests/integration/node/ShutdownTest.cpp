// Stopping a node with jobs in flight. SIGTERM: running jobs get node.shutdown_timeout_ms to
// finish, the rest go back to wait, exit 0, nothing lost or failed, and the next node runs them.
// A second SIGTERM: the process exits at once and the stalled checker of the next node recovers
// the jobs it left active; each job completes exactly once.
#include "NodeProcess.h"
#include "QueueState.h"
#include "RedisServer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <csignal>
#include <set>

namespace warren::test {
namespace {

using namespace std::chrono_literals;

constexpr std::size_t kJobs = 20;
constexpr std::uint32_t kSlots = 10;

// Every added id sits in exactly one state, and the states hold nothing else.
void expectEachJobOnce(const JobStates& states, const std::vector<std::string>& ids) {
  std::multiset<std::string> seen;
  for (const auto& [state, list] : states.ids) seen.insert(list.begin(), list.end());
  EXPECT_EQ(seen, std::multiset<std::string>(ids.begin(), ids.end())) << states.summary();
}

// Each job completed once: one `completed` event per id in the queue's event stream.
void expectCompletedOnce(QueueState& queue, const std::vector<std::string>& ids) {
  const auto completed = queue.eventsPerJob("completed");
  for (const auto& id : ids) {
    const auto found = completed.find(id);
    EXPECT_EQ(found == completed.end() ? 0 : found->second, 1) << "job " << id;
  }
  EXPECT_EQ(completed.size(), ids.size());
}

TEST(NodeShutdown, SigtermGivesRunningJobsBackAndTheNextNodeFinishesThem) {
  RedisServer redis;
  QueueState queue(redis.url(), "shutdown");
  const auto ids = queue.add(kJobs, R"({"sleep_ms":3000})");
  NodeProcess first(NodeOptions("shutdown", redis.url())
                        .slots(kSlots)
                        .set("node.shutdown_timeout_ms=1000")
                        .withoutHttp()
                        .worker("first"));
  ASSERT_TRUE(eventually([&] { return queue.count("active") == kSlots; }, 20s))
      << queue.read().summary() << "\n"
      << first.log();

  EXPECT_EQ(first.stop(SIGTERM), 0) << first.log();
  const JobStates after = queue.read();
  EXPECT_EQ(after.count("active"), 0u) << after.summary();
  EXPECT_EQ(after.count("failed"), 0u) << after.summary();
  EXPECT_EQ(after.count("completed") + after.count("wait"), kJobs) << after.summary();
  expectEachJobOnce(after, ids);
  // A job given back is not a failure and costs no attempt.
  for (const auto& id : after.ids.at("wait")) {
    const auto hash = queue.jobHash(id);
    EXPECT_EQ(hash.count("failedReason"), 0u) << "job " << id;
    EXPECT_TRUE(hash.count("atm") == 0 || hash.at("atm") == "0") << "job " << id;
  }
  const std::size_t givenBack = kSlots - after.count("completed");
  if (givenBack > 0) {
    EXPECT_NE(first.log().find("\"msg\":\"jobs still running at the shutdown deadline were given "
                               "back to wait\",\"jobs\":" +
                               std::to_string(givenBack)),
              std::string::npos)
        << first.log();
  }

  NodeProcess second(
      NodeOptions("shutdown", redis.url()).slots(kSlots).withoutHttp().worker("second"));
  EXPECT_TRUE(eventually([&] { return queue.count("completed") == kJobs; }, 30s))
      << queue.read().summary() << "\n"
      << second.log();
  expectEachJobOnce(queue.read(), ids);
  expectCompletedOnce(queue, ids);
  EXPECT_EQ(second.stop(SIGTERM), 0) << second.log();
}

TEST(NodeShutdown, SecondSigtermExitsAtOnceAndStalledJobsAreRecoveredOnce) {
  RedisServer redis;
  QueueState queue(redis.url(), "hurried");
  const auto ids = queue.add(kJobs, R"({"sleep_ms":5000})");
  // Locks expire 2 s after the last renewal; the stalled checker runs every second.
  const auto quickStalls = [&](const std::string& worker) {
    return NodeOptions("hurried", redis.url())
        .slots(kSlots)
        .set("queue.stalledInterval=1000")
        .set("queue.lockDuration=2000")
        .withoutHttp()
        .worker(worker);
  };
  NodeProcess first(quickStalls("first"));
  ASSERT_TRUE(eventually([&] { return queue.count("active") == kSlots; }, 20s))
      << queue.read().summary() << "\n"
      << first.log();

  first.signal(SIGTERM);
  ASSERT_TRUE(first.waitForLog("\"msg\":\"warren stopping\"", 10s)) << first.log();
  first.signal(SIGTERM);
  const int code = first.waitExit(10s);
  // Node::stop leaves through _exit(1): not a clean stop, and said so in the log.
  EXPECT_EQ(code, 1) << first.log();
  EXPECT_NE(first.log().find("second signal: exiting now; running jobs are left to the stalled "
                             "checker"),
            std::string::npos)
      << first.log();
  EXPECT_EQ(first.log().find("\"msg\":\"warren stopped\""), std::string::npos) << first.log();
  // It did not wait for the 5 s jobs: they are still active, under locks nobody renews.
  const JobStates left = queue.read();
  EXPECT_EQ(left.count("active"), kSlots) << left.summary();
  expectEachJobOnce(left, ids);

  NodeProcess second(quickStalls("second"));
  EXPECT_TRUE(eventually([&] { return queue.count("completed") == kJobs; }, 60s))
      << queue.read().summary() << "\n"
      << second.log();
  const JobStates done = queue.read();
  EXPECT_EQ(done.count("failed"), 0u) << done.summary();
  expectEachJobOnce(done, ids);
  expectCompletedOnce(queue, ids);
  // The jobs the first node left active came back through the stalled checker, once each.
  const auto stalled = queue.eventsPerJob("stalled");
  EXPECT_EQ(stalled.size(), kSlots);
  for (const auto& id : left.ids.at("active")) {
    EXPECT_EQ(stalled.count(id), 1u) << "job " << id;
    EXPECT_EQ(queue.jobHash(id)["stc"], "1") << "job " << id;
  }
  EXPECT_EQ(second.stop(SIGTERM), 0) << second.log();
}

}  // namespace
}  // namespace warren::test
