// Blue-green drain through the admin API and `warren drain`: POST /admin/drain answers 202 and
// /ready turns 503 "draining"; running jobs finish, jobs added meanwhile stay in wait, GET
// /admin/drain says "drained"; POST /admin/resume runs them. And the refusals: no token
// configured (403), no Authorization header (401), a wrong token (403).
#include "NodeProcess.h"
#include "QueueState.h"
#include "RedisServer.h"

#include <gtest/gtest.h>

#include <csignal>
#include <set>
#include <thread>

namespace warren::test {
namespace {

using namespace std::chrono_literals;

const std::string kToken = "drain-token-5150";

class NodeDrainTest : public ::testing::Test {
 protected:
  NodeProcess startNode(const std::string& queue, std::vector<std::string> env) {
    NodeOptions options(queue, redis_.url());
    options.slots(2).set("node.shutdown_timeout_ms=1000");
    for (auto& entry : env) options.env(std::move(entry));
    return NodeProcess(std::move(options));
  }
  RedisServer redis_;
};

TEST_F(NodeDrainTest, DrainFinishesRunningJobsKeepsNewOnesWaitingAndResumeRunsThem) {
  NodeProcess node = startNode("drained", {"WARREN_ADMIN_TOKEN=" + kToken});
  QueueState queue(redis_.url(), "drained");
  EXPECT_EQ(node.get("/ready").body, R"({"ready":true})");
  queue.add(2, R"({"sleep_ms":4000})");
  ASSERT_TRUE(eventually([&] { return queue.count("active") == 2; }, 20s))
      << queue.read().summary();

  const HttpReply drain = node.admin("POST", "/admin/drain", kToken);
  EXPECT_EQ(drain.status, 202) << drain.body;
  EXPECT_EQ(drain.body, R"({"state":"draining","active":2})");
  const HttpReply ready = node.get("/ready");
  EXPECT_EQ(ready.status, 503);
  EXPECT_EQ(ready.body, R"({"ready":false,"state":"draining"})");
  const auto added = queue.add(3, R"({"value":"after the drain"})");

  HttpReply status;
  EXPECT_TRUE(eventually(
      [&] {
        status = node.admin("GET", "/admin/drain", kToken);
        return status.body == R"({"state":"drained","active":0})";
      },
      20s))
      << status.status << " " << status.body;
  EXPECT_EQ(status.status, 200);
  EXPECT_EQ(queue.count("completed"), 2u) << queue.read().summary();
  // Drained means drained: nothing is taken while it lasts.
  std::this_thread::sleep_for(1500ms);
  JobStates states = queue.read();
  const auto& waiting = states.ids["wait"];
  EXPECT_EQ(std::set<std::string>(waiting.begin(), waiting.end()),
            std::set<std::string>(added.begin(), added.end()))
      << states.summary();
  EXPECT_EQ(states.count("active"), 0u) << states.summary();
  EXPECT_EQ(node.get("/ready").status, 503);

  const HttpReply resume = node.admin("POST", "/admin/resume", kToken);
  EXPECT_EQ(resume.status, 200);
  EXPECT_EQ(resume.body, R"({"state":"serving"})");
  EXPECT_EQ(node.get("/ready").body, R"({"ready":true})");
  EXPECT_TRUE(eventually([&] { return queue.count("completed") == 5; }, 20s))
      << queue.read().summary();
  EXPECT_EQ(node.admin("GET", "/admin/drain", kToken).body, R"({"state":"serving","active":0})");
  EXPECT_EQ(node.stop(SIGTERM), 0) << node.log();
}

TEST_F(NodeDrainTest, DrainCommandExitsZeroOnceDrainedAndResumeUndoesIt) {
  NodeProcess node = startNode("cli-drain", {"WARREN_ADMIN_TOKEN=" + kToken});
  QueueState queue(redis_.url(), "cli-drain");
  queue.add(1, R"({"sleep_ms":3000})");
  ASSERT_TRUE(eventually([&] { return queue.count("active") == 1; }, 20s));
  auto env = cleanEnvironment();
  env.insert(env.end(),
             {"HTTP_PORT=" + std::to_string(node.port()), "WARREN_ADMIN_TOKEN=" + kToken});

  const CommandResult drained = run(warrenCommand({"drain", "--timeout", "10"}), env, 30s);
  EXPECT_EQ(drained.exitCode, 0) << drained.out << drained.err;
  EXPECT_EQ(drained.out, "{\"state\":\"drained\",\"active\":0}\n") << drained.err;
  EXPECT_EQ(queue.count("completed"), 1u) << "it waited for the running job";
  queue.add(1, R"({"value":"waits"})");

  const CommandResult resumed = run(warrenCommand({"resume"}), env, 30s);
  EXPECT_EQ(resumed.exitCode, 0) << resumed.out << resumed.err;
  EXPECT_EQ(resumed.out, "{\"state\":\"serving\"}\n") << resumed.err;
  EXPECT_TRUE(eventually([&] { return queue.count("completed") == 2; }, 20s))
      << queue.read().summary();
  EXPECT_EQ(node.stop(SIGTERM), 0) << node.log();
}

TEST_F(NodeDrainTest, DrainCommandGivesUpAfterItsTimeout) {
  NodeProcess node = startNode("slow-drain", {"WARREN_ADMIN_TOKEN=" + kToken});
  QueueState queue(redis_.url(), "slow-drain");
  queue.add(1, R"({"sleep_ms":20000})");
  ASSERT_TRUE(eventually([&] { return queue.count("active") == 1; }, 20s));
  auto env = cleanEnvironment();
  env.insert(env.end(),
             {"HTTP_PORT=" + std::to_string(node.port()), "WARREN_ADMIN_TOKEN=" + kToken});
  const CommandResult r = run(warrenCommand({"drain", "--timeout", "1"}), env, 30s);
  EXPECT_EQ(r.exitCode, 1) << r.out << r.err;
  EXPECT_EQ(r.err, "warren: still draining after 1 s: {\"state\":\"draining\",\"active\":1}\n");
  EXPECT_EQ(node.stop(SIGTERM), 0) << node.log();
}

TEST_F(NodeDrainTest, AdminApiRefusals) {
  {
    NodeProcess open = startNode("no-token", {});
    for (const auto& [method, path] :
         std::vector<std::pair<std::string, std::string>>{{"POST", "/admin/drain"},
                                                          {"GET", "/admin/drain"},
                                                          {"POST", "/admin/resume"},
                                                          {"POST", "/admin/reload"}}) {
      const HttpReply r = open.admin(method, path, "anything");
      EXPECT_EQ(r.status, 403) << method << " " << path;
      EXPECT_EQ(r.body, R"({"error":"admin API disabled: set admin.token or WARREN_ADMIN_TOKEN"})");
    }
    EXPECT_EQ(open.get("/ready").status, 200) << "a refused drain changes nothing";
    EXPECT_EQ(open.stop(SIGTERM), 0) << open.log();
  }
  NodeProcess node = startNode("token", {"WARREN_ADMIN_TOKEN=" + kToken});
  const HttpReply missing = node.admin("POST", "/admin/drain", "");
  EXPECT_EQ(missing.status, 401);
  EXPECT_EQ(missing.body, R"({"error":"missing bearer token"})");
  EXPECT_EQ(missing.wwwAuthenticate, "Bearer");
  const HttpReply basic =
      httpCall(node.port(), "POST", "/admin/drain", {{"Authorization", "Basic " + kToken}});
  EXPECT_EQ(basic.status, 401) << basic.body;
  for (const std::string& wrong : {kToken + "x", kToken.substr(1), std::string("x")}) {
    const HttpReply r = node.admin("POST", "/admin/drain", wrong);
    EXPECT_EQ(r.status, 403) << wrong;
    EXPECT_EQ(r.body, R"({"error":"invalid admin token"})");
  }
  EXPECT_EQ(node.get("/ready").status, 200) << "refused drains change nothing";

  // `warren drain` reports the node's refusal and exits 1.
  auto env = cleanEnvironment();
  env.insert(env.end(),
             {"HTTP_PORT=" + std::to_string(node.port()), "WARREN_ADMIN_TOKEN=wrong-token"});
  const CommandResult r = run(warrenCommand({"drain"}), env, 30s);
  EXPECT_EQ(r.exitCode, 1);
  EXPECT_EQ(r.err, "warren: the node refused (403): {\"error\":\"invalid admin token\"}\n");
  // Without a token it does not even ask.
  env.pop_back();
  const CommandResult none = run(warrenCommand({"drain"}), env, 30s);
  EXPECT_EQ(none.exitCode, 78);
  EXPECT_EQ(none.err, "warren: no admin token: set admin.token or WARREN_ADMIN_TOKEN\n");
  EXPECT_EQ(node.stop(SIGTERM), 0) << node.log();
}

}  // namespace
}  // namespace warren::test
