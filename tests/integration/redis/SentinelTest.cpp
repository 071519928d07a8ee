// Connections through Redis Sentinel against real redis-server and redis-sentinel processes:
// finding the master, following a failover (idle and blocked connections), TLS and Sentinel
// credentials that differ from the master's.
#include <future>
#include <memory>

#include "Helpers.h"
#include "RedisSentinel.h"
#include "redis/Sentinel.h"
#include "redis/Stats.h"

namespace warren::redis::testing {
namespace {

using test::RedisSentinel;
using test::RedisSentinelOptions;
using test::RedisServer;

std::string port(int number) {
  return std::to_string(number);
}

// The Sentinel form of a URL for these Sentinels.
Topology topologyOf(const std::vector<std::string>& sentinels, const std::string& scheme = "redis",
                    const std::string& credentials = "") {
  std::string list;
  for (const auto& address : sentinels) list += (list.empty() ? "" : ",") + address;
  return Topology::parse(scheme + "+sentinel://" + credentials + list + "/mymaster");
}

ConnectionOptions through(const std::shared_ptr<SentinelMaster>& sentinel,
                          ConnectionOptions options = quickOptions()) {
  options.locator = sentinel;
  options.autoReconnect = true;
  return options;
}

RedisSentinelOptions watching(int masterPort) {
  RedisSentinelOptions options;
  options.masterPort = masterPort;
  return options;
}

// Until the Sentinel has seen the replica (it asks the master with INFO).
void waitForReplica(const RedisSentinel& sentinel) {
  Connection admin(Url::parse("redis://" + sentinel.address()), quickOptions());
  ASSERT_TRUE(eventually(
      [&] {
        const Reply replicas = admin.command({"SENTINEL", "replicas", "mymaster"});
        if (replicas.elements().empty()) return false;
        const auto& fields = replicas.elements()[0].elements();
        for (std::size_t i = 0; i + 1 < fields.size(); i += 2)
          if (fields[i].str() == "flags") return fields[i + 1].str() == "slave";
        return false;
      },
      20s))
      << sentinel.log();
}

std::string masterNamedBy(const RedisSentinel& sentinel) {
  Connection admin(Url::parse("redis://" + sentinel.address()), quickOptions());
  const Reply reply = admin.command({"SENTINEL", "get-master-addr-by-name", "mymaster"});
  return reply.elements().size() == 2 ? reply.elements()[1].str() : "";
}

TEST(RedisSentinel, FindsTheMasterThroughTheFirstSentinelThatAnswers) {
  RedisServer master;
  RedisSentinel sentinel(watching(master.port()));
  const int nobody = RedisServer::freePort();  // a Sentinel that is down
  auto locator = std::make_shared<SentinelMaster>(
      topologyOf({"127.0.0.1:" + port(nobody), sentinel.address()}), quickOptions());
  Connection connection(Url::parse("redis://127.0.0.1"), through(locator));
  EXPECT_EQ(connection.server().port, master.port());
  EXPECT_EQ(connection.command({"SET", "k", "v"}).str(), "OK");
  EXPECT_EQ(locator->status().master, "127.0.0.1:" + port(master.port()));
}

TEST(RedisSentinel, ConnectionsMoveToTheNewMasterOnFailover) {
  RedisServer master;
  RedisServer replica({"--replicaof", "127.0.0.1", port(master.port())});
  RedisSentinel sentinel(watching(master.port()));
  waitForReplica(sentinel);
  auto locator = std::make_shared<SentinelMaster>(topologyOf({sentinel.address()}), quickOptions());
  Connection idle(Url::parse("redis://127.0.0.1"), through(locator));
  Connection blocked(Url::parse("redis://127.0.0.1"), through(locator));
  ASSERT_EQ(idle.command({"SET", "before", "1"}).str(), "OK");
  ASSERT_TRUE(eventually([&] { return !locator->status().watching.empty(); }));
  const auto failoversBefore = stats().failovers.load();

  // A blocking wait on the old master ends when it is demoted: UNBLOCKED is followed to the new
  // master; Sentinel's CLIENT KILL loses the reply, which is reported, and the caller waits
  // again (as the worker's waiter does), on the new master.
  auto popped = std::async(std::launch::async, [&] {
    try {
      return blocked.command({"BZPOPMIN", "marker", "20"}, 25s);
    } catch (const ConnectionError&) {
      return blocked.command({"BZPOPMIN", "marker", "20"}, 25s);
    }
  });
  std::this_thread::sleep_for(200ms);
  Connection admin(Url::parse("redis://" + sentinel.address()), quickOptions());
  ASSERT_EQ(admin.command({"SENTINEL", "failover", "mymaster"}).str(), "OK");
  ASSERT_TRUE(eventually([&] { return masterNamedBy(sentinel) == port(replica.port()); }, 20s))
      << sentinel.log();

  // The idle connection's next command runs on the new master.
  Reply set;
  ASSERT_TRUE(eventually([&] {
    set = idle.command({"SET", "after", "2"});
    return set.str() == "OK" && idle.server().port == replica.port();
  })) << set.describe()
      << " on " << idle.server().port;
  Connection direct(Url::parse("redis://127.0.0.1:" + port(replica.port())), quickOptions());
  EXPECT_EQ(direct.command({"GET", "after"}).str(), "2");
  // The blocked one waits there again: an element added on the new master ends it.
  ASSERT_TRUE(eventually([&] { return blockedClients(direct) == 1; }, 10s));
  direct.command({"ZADD", "marker", "0", "m"});
  ASSERT_EQ(popped.wait_for(10s), std::future_status::ready);
  const Reply reply = popped.get();
  ASSERT_TRUE(reply.isArray()) << reply.describe();
  EXPECT_EQ(reply.elements()[1].str(), "m");

  const auto status = locator->status();
  EXPECT_EQ(status.master, "127.0.0.1:" + port(replica.port()));
  EXPECT_EQ(status.failovers, 1u);
  EXPECT_EQ(status.lastSwitch,
            "127.0.0.1:" + port(master.port()) + " -> 127.0.0.1:" + port(replica.port()));
  EXPECT_GT(status.lastSwitchMs, 0);
  EXPECT_EQ(stats().failovers.load(), failoversBefore + 1);
}

TEST(RedisSentinel, TlsAndSentinelCredentialsOfTheirOwn) {
  test::TempDir certs("warren-sentinel-tls");
  const auto tls = std::make_shared<const test::TestCertificates>(
      test::TestCertificates::generate(certs.path()));
  RedisServer master(test::RedisServerOptions{{"--requirepass", "master-pw"}, tls, 10s});
  RedisSentinelOptions options = watching(master.tlsPort());
  options.tls = tls;
  options.extraConfig = {"requirepass sentinel-pw", "sentinel auth-pass mymaster master-pw"};
  RedisSentinel sentinel(options);

  ConnectionOptions connection = quickOptions();
  connection.caFile = tls->caCert.string();
  Topology topology =
      topologyOf({"localhost:" + port(sentinel.tlsPort())}, "rediss", ":master-pw@");
  topology.sentinelPassword = "sentinel-pw";
  auto locator = std::make_shared<SentinelMaster>(topology, connection);
  // The Sentinel names 127.0.0.1, which the test certificate covers.
  Connection client(topology.server, through(locator, connection));
  EXPECT_EQ(client.server().port, master.tlsPort());
  EXPECT_TRUE(client.server().tls);
  EXPECT_EQ(client.command({"PING"}).str(), "PONG");

  topology.sentinelPassword = "wrong";
  auto refused = std::make_shared<SentinelMaster>(topology, connection);
  const std::string message = thrownMessage<HandshakeError>(
      [&] { Connection(topology.server, through(refused, connection)); });
  EXPECT_TRUE(contains(message, "no Sentinel named the master 'mymaster'")) << message;
  EXPECT_TRUE(contains(message, "check redis.sentinel_user / redis.sentinel_password")) << message;
  EXPECT_FALSE(contains(message, "master-pw")) << message;
}

TEST(RedisSentinel, AnUnknownMasterNameIsReported) {
  RedisServer master;
  RedisSentinel sentinel(watching(master.port()));
  Topology topology = Topology::parse("redis+sentinel://" + sentinel.address() + "/other");
  auto locator = std::make_shared<SentinelMaster>(topology, quickOptions());
  ConnectionOptions options = quickOptions();
  options.locator = locator;
  const std::string message =
      thrownMessage<ConnectionError>([&] { Connection(topology.server, options); });
  EXPECT_EQ(message, "no Sentinel named the master 'other' (" + sentinel.address() +
                         ": does not monitor a master named 'other')");
}

}  // namespace
}  // namespace warren::redis::testing
