#include "RedisCluster.h"

#include <chrono>
#include <stdexcept>
#include <thread>

namespace warren::test {

RedisCluster::RedisCluster(int masters, int replicas) {
  const int count = masters * (1 + replicas);
  for (int i = 0; i < count; ++i) {
    // The bus port gets a free port of its own: port + 10000 may not exist.
    nodes_.push_back(std::make_unique<RedisServer>(std::vector<std::string>{
        "--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf", "--cluster-node-timeout",
        "1000", "--cluster-port", std::to_string(RedisServer::freePort())}));
  }
  std::vector<std::string> create = {"redis-cli", "--cluster", "create"};
  for (const auto& node : nodes_) create.push_back("127.0.0.1:" + std::to_string(node->port()));
  create.insert(create.end(), {"--cluster-replicas", std::to_string(replicas), "--cluster-yes"});
  runProgram(create);
  waitUntilOk();
}

RedisServer& RedisCluster::node(int port) {
  for (auto& node : nodes_)
    if (node->port() == port) return *node;
  throw std::runtime_error("no cluster node on port " + std::to_string(port));
}

std::string RedisCluster::url() const {
  return "redis+cluster://127.0.0.1:" + std::to_string(nodes_[0]->port()) +
         ",127.0.0.1:" + std::to_string(nodes_[1 % nodes_.size()]->port());
}

void RedisCluster::waitUntilOk(int seconds) const {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  for (;;) {
    bool ok = true;
    for (const auto& node : nodes_) {
      if (!node->running()) continue;
      const std::string info =
          runProgram({"redis-cli", "-p", std::to_string(node->port()), "cluster", "info"});
      ok = ok && info.find("cluster_state:ok") != std::string::npos;
    }
    if (ok) return;
    if (std::chrono::steady_clock::now() > deadline)
      throw std::runtime_error("the Redis Cluster did not reach cluster_state:ok");
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

}  // namespace warren::test
