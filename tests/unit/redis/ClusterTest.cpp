// Hash slots, the readers of CLUSTER SHARDS / CLUSTER SLOTS, the redirections a connection
// follows, and the guard keys that keep scripts from running while their slot migrates.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "redis/Cluster.h"
#include "redis/Locator.h"
#include "redis/Sentinel.h"

namespace warren::redis {
namespace {

Reply str(const std::string& text) {
  return Reply::string(text);
}

TEST(ClusterSlots, MatchRedisKeyslot) {
  // Values printed by `redis-cli CLUSTER KEYSLOT` on Redis 7.0.
  EXPECT_EQ(keySlot("123456789"), 12739);  // the CRC16 check value 0x31C3 of the spec
  EXPECT_EQ(keySlot("foo"), 12182);
  EXPECT_EQ(keySlot("{q1}"), 7450);
  EXPECT_EQ(keySlot("bull:{q1}:wait"), 7450);
  EXPECT_EQ(keySlot("{bull}:emails:meta"), keySlot("{bull}:other:wait"));
}

TEST(ClusterSlots, HashTagIsTheFirstNonEmptyBraces) {
  EXPECT_EQ(hashTag("bull:{q1}:wait"), "q1");
  EXPECT_EQ(hashTag("{bull}:{q1}:wait"), "bull");
  EXPECT_FALSE(hashTag("bull:q1:wait"));
  EXPECT_FALSE(hashTag("{}:q1"));  // empty braces: the whole key is hashed
  EXPECT_FALSE(hashTag("bull{q1"));
}

Reply node(const std::string& id, int port, const std::string& role, int tlsPort = 0,
           const std::string& health = "online") {
  std::vector<Reply> fields = {str("id"),   str(id),          str("port"),     Reply::integer(port),
                               str("ip"),   str("127.0.0.1"), str("endpoint"), str("127.0.0.1"),
                               str("role"), str(role),        str("health"),   str(health)};
  if (tlsPort > 0) {
    fields.push_back(str("tls-port"));
    fields.push_back(Reply::integer(tlsPort));
  }
  return Reply::array(std::move(fields));
}

TEST(ClusterShards, ReadsMastersReplicasAndRanges) {
  const Reply reply = Reply::array({
      Reply::array({str("slots"),
                    Reply::array({Reply::integer(0), Reply::integer(5460), Reply::integer(6000),
                                  Reply::integer(6001)}),
                    str("nodes"),
                    Reply::array({node("a", 7000, "master", 8000), node("d", 7003, "replica")})}),
      Reply::array({str("slots"), Reply::array({}), str("nodes"),
                    Reply::array({node("dead", 7009, "master", 0, "failed")})}),
  });
  const auto shards = parseClusterShards(reply, false);
  ASSERT_EQ(shards.size(), 2u);
  EXPECT_EQ(shards[0].master, (Address{"127.0.0.1", 7000}));
  EXPECT_EQ(shards[0].masterId, "a");
  ASSERT_EQ(shards[0].replicas.size(), 1u);
  EXPECT_EQ(shards[0].replicas[0].port, 7003);
  EXPECT_EQ(shards[0].ranges, (std::vector<std::pair<int, int>>{{0, 5460}, {6000, 6001}}));
  EXPECT_FALSE(shards[0].masterFailed);
  EXPECT_TRUE(shards[1].ranges.empty());  // a failed master that lost its slots
  EXPECT_TRUE(shards[1].masterFailed);
  EXPECT_EQ(parseClusterShards(reply, true)[0].master.port, 8000);  // TLS: the tls-port
}

TEST(ClusterShards, SlotsReplyGroupsRangesByMaster) {
  const auto entry = [](int first, int last, int master, int replica) {
    return Reply::array({Reply::integer(first), Reply::integer(last),
                         Reply::array({str("127.0.0.1"), Reply::integer(master), str("id")}),
                         Reply::array({str("127.0.0.1"), Reply::integer(replica), str("r")})});
  };
  const auto shards = parseClusterSlots(Reply::array(
      {entry(0, 100, 7000, 7003), entry(101, 200, 7001, 7004), entry(300, 400, 7000, 7003)}));
  ASSERT_EQ(shards.size(), 2u);
  EXPECT_EQ(shards[0].ranges, (std::vector<std::pair<int, int>>{{0, 100}, {300, 400}}));
  EXPECT_EQ(shards[1].master.port, 7001);
  EXPECT_THROW(parseClusterSlots(str("nope")), std::runtime_error);
}

TEST(Redirects, TellWhatDidNotRun) {
  const Redirect moved = redirectOf(Reply::error("MOVED 3999 127.0.0.1:6381"));
  EXPECT_EQ(moved.kind, Redirect::Kind::moved);
  EXPECT_EQ(moved.slot, 3999);
  EXPECT_EQ(moved.address, "127.0.0.1:6381");
  const Redirect ask = redirectOf(Reply::error("ASK 12 [::1]:7000"));
  EXPECT_EQ(ask.kind, Redirect::Kind::ask);
  EXPECT_EQ(ask.address, "[::1]:7000");
  EXPECT_EQ(
      redirectOf(Reply::error("TRYAGAIN Multiple keys request during rehashing of slot")).kind,
      Redirect::Kind::tryAgain);
  EXPECT_EQ(redirectOf(Reply::error("CLUSTERDOWN The cluster is down")).kind,
            Redirect::Kind::clusterDown);
  EXPECT_EQ(redirectOf(Reply::error("READONLY You can't write against a read only replica. "
                                    "script: 4ec7, on @user_script:1."))
                .kind,
            Redirect::Kind::replica);
  EXPECT_EQ(redirectOf(Reply::error("UNBLOCKED force unblock from blocking operation, instance "
                                    "state changed (master -> replica?)"))
                .kind,
            Redirect::Kind::replica);
  EXPECT_EQ(redirectOf(Reply::error("LOADING Redis is loading the dataset in memory")).kind,
            Redirect::Kind::loading);
  EXPECT_FALSE(redirectOf(Reply::error("ERR unknown command")));
  EXPECT_FALSE(redirectOf(Reply::error("MOVED")));  // not the shape Redis sends
  EXPECT_FALSE(redirectOf(str("MOVED 1 a:1")));     // a value, not an error
}

TEST(SlotGuard, ScriptCallsDeclareTwoMissingKeysOfTheirSlot) {
  auto map = std::make_shared<ClusterMap>(Topology::parse("redis+cluster://127.0.0.1:1"),
                                          ConnectionOptions{});
  const auto locator = map->locatorFor("bull:{q1}:");
  std::vector<std::string> argv = {"EVALSHA", "abc", "1", "bull:{q1}:meta", "arg"};
  EXPECT_TRUE(locator->guard(argv));
  ASSERT_EQ(argv.size(), 7u);
  EXPECT_EQ(argv[2], "3");
  EXPECT_EQ(argv[3], "bull:{q1}:meta");
  EXPECT_EQ(keySlot(argv[4]), 7450);
  EXPECT_EQ(keySlot(argv[5]), 7450);
  EXPECT_NE(argv[4], argv[5]);  // two keys: ASKING alone cannot make the importing node run it
  EXPECT_EQ(argv[6], "arg");

  std::vector<std::string> noKeys = {"fcall", "add", "0", "x"};
  EXPECT_TRUE(locator->guard(noKeys));
  EXPECT_EQ(noKeys, (std::vector<std::string>{"fcall", "add", "2", argv[4], argv[5], "x"}));

  std::vector<std::string> plain = {"HGET", "bull:{q1}:1", "data"};
  EXPECT_FALSE(locator->guard(plain));
  EXPECT_EQ(plain.size(), 3u);
}

TEST(SlotGuard, KeysWithoutATagGetProbesOfTheirOwnSlot) {
  auto map = std::make_shared<ClusterMap>(Topology::parse("redis+cluster://127.0.0.1:1"),
                                          ConnectionOptions{});
  const auto locator = map->locatorFor("plain-key");
  std::vector<std::string> argv = {"EVAL", "return 1", "0"};
  ASSERT_TRUE(locator->guard(argv));
  EXPECT_EQ(keySlot(argv[3]), keySlot("plain-key"));
  EXPECT_EQ(keySlot(argv[4]), keySlot("plain-key"));
}

TEST(SentinelRole, OnlyAMasterPasses) {
  SentinelMaster sentinel(Topology::parse("redis+sentinel://127.0.0.1:1/mymaster"),
                          ConnectionOptions{});
  EXPECT_NO_THROW(sentinel.verify({Reply::array({str("master"), Reply::integer(0)})}, "x"));
  try {
    sentinel.verify({Reply::array({str("slave"), str("127.0.0.1"), Reply::integer(6379)})},
                    "redis://127.0.0.1:6380");
    FAIL() << "a replica passed";
  } catch (const ConnectionError& e) {
    EXPECT_STREQ(e.what(),
                 "Redis at redis://127.0.0.1:6380 is not the master of 'mymaster' (ROLE says "
                 "'slave'); a failover may be under way");
  }
}

}  // namespace
}  // namespace warren::redis
