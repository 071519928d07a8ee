#include <optional>
#include <set>
#include <string>
#include <thread>

#include "Helpers.h"
#include "redis/Pool.h"

namespace warren::redis::testing {
namespace {

using warren::test::RedisServer;

ConnectionNames names() {
  return {"warren:w1:scripts", "warren:w1:blocking", "warren:w1:events"};
}

TEST(RedisConnectionSet, OpensLazilyWithTheGivenNames) {
  RedisServer server;
  ConnectionSet set(Url::parse(server.url()), quickOptions(), names());
  Connection admin(Url::parse(server.url()), quickOptions());
  EXPECT_FALSE(contains(admin.command({"CLIENT", "LIST"}).asString(), "warren:w1"));

  EXPECT_EQ(set.scripts().command({"CLIENT", "GETNAME"}), Reply::string("warren:w1:scripts"));
  EXPECT_TRUE(set.isOpen(ConnectionSet::Role::Scripts));
  EXPECT_FALSE(set.isOpen(ConnectionSet::Role::Blocking));
  EXPECT_EQ(set.blocking().command({"CLIENT", "GETNAME"}), Reply::string("warren:w1:blocking"));
  EXPECT_EQ(set.events().command({"CLIENT", "GETNAME"}), Reply::string("warren:w1:events"));

  std::set<long long> ids;
  for (auto role :
       {ConnectionSet::Role::Scripts, ConnectionSet::Role::Blocking, ConnectionSet::Role::Events})
    ids.insert(set.get(role).command({"CLIENT", "ID"}).asInteger());
  EXPECT_EQ(ids.size(), 3u) << "three separate connections";
  EXPECT_EQ(&set.scripts(), &set.get(ConnectionSet::Role::Scripts)) << "opened once";
  const std::string list = admin.command({"CLIENT", "LIST"}).asString();
  for (const auto& name : {"warren:w1:scripts", "warren:w1:blocking", "warren:w1:events"})
    EXPECT_TRUE(contains(list, std::string("name=") + name + " ")) << list;
}

TEST(RedisConnectionSet, BlockingWaitDoesNotDelayScripts) {
  RedisServer server;
  ConnectionSet set(Url::parse(server.url()), quickOptions(), names());
  Connection& blocking = set.blocking();
  std::thread waiter([&] { blocking.command({"BZPOPMIN", "queue", "2"}, 5s); });
  std::this_thread::sleep_for(100ms);
  const auto start = Clock::now();
  EXPECT_EQ(set.scripts().command({"PING"}), Reply::status("PONG"));
  EXPECT_EQ(set.events().command({"PING"}), Reply::status("PONG"));
  EXPECT_LT(msSince(start), 1000);
  waiter.join();
}

TEST(RedisConnectionSet, InterruptAllUnblocksTheWait) {
  RedisServer server;
  ConnectionSet set(Url::parse(server.url()), quickOptions(), names());
  Connection& blocking = set.blocking();
  Connection admin(Url::parse(server.url()), quickOptions());
  std::optional<std::string> error;
  std::thread waiter([&] {
    try {
      blocking.command({"BZPOPMIN", "queue", "0"}, 60s);
    } catch (const ConnectionError& e) {
      error = e.what();
    }
  });
  ASSERT_TRUE(eventually([&] { return blockedClients(admin) == 1; }));
  const auto start = Clock::now();
  set.interruptAll();
  waiter.join();
  EXPECT_LT(msSince(start), 1000);
  ASSERT_TRUE(error.has_value());
  EXPECT_TRUE(contains(*error, "interrupted")) << *error;
}

TEST(RedisConnectionSet, CloseAllRefusesFurtherUse) {
  RedisServer server;
  ConnectionSet set(Url::parse(server.url()), quickOptions(), names());
  Connection& scripts = set.scripts();
  set.closeAll();
  EXPECT_THROW(scripts.command({"PING"}), ConnectionError);
  EXPECT_THROW(set.events(), ConnectionError);
}

}  // namespace
}  // namespace warren::redis::testing
