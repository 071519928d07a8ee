// Connections serving one hash slot of a real Redis Cluster (3 masters on loopback): routing,
// MOVED after a slot changed owner, ASK while it migrates, and scripts that wait for the end of a
// migration instead of running half.
#include <future>
#include <memory>

#include "Helpers.h"
#include "RedisCluster.h"
#include "redis/Cluster.h"
#include "redis/Stats.h"

namespace warren::redis::testing {
namespace {

using test::RedisCluster;

constexpr int kSlot = 7450;  // of the tag {q1}

class RedisClusterTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { cluster_ = new RedisCluster(3, 0); }
  static void TearDownTestSuite() {
    delete cluster_;
    cluster_ = nullptr;
  }

  void SetUp() override {
    map_ = std::make_shared<ClusterMap>(Topology::parse(cluster_->url()), quickOptions());
    map_->refresh();
  }

  // A connection serving the slot of `key`.
  std::unique_ptr<Connection> serving(const std::string& key) {
    ConnectionOptions options = quickOptions();
    options.autoReconnect = true;
    options.locator = map_->locatorFor(key);
    return std::make_unique<Connection>(Url::parse("redis://127.0.0.1"), options);
  }

  static std::unique_ptr<Connection> direct(int port) {
    return std::make_unique<Connection>(Url::parse("redis://127.0.0.1:" + std::to_string(port)),
                                        quickOptions());
  }

  static int ownerOf(int slot) {
    ClusterMap map(Topology::parse(cluster_->url()), quickOptions());
    map.refresh();
    return map.masterOf(slot).port;
  }

  static std::string nodeId(int port) { return direct(port)->command({"CLUSTER", "MYID"}).str(); }

  // The first half of a migration: the slot is open on both sides.
  static void openMigration(int slot, int from, int to) {
    ASSERT_EQ(direct(to)
                  ->command({"CLUSTER", "SETSLOT", std::to_string(slot), "IMPORTING", nodeId(from)})
                  .str(),
              "OK");
    ASSERT_EQ(direct(from)
                  ->command({"CLUSTER", "SETSLOT", std::to_string(slot), "MIGRATING", nodeId(to)})
                  .str(),
              "OK");
  }

  static void migrateKeys(int from, int to, const std::vector<std::string>& keys) {
    std::vector<std::string> migrate = {"MIGRATE", "127.0.0.1", std::to_string(to), "", "0",
                                        "5000",    "KEYS"};
    migrate.insert(migrate.end(), keys.begin(), keys.end());
    const Reply reply = direct(from)->command(migrate);
    ASSERT_FALSE(reply.isError()) << reply.describe();
  }

  // Every key of the slot, at once.
  static void migrateAll(int slot, int from, int to) {
    const Reply keys =
        direct(from)->command({"CLUSTER", "GETKEYSINSLOT", std::to_string(slot), "1000"});
    std::vector<std::string> names;
    for (const auto& key : keys.elements()) names.push_back(key.str());
    if (!names.empty()) migrateKeys(from, to, names);
  }

  // The second half: every master learns the new owner.
  static void closeMigration(int slot, int to) {
    const std::string owner = nodeId(to);
    for (auto& node : cluster_->nodes())
      direct(node->port())->command({"CLUSTER", "SETSLOT", std::to_string(slot), "NODE", owner});
  }

  static int anotherMaster(int port) {
    for (int i = 0; i < 3; ++i)
      if (cluster_->nodes()[static_cast<std::size_t>(i)]->port() != port)
        return cluster_->nodes()[static_cast<std::size_t>(i)]->port();
    return 0;
  }

