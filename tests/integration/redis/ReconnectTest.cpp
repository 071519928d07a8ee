// Reconnecting: backoff, settings re-applied, and the rule that a command whose reply was lost is
// never sent twice.
#include <optional>
#include <string>
#include <thread>

#include "Helpers.h"

namespace warren::redis::testing {
namespace {

using warren::test::RedisServer;

ConnectionOptions reconnecting(const std::string& name = "") {
  ConnectionOptions options = quickOptions();
  options.autoReconnect = true;
  options.clientName = name;
  options.reconnect.baseDelay = 20ms;
  options.reconnect.maxDelay = 200ms;
  options.reconnect.giveUpAfter = 10s;
  return options;
}

TEST(RedisReconnect, AutoReconnectAfterRestartReappliesNameAndDb) {
  RedisServer server;
  Connection connection(Url::parse(server.url() + "/2"), reconnecting("warren:worker-1"));
  ASSERT_EQ(connection.command({"SET", "before", "1"}), Reply::status("OK"));

  server.stop();
  server.start();  // same port, empty data set

  EXPECT_EQ(connection.command({"SET", "after", "1"}), Reply::status("OK"));
  EXPECT_EQ(connection.reconnects(), 1u);
  EXPECT_EQ(connection.command({"CLIENT", "GETNAME"}), Reply::string("warren:worker-1"));
  EXPECT_TRUE(contains(connection.command({"CLIENT", "INFO"}).asString(), " db=2 "));
  Connection admin(Url::parse(server.url()), quickOptions());
  EXPECT_TRUE(contains(admin.command({"CLIENT", "LIST"}).asString(), "name=warren:worker-1 "));
  admin.command({"SELECT", "2"});
  EXPECT_EQ(admin.command({"EXISTS", "after"}), Reply::integer(1));
}

TEST(RedisReconnect, WithoutAutoReconnectTheErrorSurfacesThenReconnectWorks) {
  RedisServer server;
  ConnectionOptions options = quickOptions();
  options.clientName = "warren:manual";
  Connection connection(Url::parse(server.url()), options);
  server.stop();
  server.start();
  EXPECT_THROW(connection.command({"PING"}), ConnectionError);
  EXPECT_FALSE(connection.healthy());
  connection.reconnect();
  EXPECT_TRUE(connection.healthy());
  EXPECT_EQ(connection.command({"CLIENT", "GETNAME"}), Reply::string("warren:manual"));
}

TEST(RedisReconnect, ReconnectWaitsForTheServerWithBackoff) {
  RedisServer server;
  Connection connection(Url::parse(server.url()), reconnecting("warren:patient"));
  server.stop();
  std::optional<std::string> error;
  std::thread reconnector([&] {
    try {
      connection.reconnect();
    } catch (const std::exception& e) {
      error = e.what();
    }
  });
  std::this_thread::sleep_for(400ms);  // several failed attempts meanwhile
  server.start();                      // from this thread: it outlives the server
  reconnector.join();
  ASSERT_FALSE(error.has_value()) << *error;
  EXPECT_EQ(connection.command({"CLIENT", "GETNAME"}), Reply::string("warren:patient"));
}

TEST(RedisReconnect, GivesUpAfterMaxAttempts) {
  ConnectionOptions options = reconnecting();
  options.reconnect.maxAttempts = 3;
  RedisServer guarded({"--requirepass", "pw-x"});
  Connection connection(Url::parse("redis://:pw-x@127.0.0.1:" + std::to_string(guarded.port())),
                        options);
  guarded.stop();
  const auto start = Clock::now();
  const auto message = thrownMessage<ConnectionError>([&] { connection.reconnect(); });
  EXPECT_LT(msSince(start), 2000);
  EXPECT_TRUE(contains(message, "could not reconnect to redis://:***@127.0.0.1:")) << message;
  EXPECT_TRUE(contains(message, "after 3 attempts")) << message;
  EXPECT_FALSE(contains(message, "pw-x")) << message;
}

TEST(RedisReconnect, GivesUpAfterDeadline) {
  RedisServer server;
  ConnectionOptions options = reconnecting();
  options.reconnect.giveUpAfter = 500ms;
  Connection connection(Url::parse(server.url()), options);
  server.stop();
  const auto start = Clock::now();
  const auto message = thrownMessage<ConnectionError>([&] { connection.command({"PING"}); });
  EXPECT_LT(msSince(start), 1500);
  EXPECT_TRUE(contains(message, "within 500 ms")) << message;
}

TEST(RedisReconnect, InterruptStopsTheBackoffLoop) {
  RedisServer server;
  ConnectionOptions options = reconnecting();
  options.reconnect.baseDelay = 5s;  // long sleeps: only the interrupt can end them early
  options.reconnect.maxDelay = 5s;
  options.reconnect.giveUpAfter = 0ms;
  Connection connection(Url::parse(server.url()), options);
  server.stop();
  std::optional<std::string> error;
  std::thread reconnector([&] {
    try {
      connection.reconnect();
    } catch (const ConnectionError& e) {
      error = e.what();
    }
  });
  std::this_thread::sleep_for(200ms);
  const auto start = Clock::now();
  connection.interrupt();
  reconnector.join();
  EXPECT_LT(msSince(start), 1000);
  ASSERT_TRUE(error.has_value());
  EXPECT_TRUE(contains(*error, "interrupted while reconnecting")) << *error;
}

// The reply of a sent command is lost (the server kills the connection while BLPOP blocks). With
// autoReconnect on, the command must fail, not be silently sent again.
TEST(RedisReconnect, LostReplyIsReportedNotResent) {
  RedisServer server;
  Connection connection(Url::parse(server.url()), reconnecting());
  Connection admin(Url::parse(server.url()), quickOptions());
  const std::string id = std::to_string(connection.command({"CLIENT", "ID"}).asInteger());
  std::optional<std::string> error;
  std::optional<Reply> reply;
  std::thread waiter([&] {
    try {
      reply = connection.command({"BLPOP", "jobs", "5"}, 10s);
    } catch (const ConnectionError& e) {
      error = e.what();
    }
  });
  ASSERT_TRUE(eventually([&] { return blockedClients(admin) == 1; }));
  ASSERT_EQ(admin.command({"CLIENT", "KILL", "ID", id}), Reply::integer(1));
  waiter.join();
  ASSERT_TRUE(error.has_value()) << "got " << (reply ? reply->describe() : "nothing");
  EXPECT_TRUE(contains(*error, "not re-sent")) << *error;
  // Had it been re-sent, a new BLPOP would be waiting and would eat this job.
  EXPECT_EQ(blockedClients(admin), 0);
  admin.command({"RPUSH", "jobs", "job-1"});
  EXPECT_EQ(admin.command({"LLEN", "jobs"}), Reply::integer(1));
  // The next command reconnects.
  EXPECT_EQ(connection.command({"LPOP", "jobs"}), Reply::string("job-1"));
  EXPECT_EQ(connection.reconnects(), 1u);
}

// Idle connection killed by the server: the next command was not sent yet, so it is retried on a
// new connection transparently.
TEST(RedisReconnect, KilledIdleConnectionIsReplacedBeforeSending) {
  RedisServer server;
  Connection connection(Url::parse(server.url()), reconnecting("warren:idle"));
  Connection admin(Url::parse(server.url()), quickOptions());
  ASSERT_EQ(admin.command({"CLIENT", "KILL", "USER", "default", "SKIPME", "yes"}),
            Reply::integer(1));
  EXPECT_EQ(connection.command({"INCR", "once"}), Reply::integer(1));
  EXPECT_EQ(admin.command({"GET", "once"}), Reply::string("1")) << "ran exactly once";
  EXPECT_EQ(connection.reconnects(), 1u);
}

TEST(RedisReconnect, ConnectionKilledAfterUseIsReplacedOnceIdle) {
  RedisServer server;
  Connection connection(Url::parse(server.url()), reconnecting("warren:used"));
  Connection admin(Url::parse(server.url()), quickOptions());
  ASSERT_EQ(connection.command({"PING"}), Reply::status("PONG"));
  ASSERT_EQ(admin.command({"CLIENT", "KILL", "USER", "default", "SKIPME", "yes"}),
            Reply::integer(1));
  std::this_thread::sleep_for(std::chrono::milliseconds(5));  // idle longer than a busy gap
  EXPECT_EQ(connection.command({"INCR", "once"}), Reply::integer(1));
  EXPECT_EQ(admin.command({"GET", "once"}), Reply::string("1")) << "ran exactly once";
  EXPECT_EQ(connection.reconnects(), 1u);
}

TEST(RedisReconnect, ChangedPasswordIsNotRetried) {
  RedisServer server({"--requirepass", "old-pw"});
  Connection connection(Url::parse("redis://:old-pw@127.0.0.1:" + std::to_string(server.port())),
                        reconnecting());
  ASSERT_EQ(connection.command({"CONFIG", "SET", "requirepass", "new-pw"}), Reply::status("OK"));
  const auto start = Clock::now();
  const auto message = thrownMessage<HandshakeError>([&] { connection.reconnect(); });
  EXPECT_LT(msSince(start), 1000) << "a refused AUTH is not retried with backoff";
  EXPECT_TRUE(contains(message, "authentication failed")) << message;
  EXPECT_FALSE(contains(message, "old-pw")) << message;
}

}  // namespace
}  // namespace warren::redis::testing
