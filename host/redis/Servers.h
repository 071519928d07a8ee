// The Redis of a node as its connections reach it (Topology.h): one server, the master that the
// Sentinels name, or the masters of a Cluster. One per node, shared by all its connections.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "redis/Cluster.h"
#include "redis/Connection.h"
#include "redis/Sentinel.h"
#include "redis/Topology.h"

namespace warren::redis {

class Servers {
 public:
  using Listener = std::function<void(const std::string& message)>;

  // Sentinel: starts listening for switches. Cluster: reads the slot map first (throws
  // ConnectionError when no node answers, HandshakeError when the nodes refuse us or are not
  // cluster nodes). `options`: timeouts and TLS settings.
  Servers(Topology topology, const ConnectionOptions& options, Listener listener = {});

  Topology::Mode mode() const { return topology_.mode; }
  const Topology& topology() const { return topology_; }
  // The URL every connection starts from: the server, or the data servers' credentials and db.
  const Url& url() const { return topology_.server; }

  // `options` for a connection serving the keys of `key` (a queue's "<prefix>:<queue>:"): with
  // the Sentinels' master, or the master of key's slot, as locator. Standalone: unchanged.
  ConnectionOptions optionsFor(const std::string& key, ConnectionOptions options) const;
  // Where those keys are served now, for grouping connections (Cluster: the slot; else 0).
  int routeOf(const std::string& key) const;
  // The masters now: each master of a Cluster, otherwise the one server (Sentinel: as last
  // named, which may need a connect to be known).
  std::vector<Url> masters() const;

  // Null unless in that mode.
  const SentinelMaster* sentinel() const { return sentinel_.get(); }
  const ClusterMap* cluster() const { return cluster_.get(); }

 private:
  const Topology topology_;
  std::shared_ptr<SentinelMaster> sentinel_;
  std::shared_ptr<ClusterMap> cluster_;
};

}  // namespace warren::redis
