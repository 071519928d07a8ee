// The consumption watchdog, with a worker that is alive but not consuming: its Redis
// connections go through a proxy that turns them into black holes (open, silent, never closed),
// and the command timeout is set far beyond the test so that the worker does not notice by
// itself. /health names the queue whose fetch loop is late; the watchdog then rebuilds the
// worker's connections (log line and worker_watchdog_rebuilds_total) and jobs run again.
#include "BlackholeProxy.h"
#include "NodeProcess.h"
#include "QueueState.h"
#include "RedisServer.h"

#include <gtest/gtest.h>

#include <csignal>

namespace warren::test {
namespace {

using namespace std::chrono_literals;

const char* const kRebuilds = R"(worker_watchdog_rebuilds_total{queue="stuck"})";

TEST(NodeWatchdog, RebuildsTheConnectionsOfAWorkerThatStoppedConsuming) {
  RedisServer redis;
  BlackholeProxy proxy(redis.port());
  const std::string url = "redis://127.0.0.1:" + std::to_string(proxy.port());
  // drainDelay 1 s: the fetch allowance is (1 + 10) s + 5 s margin = 16 s.
  NodeProcess node(NodeOptions("stuck", url)
                       .slots(2)
                       .set("queue.drainDelay=1")
                       .set("redis.command_timeout_ms=600000"));
  QueueState queue(redis.url(), "stuck");
  queue.add(1, R"({"value":"before"})");
  ASSERT_TRUE(eventually([&] { return queue.count("completed") == 1; }, 20s));
  ASSERT_EQ(node.get("/health").status, 200);
  const double rebuildsBefore = metricValue(node.get("/metrics").body, kRebuilds).value_or(0);

  ASSERT_GT(proxy.blackholeOpen(), 0u);
  std::string body;
  EXPECT_TRUE(eventually(
      [&] {
        const HttpReply health = node.get("/health");
        body = health.body;
        return health.status == 503 &&
               body.find(R"("queue:stuck":{"healthy":false,"error":"queue 'stuck': fetch loop )"
                         R"(late by )") != std::string::npos;
      },
      40s, 500ms))
      << body;
  // The node's own Redis check reconnects (through the proxy, to a live connection).
  EXPECT_NE(body.find(R"("redis":{"healthy":true)"), std::string::npos) << body;

  EXPECT_TRUE(node.waitForLog(
      R"("msg":"watchdog: worker stopped consuming; rebuilding its connections","queue":"stuck")",
      40s))
      << node.log();
  double rebuilds = 0;
  EXPECT_TRUE(eventually(
      [&] {
        rebuilds = metricValue(node.get("/metrics").body, kRebuilds).value_or(0);
        return rebuilds > rebuildsBefore;
      },
      10s))
      << rebuilds;

  queue.add(1, R"({"value":"after"})");
  EXPECT_TRUE(eventually([&] { return queue.count("completed") == 2; }, 20s))
      << queue.read().summary() << "\n"
      << node.log();
  HttpReply health;
  EXPECT_TRUE(eventually(
      [&] {
        health = node.get("/health");
        return health.status == 200;
      },
      20s))
      << health.body;
  EXPECT_EQ(node.stop(SIGTERM), 0) << node.log();
}

}  // namespace
}  // namespace warren::test
