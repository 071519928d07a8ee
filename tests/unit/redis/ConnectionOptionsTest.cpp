// Connection behaviour that needs no server: defaults, backoff, and failures before any Redis is
// reached (their messages must hide the password).
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "redis/Connection.h"
#include "redis/Pool.h"
#include "redis/Script.h"

namespace warren::redis {
namespace {

using std::chrono::milliseconds;

std::string connectError(const std::string& url, ConnectionOptions options = {}) {
  try {
    Connection connection(Url::parse(url), options);
  } catch (const ConnectionError& e) {
    return e.what();
  }
  return "(connected)";
}

TEST(ConnectionOptions, Defaults) {
  const ConnectionOptions options;
  EXPECT_EQ(options.connectTimeout, milliseconds(10000));
  EXPECT_EQ(options.commandTimeout, milliseconds(5000));
  EXPECT_TRUE(options.verify);
  EXPECT_FALSE(options.autoReconnect);
  EXPECT_TRUE(options.caFile.empty());
  EXPECT_EQ(options.reconnect.baseDelay, milliseconds(100));
  EXPECT_EQ(options.reconnect.maxDelay, milliseconds(5000));
}

TEST(Backoff, DoublesFromBaseUpToCap) {
  const ReconnectPolicy policy;
  const long long expected[] = {0, 100, 200, 400, 800, 1600, 3200, 5000, 5000, 5000};
  for (int attempt = 0; attempt < 10; ++attempt)
    EXPECT_EQ(backoffDelay(policy, attempt).count(), expected[attempt]) << attempt;
  EXPECT_EQ(backoffDelay(policy, 1000).count(), 5000) << "no overflow for many attempts";
}

TEST(Backoff, CustomPolicy) {
  ReconnectPolicy policy;
  policy.baseDelay = milliseconds(30);
  policy.maxDelay = milliseconds(100);
  EXPECT_EQ(backoffDelay(policy, 1).count(), 30);
  EXPECT_EQ(backoffDelay(policy, 2).count(), 60);
  EXPECT_EQ(backoffDelay(policy, 3).count(), 100);
}

TEST(ConnectionFailure, MissingUnixSocketNamesRedactedUrl) {
  const auto message = connectError("unix://bob:hunter2@/nonexistent/warren/redis.sock");
  EXPECT_NE(message.find("cannot connect to unix://bob:***@/nonexistent/warren/redis.sock"),
            std::string::npos)
      << message;
  EXPECT_EQ(message.find("hunter2"), std::string::npos) << message;
}

TEST(ConnectionFailure, MissingCaFileIsReported) {
  ConnectionOptions options;
  options.caFile = "/nonexistent/warren-ca.pem";
  const auto message = connectError("rediss://:hunter2@127.0.0.1:1", options);
  EXPECT_NE(message.find("/nonexistent/warren-ca.pem"), std::string::npos) << message;
  EXPECT_NE(message.find("rediss://:***@127.0.0.1:1"), std::string::npos) << message;
  EXPECT_EQ(message.find("hunter2"), std::string::npos) << message;
}

TEST(ConnectionFailure, UnresolvableHost) {
  ConnectionOptions options;
  options.connectTimeout = milliseconds(2000);
  const auto message = connectError("redis://no-such-host.invalid:6379", options);
  EXPECT_NE(message.find("cannot resolve host 'no-such-host.invalid'"), std::string::npos)
      << message;
}

TEST(ConnectionFailure, EmptyCommandIsRejectedBeforeIo) {
  EXPECT_THROW(encodeCommand({}), std::invalid_argument);
}

TEST(ScriptSha, MatchesRedisSha1) {
  // sha1("return 1"), as SCRIPT LOAD reports it.
  const Script script("one", "return 1");
  EXPECT_EQ(script.sha1(), "e0e1f9fabfc9d4800c877a703b823ac0578ff8db");
  EXPECT_EQ(script.evalshaArgv({"k1", "k2"}, {"a"}),
            (std::vector<std::string>{"EVALSHA", script.sha1(), "2", "k1", "k2", "a"}));
}

TEST(ConnectionSet, OpensNothingUntilAsked) {
  ConnectionSet set(Url::parse("redis://127.0.0.1:1"), {}, {"s", "b", "e"});
  EXPECT_FALSE(set.isOpen(ConnectionSet::Role::Scripts));
  EXPECT_FALSE(set.isOpen(ConnectionSet::Role::Blocking));
  EXPECT_FALSE(set.isOpen(ConnectionSet::Role::Events));
  set.closeAll();
  EXPECT_THROW(set.scripts(), ConnectionError);
}

}  // namespace
}  // namespace warren::redis
