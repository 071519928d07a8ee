// `warren plan --observed` reads what a running pipeline did: p95 job durations from the most
// recent completed jobs and the queue depth, from the queues' Redis keys.
#include "Command.h"
#include "NodeProcess.h"
#include "Paths.h"
#include "QueueState.h"
#include "RedisServer.h"

#include <gtest/gtest.h>

#include <regex>
#include <thread>

namespace warren::test {
namespace {

TEST(NodePlan, ObservedUsesTheCompletedJobsDurationsAndTheQueueDepth) {
  RedisServer redis;
  QueueState queue(redis.url(), "content-generate");
  {
    NodeProcess node(NodeOptions("content-generate", redis.url()).slots(4));
    queue.add(20, R"({"value":1,"sleep_ms":60})");
    for (int i = 0; i < 300 && queue.count("completed") < 20; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    ASSERT_EQ(queue.count("completed"), 20u) << node.log();
    EXPECT_EQ(node.stop(SIGTERM), 0) << node.log();
  }
  queue.add(3, R"({"value":2})");  // no worker now: they wait
  std::vector<std::string> env = cleanEnvironment();
  env.push_back("REDIS_URL=" + redis.url());
  const CommandResult r =
      run({warrenBinary().string(), "plan", "--posts-per-day", "1000", "--observed", "--json"}, env,
          std::chrono::seconds(30));
  ASSERT_EQ(r.exitCode, 0) << r.err;
  std::smatch match;
  const std::regex observed(
      R"re(\{"queue":"content-generate","samples":20,"p95Ms":([0-9]+),"waiting":3\})re");
  ASSERT_TRUE(std::regex_search(r.out, match, observed)) << r.out;
  EXPECT_GE(std::stoi(match[1].str()), 60) << r.out;  // each job slept 60 ms
}

}  // namespace
}  // namespace warren::test
