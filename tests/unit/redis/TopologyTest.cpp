// The Sentinel and Cluster URL forms (docs/redis-ha.md): what they name, and how bad ones are
// refused without showing the password.
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "redis/Topology.h"

namespace warren::redis {
namespace {

using Mode = Topology::Mode;

std::string refusal(const std::string& text) {
  try {
    Topology::parse(text);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "(accepted)";
}

TEST(Topology, PlainUrlsAreStandalone) {
  const Topology topology = Topology::parse("redis://:pw@cache:6380/2");
  EXPECT_EQ(topology.mode, Mode::standalone);
  EXPECT_EQ(topology.server.host, "cache");
  EXPECT_EQ(topology.server.port, 6380);
  EXPECT_EQ(topology.server.password, "pw");
  EXPECT_EQ(topology.server.db, 2);
  EXPECT_TRUE(topology.seeds.empty());
  EXPECT_EQ(Topology::parse("unix:///run/redis.sock").mode, Mode::standalone);
}

TEST(Topology, SentinelFormNamesSentinelsMasterAndDb) {
  const Topology topology = Topology::parse(
      "redis+sentinel://app:s%40cret@10.0.0.1:26379,10.0.0.2,[::1]:26380/mymaster/3");
  EXPECT_EQ(topology.mode, Mode::sentinel);
  ASSERT_EQ(topology.seeds.size(), 3u);
  EXPECT_EQ(topology.seeds[0], (Address{"10.0.0.1", 26379}));
  EXPECT_EQ(topology.seeds[1], (Address{"10.0.0.2", 26379}));  // the Sentinel port by default
  EXPECT_EQ(topology.seeds[2], (Address{"::1", 26380}));
  EXPECT_EQ(topology.masterName, "mymaster");
  EXPECT_EQ(topology.server.user, "app");
  EXPECT_EQ(topology.server.password, "s@cret");
  EXPECT_EQ(topology.server.db, 3);
  EXPECT_FALSE(topology.server.tls);
  // The master's credentials are not the Sentinels'.
  EXPECT_EQ(topology.sentinelAt(topology.seeds[0]).password, "");
}

TEST(Topology, TlsSchemesUseTlsForMasterAndSentinels) {
  Topology topology = Topology::parse("rediss+sentinel://s1:26379/primary");
  EXPECT_TRUE(topology.server.tls);
  topology.sentinelPassword = "sentinel-pw";
  const Url sentinel = topology.sentinelAt(topology.seeds[0]);
  EXPECT_TRUE(sentinel.tls);
  EXPECT_EQ(sentinel.password, "sentinel-pw");
  EXPECT_EQ(sentinel.db, 0);
  EXPECT_TRUE(Topology::parse("rediss+cluster://n1:7000").server.tls);
}

TEST(Topology, ClusterFormListsSeedNodes) {
  const Topology topology = Topology::parse("redis+cluster://:pw@n1:7000,n2:7001,n3");
  EXPECT_EQ(topology.mode, Mode::cluster);
  ASSERT_EQ(topology.seeds.size(), 3u);
  EXPECT_EQ(topology.seeds[2], (Address{"n3", 6379}));
  EXPECT_EQ(topology.server.password, "pw");
  const Url node = topology.at(Address{"10.1.1.1", 7005});
  EXPECT_EQ(node.endpoint(), "10.1.1.1:7005");
  EXPECT_EQ(node.password, "pw");
}

TEST(Topology, RedactedFormsHideThePassword) {
  EXPECT_EQ(Topology::parse("redis+sentinel://u:secret@a:1,b:2/m/4").redacted(),
            "redis+sentinel://u:***@a:1,b:2/m/4");
  EXPECT_EQ(Topology::parse("rediss+cluster://:secret@a:1").redacted(),
            "rediss+cluster://:***@a:1");
}

TEST(Topology, SentinelKeysFormTheSameTopology) {
  const Topology topology = Topology::sentinels("s1,s2:26390", "cache");
  EXPECT_EQ(topology.mode, Mode::sentinel);
  EXPECT_EQ(topology.masterName, "cache");
  ASSERT_EQ(topology.seeds.size(), 2u);
  EXPECT_EQ(topology.seeds[0], (Address{"s1", 26379}));
  EXPECT_EQ(topology.seeds[1], (Address{"s2", 26390}));
  EXPECT_THROW(Topology::sentinels("s1", ""), std::invalid_argument);
}

TEST(Topology, BadFormsAreRefusedWithoutThePassword) {
  EXPECT_EQ(refusal("redis+sentinel://:pw@s1:26379"),
            "invalid Redis URL 'redis+sentinel://:***@s1:26379': the master name is missing "
            "(redis+sentinel://host:26379/mymaster)");
  EXPECT_EQ(refusal("redis+sentinel://s1:26379,,s2/m"),
            "invalid Redis URL 'redis+sentinel://s1:26379,,s2/m': empty host in the host list");
  EXPECT_EQ(refusal("redis+sentinel://s1:99999/m"),
            "invalid Redis URL 'redis+sentinel://s1:99999/m': port '99999' is not a number "
            "between 1 and 65535");
  EXPECT_EQ(refusal("redis+sentinel://s1/m/x"),
            "invalid Redis URL 'redis+sentinel://s1/m/x': database 'x' is not a non-negative "
            "integer");
  EXPECT_EQ(refusal("redis+cluster://:pw@n1:7000/2"),
            "invalid Redis URL 'redis+cluster://:***@n1:7000/2': a Redis Cluster has only "
            "database 0");
  EXPECT_EQ(refusal("redis+cluster://"),
            "invalid Redis URL 'redis+cluster://': host list is missing");
  EXPECT_EQ(refusal("memcached://:pw@h"),
            "invalid Redis URL 'memcached://:***@h': scheme must be redis://, rediss://, unix://, "
            "redis+sentinel://, rediss+sentinel://, redis+cluster:// or rediss+cluster://");
}

}  // namespace
}  // namespace warren::redis
