// `warren run` under a service manager (systemd Type=notify), with a NOTIFY_SOCKET the test binds
// in place of systemd's: READY once the queues serve, WATCHDOG=1 at half of WATCHDOG_USEC (each
// within the watchdog period), RELOADING/READY around a SIGHUP reload, STOPPING on SIGTERM; a
// node that refuses to start never says READY.
#include "NodeProcess.h"
#include "NotifySocket.h"
#include "QueueState.h"
#include "RedisServer.h"

#include <gtest/gtest.h>

#include <csignal>

namespace warren::test {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

TEST(NodeNotify, ReadyOnceServingKeepalivesAtHalfTheWatchdogStoppingOnSigterm) {
  RedisServer redis;
  const TempDir dir("warren-node-notify");
  const NotifySocket socket((dir / "notify.sock").string());
  NodeProcess node(NodeOptions("notified", redis.url())
                       .env("NOTIFY_SOCKET=" + socket.name())
                       .env("WATCHDOG_USEC=1000000"));

  EXPECT_EQ(socket.next(10s), "READY=1\nSTATUS=serving 1 queue(s)") << node.log();
  EXPECT_EQ(node.get("/ready").status, 200) << "READY before the node serves";
  QueueState queue(redis.url(), "notified");
  queue.add(2, R"({"value":1})");
  EXPECT_TRUE(eventually([&] { return queue.count("completed") == 2; }, 20s))
      << queue.read().summary();

  // Keepalives every 500 ms: never faster than half the period, never later than the period.
  std::vector<Clock::time_point> seen;
  const auto until = Clock::now() + 3500ms;
  while (Clock::now() < until) {
    const std::string message = socket.next(1500ms);
    ASSERT_EQ(message, "WATCHDOG=1") << node.log();
    seen.push_back(Clock::now());
  }
  ASSERT_GE(seen.size(), 5u);
  for (std::size_t i = 1; i < seen.size(); ++i) {
    const auto gap = std::chrono::duration_cast<std::chrono::milliseconds>(seen[i] - seen[i - 1]);
    EXPECT_GE(gap, 400ms) << "keepalive " << i;
    EXPECT_LT(gap, 1000ms) << "keepalive " << i << " came later than the watchdog period";
  }

  node.signal(SIGHUP);
  std::string message;
  do {
    message = socket.next(5s);
  } while (message == "WATCHDOG=1");
  EXPECT_EQ(message.rfind("RELOADING=1\nMONOTONIC_USEC=", 0), 0u) << message;
  do {
    message = socket.next(5s);
  } while (message == "WATCHDOG=1");
  EXPECT_EQ(message, "READY=1\nSTATUS=serving 1 queue(s)");

  node.signal(SIGTERM);
  do {
    message = socket.next(5s);
  } while (message == "WATCHDOG=1");
  EXPECT_EQ(message, "STOPPING=1\nSTATUS=stopping: finishing running jobs (up to 30000 ms)");
  EXPECT_EQ(node.waitExit(30s), 0) << node.log();
  EXPECT_EQ(socket.next(300ms), "") << "nothing after STOPPING";
}

TEST(NodeNotify, WithoutAWatchdogOnlyReadyAndStopping) {
  RedisServer redis;
  const TempDir dir("warren-node-notify");
  const NotifySocket socket((dir / "notify.sock").string());
  NodeProcess node(NodeOptions("unwatched", redis.url()).env("NOTIFY_SOCKET=" + socket.name()));
  EXPECT_EQ(socket.next(10s), "READY=1\nSTATUS=serving 1 queue(s)") << node.log();
  EXPECT_EQ(socket.next(1500ms), "") << "a keepalive without WATCHDOG_USEC";
  node.signal(SIGTERM);
  EXPECT_EQ(socket.next(5s).rfind("STOPPING=1\n", 0), 0u);
  EXPECT_EQ(node.waitExit(30s), 0) << node.log();
}

TEST(NodeNotify, ANodeThatRefusesToStartNeverSaysReady) {
  RedisServer redis;
  const TempDir dir("warren-node-notify");
  const NotifySocket socket((dir / "notify.sock").string());
  auto env = cleanEnvironment();
  env.push_back("REDIS_URL=" + redis.url());
  env.push_back("WARREN_DATA_DIR=" + (dir / "data").string());
  env.push_back("NOTIFY_SOCKET=" + socket.name());
  env.push_back("WATCHDOG_USEC=1000000");
  const CommandResult r =
      run(warrenCommand({"run", "--plugin", "no-such-plugin", "--queue", "q"}), env, 30s);
  EXPECT_EQ(r.exitCode, 2) << r.out << r.err;
  EXPECT_EQ(socket.next(200ms), "");
}

}  // namespace
}  // namespace warren::test
