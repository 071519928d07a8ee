// A private Redis Cluster for one test: `masters` masters and `replicas` replicas per master,
// each a RedisServer on a free 127.0.0.1 port (and a free bus port) with cluster mode on (node
// timeout 1 s), joined
// with `redis-cli --cluster create`. The constructor returns once every node reports
// cluster_state:ok.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "RedisServer.h"

namespace warren::test {

class RedisCluster {
 public:
  explicit RedisCluster(int masters = 3, int replicas = 0);

  // Masters first (as created), then replicas; a failover may change who is what.
  std::vector<std::unique_ptr<RedisServer>>& nodes() { return nodes_; }
  RedisServer& node(int port);
  // redis+cluster://127.0.0.1:P1,127.0.0.1:P2 (the first two nodes as seeds).
  std::string url() const;
  // Waits until every running node reports cluster_state:ok (throws after `seconds`).
  void waitUntilOk(int seconds = 20) const;

 private:
  std::vector<std::unique_ptr<RedisServer>> nodes_;
};

}  // namespace warren::test
