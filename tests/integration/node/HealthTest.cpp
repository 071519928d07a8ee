// /health of a running node as its dependencies come and go: 503 naming the failed check (with
// an error text) while Redis or PostgreSQL is down, 200 again once it is back, and the queue
// consuming again after Redis returned.
#include "NodeProcess.h"
#include "PostgresServer.h"
#include "QueueState.h"
#include "RedisServer.h"

#include <gtest/gtest.h>

#include <csignal>

namespace warren::test {
namespace {

using namespace std::chrono_literals;

struct CheckView {
  int status = 0;
  bool healthy = false;
  std::string error;
  std::string body;
};

// /health's status code and one check's fields.
CheckView healthCheck(const NodeProcess& node, const std::string& check) {
  CheckView view;
  const HttpReply reply = node.get("/health");
  view.status = reply.status;
  view.body = reply.body;
  if (reply.status != 200 && reply.status != 503) return view;
  const auto object = jsonObject(reply.body);
  if (!object) return view;
  const auto checks = object->getObject("checks");
  if (!checks || !checks->has(check)) return view;
  const auto entry = checks->getObject(check);
  view.healthy = entry->getValue<bool>("healthy");
  if (!entry->isNull("error")) view.error = entry->getValue<std::string>("error");
  return view;
}

class NodeHealthTest : public ::testing::Test {
 protected:
  RedisServer redis_;
  PostgresServer postgres_;
};

TEST_F(NodeHealthTest, RedisDownTurnsHealth503AndBackTo200) {
  NodeProcess node(
      NodeOptions("health-redis", redis_.url()).slots(2).env("DATABASE_URL=" + postgres_.url()));
  CheckView view = healthCheck(node, "redis");
  ASSERT_EQ(view.status, 200) << view.body;
  EXPECT_TRUE(view.healthy) << view.body;
  const auto healthy = jsonObject(view.body);
  ASSERT_TRUE(healthy);
  EXPECT_EQ(healthy->getValue<std::string>("status"), "healthy");
  EXPECT_TRUE(healthy->getObject("checks")->getObject("database")->getValue<bool>("healthy"));
  EXPECT_TRUE(healthy->getObject("checks")->has("queue:health-redis")) << view.body;

  redis_.stop();
  EXPECT_TRUE(eventually(
      [&] {
        view = healthCheck(node, "redis");
        return view.status == 503 && !view.healthy;
      },
      30s))
      << view.body;
  EXPECT_FALSE(view.error.empty()) << view.body;
  EXPECT_EQ(jsonObject(view.body)->getValue<std::string>("status"), "unhealthy");

  redis_.start();  // same port
  EXPECT_TRUE(eventually(
      [&] {
        view = healthCheck(node, "redis");
        return view.status == 200 && view.healthy;
      },
      30s))
      << view.body;
  // The worker reconnected too: a job added now runs.
  QueueState queue(redis_.url(), "health-redis");
  const auto ids = queue.add(1, R"({"value":"after the outage"})");
  EXPECT_TRUE(eventually([&] { return queue.count("completed") == 1; }, 30s))
      << queue.read().summary() << "\n"
      << node.log();
  EXPECT_EQ(queue.jobHash(ids[0])["returnvalue"], "\"after the outage\"");
  EXPECT_EQ(node.stop(SIGTERM), 0) << node.log();
}

// A probe gets its answer in seconds: the endpoint's Redis connection has 2 s connect and
// command timeouts, so a request while Redis is down must not take much longer.
TEST_F(NodeHealthTest, HealthAnswersWithinSecondsWhileRedisIsDown) {
  NodeProcess node(
      NodeOptions("health-fast", redis_.url()).slots(1).env("DATABASE_URL=" + postgres_.url()));
  ASSERT_EQ(node.get("/health").status, 200);
  redis_.stop();
  for (const char* path : {"/health", "/health", "/metrics"}) {
    const auto started = std::chrono::steady_clock::now();
    const HttpReply reply = node.get(path);
    const auto took = std::chrono::steady_clock::now() - started;
    EXPECT_EQ(reply.status, std::string(path) == "/health" ? 503 : 200) << path << reply.body;
    EXPECT_LT(took, 10s) << path << " took "
                         << std::chrono::duration_cast<std::chrono::milliseconds>(took).count()
                         << " ms";
  }
  redis_.start();
  EXPECT_EQ(node.stop(SIGTERM), 0) << node.log();
}

TEST_F(NodeHealthTest, PostgresDownTurnsHealth503AndBackTo200) {
  NodeProcess node(
      NodeOptions("health-pg", redis_.url()).slots(2).env("DATABASE_URL=" + postgres_.url()));
  CheckView view = healthCheck(node, "database");
  ASSERT_EQ(view.status, 200) << view.body;
  EXPECT_TRUE(view.healthy) << view.body;

  postgres_.stop();
  EXPECT_TRUE(eventually(
      [&] {
        view = healthCheck(node, "database");
        return view.status == 503 && !view.healthy;
      },
      30s))
      << view.body;
  EXPECT_FALSE(view.error.empty()) << view.body;
  // Only the database is down.
  EXPECT_TRUE(healthCheck(node, "redis").healthy) << view.body;

  postgres_.start();  // same port and data directory
  EXPECT_TRUE(eventually(
      [&] {
        view = healthCheck(node, "database");
        return view.status == 200 && view.healthy;
      },
      30s))
      << view.body;
  EXPECT_EQ(node.stop(SIGTERM), 0) << node.log();
}

}  // namespace
}  // namespace warren::test
