#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "Helpers.h"

namespace warren::redis::testing {
namespace {

using namespace std::string_literals;
using warren::test::RedisServer;

TEST(RedisConnection, PingSetGetOverTcp) {
  RedisServer server;
  Connection connection(Url::parse(server.url()), quickOptions());
  EXPECT_EQ(connection.command({"PING"}), Reply::status("PONG"));
  EXPECT_EQ(connection.command({"SET", "greeting", "hello"}), Reply::status("OK"));
  EXPECT_EQ(connection.command({"GET", "greeting"}), Reply::string("hello"));
  EXPECT_TRUE(connection.command({"GET", "missing"}).isNil());
  EXPECT_TRUE(connection.healthy());
}

TEST(RedisConnection, PingSetGetOverUnixSocket) {
  RedisServer server;
  Connection connection(Url::parse(server.unixUrl()), quickOptions());
  EXPECT_EQ(connection.command({"PING"}), Reply::status("PONG"));
  EXPECT_EQ(connection.command({"SET", "k", "over-unix"}), Reply::status("OK"));
  // Same server over TCP sees the value: we really talked to it through the socket file.
  Connection tcp(Url::parse(server.url()), quickOptions());
  EXPECT_EQ(tcp.command({"GET", "k"}), Reply::string("over-unix"));
  const std::string info = connection.command({"CLIENT", "INFO"}).asString();
  EXPECT_TRUE(contains(info, "laddr=" + server.unixSocket())) << info;
}

TEST(RedisConnection, UnixSocketWithDbQuery) {
  RedisServer server;
  Connection connection(Url::parse(server.unixUrl() + "?db=3"), quickOptions());
  connection.command({"SET", "k", "in-3"});
  Connection db0(Url::parse(server.unixUrl()), quickOptions());
  EXPECT_TRUE(db0.command({"GET", "k"}).isNil());
  db0.command({"SELECT", "3"});
  EXPECT_EQ(db0.command({"GET", "k"}), Reply::string("in-3"));
}

TEST(RedisConnection, ErrorRepliesAreReturnedNotThrown) {
  RedisServer server;
  Connection connection(Url::parse(server.url()), quickOptions());
  connection.command({"SET", "s", "x"});
  const Reply reply = connection.command({"LPUSH", "s", "y"});
  EXPECT_TRUE(reply.isError("WRONGTYPE")) << reply.describe();
  EXPECT_TRUE(connection.command({"NOSUCHCOMMAND"}).isError("ERR"));
  EXPECT_EQ(connection.command({"PING"}), Reply::status("PONG")) << "stream stays in step";
}

TEST(RedisConnection, AuthWithRequirepass) {
  RedisServer server({"--requirepass", "pa ss@word"});
  Connection unauthenticated(Url::parse(server.url()), quickOptions());
  EXPECT_TRUE(unauthenticated.command({"GET", "x"}).isError("NOAUTH"));

  Connection connection(
      Url::parse("redis://:pa%20ss%40word@127.0.0.1:" + std::to_string(server.port())),
      quickOptions());
  EXPECT_EQ(connection.command({"SET", "x", "1"}), Reply::status("OK"));
  EXPECT_EQ(connection.command({"ACL", "WHOAMI"}), Reply::string("default"));
}

TEST(RedisConnection, AuthWithAclUser) {
  RedisServer server({"--user", "alice", "on", ">s3cret", "~*", "&*", "+@all"});
  Connection connection(
      Url::parse("redis://alice:s3cret@127.0.0.1:" + std::to_string(server.port())),
      quickOptions());
  EXPECT_EQ(connection.command({"ACL", "WHOAMI"}), Reply::string("alice"));
  EXPECT_EQ(connection.command({"SET", "k", "v"}), Reply::status("OK"));
}

TEST(RedisConnection, AclUserCreatedByAdminConnection) {
  RedisServer server;
  Connection admin(Url::parse(server.url()), quickOptions());
  ASSERT_EQ(admin.command({"ACL", "SETUSER", "bob", "on", ">b0b-pw", "~bob:*", "+@all"}),
            Reply::status("OK"));
  Connection bob(Url::parse("redis://bob:b0b-pw@127.0.0.1:" + std::to_string(server.port())),
                 quickOptions());
  EXPECT_EQ(bob.command({"SET", "bob:k", "v"}), Reply::status("OK"));
  EXPECT_TRUE(bob.command({"SET", "other", "v"}).isError("NOPERM"));
}

TEST(RedisConnection, WrongPasswordMentionsAuthenticationNotPassword) {
  RedisServer server({"--requirepass", "right-password"});
  const std::string url =
      "redis://:wrong-Pa55word@127.0.0.1:" + std::to_string(server.port()) + "/2";
  const auto message = thrownMessage<HandshakeError>(
      [&] { Connection connection(Url::parse(url), quickOptions()); });
  EXPECT_TRUE(contains(message, "authentication failed")) << message;
  EXPECT_TRUE(contains(message, "redis://:***@127.0.0.1:" + std::to_string(server.port())))
      << message;
  EXPECT_FALSE(contains(message, "wrong-Pa55word")) << message;
  EXPECT_FALSE(contains(message, "right-password")) << message;
}

TEST(RedisConnection, WrongAclPasswordIsAHandshakeError) {
  RedisServer server({"--user", "alice", "on", ">s3cret", "~*", "+@all"});
  const auto message = thrownMessage<HandshakeError>([&] {
    Connection connection(
        Url::parse("redis://alice:n0pe@127.0.0.1:" + std::to_string(server.port())),
        quickOptions());
  });
  EXPECT_TRUE(contains(message, "authentication failed for redis://alice:***@")) << message;
  EXPECT_TRUE(contains(message, "WRONGPASS")) << message;
  EXPECT_FALSE(contains(message, "n0pe")) << message;
}

TEST(RedisConnection, SelectsDatabaseFromUrl) {
  RedisServer server;
  Connection db3(Url::parse(server.url() + "/3"), quickOptions());
  ASSERT_EQ(db3.command({"SET", "only-in-3", "yes"}), Reply::status("OK"));
  Connection db0(Url::parse(server.url()), quickOptions());
  EXPECT_EQ(db0.command({"EXISTS", "only-in-3"}), Reply::integer(0));
  EXPECT_EQ(db3.command({"GET", "only-in-3"}), Reply::string("yes"));
  EXPECT_TRUE(contains(db3.command({"CLIENT", "INFO"}).asString(), " db=3 "));
}

TEST(RedisConnection, DatabaseOutOfRangeIsAHandshakeError) {
  RedisServer server;
  const auto message = thrownMessage<HandshakeError>(
      [&] { Connection connection(Url::parse(server.url() + "/99"), quickOptions()); });
  EXPECT_TRUE(contains(message, "cannot select database 99")) << message;
}

TEST(RedisConnection, ClientNameVisibleInClientList) {
  RedisServer server;
  ConnectionOptions options = quickOptions();
  options.clientName = "warren:test:scripts";
  Connection connection(Url::parse(server.url()), options);
  Connection admin(Url::parse(server.url()), quickOptions());
  const std::string list = admin.command({"CLIENT", "LIST"}).asString();
  EXPECT_TRUE(contains(list, "name=warren:test:scripts ")) << list;
  EXPECT_EQ(connection.command({"CLIENT", "GETNAME"}), Reply::string("warren:test:scripts"));
}

TEST(RedisConnection, InvalidClientNameIsAHandshakeError) {
  RedisServer server;
  ConnectionOptions options = quickOptions();
  options.clientName = "has space";
  const auto message = thrownMessage<HandshakeError>(
      [&] { Connection connection(Url::parse(server.url()), options); });
  EXPECT_TRUE(contains(message, "cannot set client name 'has space'")) << message;
}

TEST(RedisConnection, BinarySafeArguments) {
  RedisServer server;
  Connection connection(Url::parse(server.url()), quickOptions());
  const std::string key = "k\0ey\r\n"s;
  std::string value = "\0\r\n$5\r\n*1\r\n"s;
  for (int i = 0; i < 256; ++i) value.push_back(static_cast<char>(i));
  ASSERT_EQ(connection.command({"SET", key, value}), Reply::status("OK"));
  EXPECT_EQ(connection.command({"GET", key}), Reply::string(value));
  EXPECT_EQ(connection.command({"STRLEN", key}),
            Reply::integer(static_cast<long long>(value.size())));
  EXPECT_TRUE(connection.command({"GET", "k"}).isNil()) << "key not cut at the NUL";
}

TEST(RedisConnection, OneMebibyteValue) {
  RedisServer server;
  Connection connection(Url::parse(server.url()), quickOptions());
  std::string value(1 << 20, 'x');
  for (std::size_t i = 0; i < value.size(); i += 4093) value[i] = static_cast<char>(i);
  ASSERT_EQ(connection.command({"SET", "big", value}), Reply::status("OK"));
  EXPECT_TRUE(connection.command({"GET", "big"}).str() == value);
}

TEST(RedisConnection, PipelineOfThousandCommands) {
  RedisServer server;
  Connection connection(Url::parse(server.url()), quickOptions());
  std::vector<std::vector<std::string>> commands;
  for (int i = 0; i < 1000; ++i) commands.push_back({"INCR", "counter"});
  commands[500] = {"LPUSH", "counter", "x"};  // an error in the middle must not shift replies
  const auto replies = connection.pipeline(commands);
  ASSERT_EQ(replies.size(), 1000u);
  for (int i = 0; i < 500; ++i) ASSERT_EQ(replies[i], Reply::integer(i + 1)) << i;
  EXPECT_TRUE(replies[500].isError("WRONGTYPE"));
  for (int i = 501; i < 1000; ++i) ASSERT_EQ(replies[i], Reply::integer(i)) << i;
  EXPECT_EQ(connection.command({"GET", "counter"}), Reply::string("999"));
  EXPECT_TRUE(connection.pipeline({}).empty());
}

// Sending ahead: a second batch leaves before the first one's replies are read.
TEST(RedisConnection, RepliesSentAheadComeBackInOrder) {
  RedisServer server;
  Connection connection(Url::parse(server.url()), quickOptions());
  connection.send({{"INCR", "n"}, {"INCR", "n"}});
  connection.send({{"LPUSH", "n", "x"}, {"INCR", "n"}});
  EXPECT_EQ(connection.pending(), 4u);
  EXPECT_TRUE(connection.awaitReply(2000ms, -1));
  EXPECT_EQ(connection.receive(2), (std::vector<Reply>{Reply::integer(1), Reply::integer(2)}));
  const auto second = connection.receive(2);
  EXPECT_TRUE(second[0].isError("WRONGTYPE"));
  EXPECT_EQ(second[1], Reply::integer(3));
  EXPECT_EQ(connection.pending(), 0u);
  EXPECT_EQ(connection.command({"GET", "n"}), Reply::string("3"));
}

TEST(RedisConnection, ACommandWhileRepliesArePendingIsRefused) {
  RedisServer server;
  Connection connection(Url::parse(server.url()), quickOptions());
  connection.send({{"PING"}});
  EXPECT_THROW(connection.command({"PING"}), std::logic_error);
  EXPECT_THROW(connection.receive(2), std::logic_error);
  EXPECT_EQ(connection.receive(1), std::vector<Reply>{Reply::status("PONG")});
  EXPECT_EQ(connection.command({"PING"}), Reply::status("PONG"));
}

TEST(RedisConnection, AwaitReplyWakesOnTheOtherDescriptorOrTheReply) {
  RedisServer server;
  Connection connection(Url::parse(server.url()), quickOptions());
  int pipeFds[2];
  ASSERT_EQ(::pipe(pipeFds), 0);
  connection.send({{"DEBUG", "SLEEP", "0.3"}});
  const char byte = 'x';
  ASSERT_EQ(::write(pipeFds[1], &byte, 1), 1);
  auto start = Clock::now();
  EXPECT_FALSE(connection.awaitReply(2000ms, pipeFds[0])) << "woken by the descriptor";
  EXPECT_LT(msSince(start), 200);
  char drained = 0;
  ASSERT_EQ(::read(pipeFds[0], &drained, 1), 1);
  start = Clock::now();
  EXPECT_TRUE(connection.awaitReply(2000ms, pipeFds[0]));
  EXPECT_GE(msSince(start), 150);
  EXPECT_EQ(connection.receive(1), std::vector<Reply>{Reply::status("OK")});
  ::close(pipeFds[0]);
  ::close(pipeFds[1]);
}

TEST(RedisConnection, ALostStreamDropsTheRepliesSentAhead) {
  RedisServer server;
  ConnectionOptions options = quickOptions();
  options.autoReconnect = true;
  Connection connection(Url::parse(server.url()), options);
  connection.send({{"INCR", "a"}});
  ASSERT_TRUE(connection.awaitReply(2000ms, -1));  // its reply is here, not yet received
  connection.send({{"DEBUG", "SLEEP", "2"}, {"INCR", "a"}});
  std::this_thread::sleep_for(100ms);  // the server is asleep in the second batch
  server.kill();
  EXPECT_EQ(connection.receive(1), std::vector<Reply>{Reply::integer(1)}) << "already here";
  const auto message = thrownMessage<ConnectionError>([&] { connection.receive(2); });
  EXPECT_TRUE(contains(message, "not re-sent")) << message;
  EXPECT_EQ(connection.pending(), 0u);
  server.start();
  EXPECT_EQ(connection.command({"PING"}), Reply::status("PONG")) << "reconnects as usual";
}

TEST(RedisConnection, CommandTimeoutThrowsAndBreaksConnection) {
  RedisServer server;
  ConnectionOptions options = quickOptions();
  options.commandTimeout = 300ms;
  Connection connection(Url::parse(server.url()), options);
  const auto start = Clock::now();
  const auto message = thrownMessage<TimeoutError>([&] {
    connection.command({"DEBUG", "SLEEP", "2"});
  });
  EXPECT_LT(msSince(start), 1500);
  EXPECT_GE(msSince(start), 290);
  EXPECT_TRUE(contains(message, "timeout")) << message;
  EXPECT_TRUE(contains(message, "300 ms")) << message;
  EXPECT_TRUE(contains(message, server.url())) << message;
  EXPECT_FALSE(connection.healthy());

  // The late reply must never be taken for the next command's: the connection is unusable.
  const auto next = thrownMessage<ConnectionError>([&] { connection.command({"PING"}); });
  EXPECT_TRUE(contains(next, "reconnect")) << next;
  connection.reconnect();
  // The server still sleeps for a while: give this one time to wait it out.
  EXPECT_EQ(connection.command({"ECHO", "after"}, 5s), Reply::string("after"));
}

TEST(RedisConnection, BlockingCommandUsesItsOwnTimeout) {
  RedisServer server;
  ConnectionOptions options = quickOptions();
  options.commandTimeout = 300ms;  // shorter than the block: the explicit timeout must win
  Connection connection(Url::parse(server.url()), options);
  const auto start = Clock::now();
  const Reply reply = connection.command({"BZPOPMIN", "queue", "1"}, 3s);
  EXPECT_TRUE(reply.isNil()) << reply.describe();
  EXPECT_GE(msSince(start), 900);

  std::thread pusher([&] {
    std::this_thread::sleep_for(300ms);
    Connection other(Url::parse(server.url()), quickOptions());
    other.command({"ZADD", "queue", "5", "job-1"});
  });
  const Reply popped = connection.command({"BZPOPMIN", "queue", "5"}, 6s);
  pusher.join();
  EXPECT_EQ(popped,
            Reply::array({Reply::string("queue"), Reply::string("job-1"), Reply::string("5")}));
}

TEST(RedisConnection, ConnectToClosedPortFailsFast) {
  const int port = RedisServer::freePort();  // nothing listens there
  ConnectionOptions options;
  options.connectTimeout = 2s;
  const auto start = Clock::now();
  const auto message = thrownMessage<ConnectionError>([&] {
    Connection connection(Url::parse("redis://:pw@127.0.0.1:" + std::to_string(port)), options);
  });
  EXPECT_LT(msSince(start), 2000);
  EXPECT_TRUE(contains(message, "cannot connect to redis://:***@127.0.0.1:" + std::to_string(port)))
      << message;
  EXPECT_TRUE(contains(message, "refused")) << message;
}

// A listener whose accept queue is full drops new SYNs, so connect() hangs: the connect timeout
// must end it.
TEST(RedisConnection, ConnectTimeoutEndsAHangingConnect) {
  const int listener = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  ASSERT_EQ(::bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  ASSERT_EQ(::listen(listener, 0), 0);
  ASSERT_EQ(::getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length), 0);
  std::vector<int> fillers;
  for (int i = 0; i < 3; ++i) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
    fillers.push_back(fd);
  }
  std::this_thread::sleep_for(50ms);
  ConnectionOptions options;
  options.connectTimeout = 400ms;
  const auto start = Clock::now();
  const auto message = thrownMessage<TimeoutError>([&] {
    Connection connection(
        Url::parse("redis://127.0.0.1:" + std::to_string(ntohs(address.sin_port))), options);
  });
  EXPECT_GE(msSince(start), 350);
  EXPECT_LT(msSince(start), 1500);
  EXPECT_TRUE(contains(message, "timed out")) << message;
  for (int fd : fillers) ::close(fd);
  ::close(listener);
}

TEST(RedisConnection, InterruptUnblocksBzpopminWithinOneSecond) {
  RedisServer server;
  Connection connection(Url::parse(server.url()), quickOptions());
  Connection admin(Url::parse(server.url()), quickOptions());
  std::optional<std::string> error;
  Clock::time_point returned;
  std::thread waiter([&] {
    try {
      connection.command({"BZPOPMIN", "queue", "0"}, 60s);
    } catch (const ConnectionError& e) {
      error = e.what();
    }
    returned = Clock::now();
  });
  ASSERT_TRUE(eventually([&] { return blockedClients(admin) == 1; }));
  const auto interruptedAt = Clock::now();
  connection.interrupt();
  waiter.join();
  ASSERT_TRUE(error.has_value()) << "BZPOPMIN returned normally";
  EXPECT_LT(std::chrono::duration_cast<std::chrono::milliseconds>(returned - interruptedAt).count(),
            1000);
  EXPECT_TRUE(contains(*error, "interrupted")) << *error;
  EXPECT_FALSE(connection.healthy());
  connection.reconnect();
  EXPECT_EQ(connection.command({"PING"}), Reply::status("PONG"));
}

TEST(RedisConnection, InterruptWhileIdleFailsTheNextCallOnly) {
  RedisServer server;
  ConnectionOptions options = quickOptions();
  options.autoReconnect = true;
  Connection connection(Url::parse(server.url()), options);
  connection.interrupt();
  const auto message = thrownMessage<ConnectionError>([&] { connection.command({"PING"}); });
  EXPECT_TRUE(contains(message, "interrupted")) << message;
  EXPECT_EQ(connection.command({"PING"}), Reply::status("PONG")) << "autoReconnect recovers";
}

TEST(RedisConnection, CloseFromAnotherThreadUnblocksAndStaysClosed) {
  RedisServer server;
  ConnectionOptions options = quickOptions();
  options.autoReconnect = true;  // must not reopen a closed connection
  Connection connection(Url::parse(server.url()), options);
  Connection admin(Url::parse(server.url()), quickOptions());
  std::atomic<bool> threw{false};
  std::thread waiter([&] {
    try {
      connection.command({"BLPOP", "list", "0"}, 60s);
    } catch (const ConnectionError&) {
      threw = true;
    }
  });
  ASSERT_TRUE(eventually([&] { return blockedClients(admin) == 1; }));
  connection.close();
  waiter.join();
  EXPECT_TRUE(threw);
  const auto message = thrownMessage<ConnectionError>([&] { connection.command({"PING"}); });
  EXPECT_TRUE(contains(message, "closed")) << message;
  EXPECT_TRUE(eventually([&] { return blockedClients(admin) == 0; }));
  connection.reconnect();
  EXPECT_EQ(connection.command({"PING"}), Reply::status("PONG"));
}

}  // namespace
}  // namespace warren::redis::testing