  static RedisCluster* cluster_;
  std::shared_ptr<ClusterMap> map_;
};

RedisCluster* RedisClusterTest::cluster_ = nullptr;

TEST_F(RedisClusterTest, ConnectionsGoToTheMasterOfTheirSlot) {
  const auto connection = serving("bull:{q1}:");
  EXPECT_EQ(connection->server().port, ownerOf(kSlot));
  EXPECT_EQ(connection->command({"SET", "{q1}routed", "yes"}).str(), "OK");
  EXPECT_EQ(direct(ownerOf(kSlot))->command({"GET", "{q1}routed"}).str(), "yes");
  EXPECT_EQ(map_->status().masters, 3u);
  EXPECT_EQ(map_->status().slotsCovered, 16384u);
}

TEST_F(RedisClusterTest, MovedSlotIsFollowed) {
  const auto connection = serving("{q1}");
  ASSERT_EQ(connection->command({"SET", "{q1}moving", "1"}).str(), "OK");
  const int from = connection->server().port;
  const int to = anotherMaster(from);
  openMigration(kSlot, from, to);
  migrateAll(kSlot, from, to);
  closeMigration(kSlot, to);
  const auto movedBefore = stats().moved.load();
  EXPECT_EQ(connection->command({"GET", "{q1}moving"}).str(), "1");
  EXPECT_EQ(connection->server().port, to);
  EXPECT_EQ(stats().moved.load(), movedBefore + 1);
  EXPECT_EQ(map_->masterOf(kSlot).port, to);
}

TEST_F(RedisClusterTest, AskIsAnsweredByTheImportingNode) {
  const auto connection = serving("{q1}");
  connection->command({"SET", "{q1}gone", "there"});
  const int from = connection->server().port;
  const int to = anotherMaster(from);
  openMigration(kSlot, from, to);
  migrateKeys(from, to, {"{q1}gone"});
  const auto askedBefore = stats().asked.load();
  EXPECT_EQ(connection->command({"GET", "{q1}gone"}).str(), "there");
  EXPECT_EQ(stats().asked.load(), askedBefore + 1);
  EXPECT_EQ(connection->server().port, from);  // the slot still belongs to `from`
  migrateAll(kSlot, from, to);  // the migration ends: the next test starts from a stable slot
  closeMigration(kSlot, to);
}

// A script that writes one key, then reads another: run half during a migration, it would leave
// its first write behind. Guarded, it waits for the migration to end and runs once, whole.
TEST_F(RedisClusterTest, ScriptsWaitForTheirSlotToSettle) {
  const std::string script = "redis.call('INCR', '{q1}runs') return redis.call('GET', '{q1}late')";
  const auto connection = serving("{q1}");
  connection->command({"SET", "{q1}late", "read"});
  connection->command({"SET", "{q1}runs", "0"});
  const int from = connection->server().port;
  const int to = anotherMaster(from);
  openMigration(kSlot, from, to);
  migrateKeys(from, to, {"{q1}late"});

  // Unguarded, the same script runs half on the owner: it counts, then fails on the moved key.
  const Reply unguarded = direct(from)->command({"EVAL", script, "0"});
  EXPECT_TRUE(contains(unguarded.str(), "non local key")) << unguarded.describe();
  EXPECT_EQ(direct(from)->command({"GET", "{q1}runs"}).str(), "1");
  direct(from)->command({"SET", "{q1}runs", "0"});

  auto result = std::async(std::launch::async, [&] {
    return connection->command({"EVAL", script, "0"});
  });
  EXPECT_EQ(result.wait_for(500ms), std::future_status::timeout);  // TRYAGAIN, again and again
  EXPECT_EQ(direct(from)->command({"GET", "{q1}runs"}).str(), "0");
  migrateAll(kSlot, from, to);
  closeMigration(kSlot, to);
  ASSERT_EQ(result.wait_for(10s), std::future_status::ready);
  EXPECT_EQ(result.get().str(), "read");
  EXPECT_EQ(direct(to)->command({"GET", "{q1}runs"}).str(), "1");
  EXPECT_EQ(connection->server().port, to);
}

// A connection serves its own slot: a key of another master's slot gets its MOVED back at once
// (a caller's mistake), instead of a connection that chases it and comes back for 30 s.
TEST_F(RedisClusterTest, AKeyOfAnotherSlotIsNotChased) {
  const auto connection = serving("{q1}");
  ASSERT_NE(ownerOf(keySlot("{q3}key")), connection->server().port);  // 15704 vs 7450
  const auto started = Clock::now();
  const Reply reply = connection->command({"GET", "{q3}key"});
  EXPECT_EQ(redirectOf(reply).kind, Redirect::Kind::moved) << reply.describe();
  EXPECT_LT(msSince(started), 1000);
}

}  // namespace
}  // namespace warren::redis::testing
