// Redis Cluster (Topology::Mode::cluster): hash slots, the slot map shared by a node's
// connections, and the Locator of a connection that serves one slot.
//
// BullMQ needs every key of a queue in one slot (a hash tag in the prefix or the queue name), so
// each of a worker's connections serves exactly one slot and goes to the master owning it. MOVED
// updates the map (and a full refresh follows on the next connect), ASK is answered by sending
// ASKING and the command to the importing node, TRYAGAIN and CLUSTERDOWN are waited out
// (Connection.h). A master that fails closes its connections; they reconnect to whatever master
// the refreshed map names, which is the promoted replica once the cluster has voted.
//
// Scripts and slot migrations: our scripts build most keys inside Lua, so Redis cannot check them
// before running. While a slot migrates, a script could then write some keys and fail at the
// first key that already left (non-atomic). SlotLocator::guard makes every EVAL/EVALSHA/FCALL
// also declare two keys of the slot that never exist: Redis then refuses the call while the slot
// is migrating (TRYAGAIN on the source, TRYAGAIN on the target even after ASKING) instead of
// running it half, and the call waits until the migration ends and MOVED points to the owner.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "redis/Connection.h"
#include "redis/Locator.h"
#include "redis/Topology.h"

namespace warren::redis {

constexpr int kClusterSlots = 16384;

// The hash tag of a key: the text between its first '{' and the next '}', when not empty.
std::optional<std::string_view> hashTag(std::string_view key);
// The slot of a key: CRC16 (XMODEM) of its hash tag, or of the whole key, modulo 16384.
int keySlot(std::string_view key);

// One master and the slots it serves, as CLUSTER SHARDS or CLUSTER SLOTS describe it.
struct ClusterShard {
  Address master;
  std::string masterId;
  bool masterFailed = false;  // CLUSTER SHARDS health "failed": waiting for a replica to win
  std::vector<Address> replicas;
  std::vector<std::pair<int, int>> ranges;  // inclusive slot ranges
};
// Readers of the two replies (`tls`: use the nodes' tls-port where CLUSTER SHARDS gives one).
// Throw std::runtime_error on a reply of another shape.
std::vector<ClusterShard> parseClusterShards(const Reply& reply, bool tls);
std::vector<ClusterShard> parseClusterSlots(const Reply& reply);

class ClusterMap : public std::enable_shared_from_this<ClusterMap> {
 public:
  struct Status {
    std::size_t masters = 0;
    std::size_t slotsCovered = 0;
    std::uint64_t failovers = 0;
    std::int64_t lastFailoverMs = 0;  // ms since the epoch; 0: none seen
    std::string lastFailover;         // "A -> B"
    std::int64_t lastRefreshMs = 0;
    std::string lastError;
  };
  using Listener = std::function<void(const std::string& message)>;

  // `options`: timeouts and TLS settings for the nodes (credentials come from the topology).
  ClusterMap(Topology topology, const ConnectionOptions& options, Listener listener = {});

  // The master serving `slot`, refreshing the map first when it is empty or stale. Throws
  // ConnectionError when no node answers or no master serves the slot.
  Address masterOf(int slot);
  // What a MOVED said; the rest of the map is refreshed at the next masterOf.
  void moved(int slot, const Address& owner);
  // Something changed (a failed node, CLUSTERDOWN): refresh at the next masterOf.
  void markStale();
  // Reads the map now from the first node that answers (known masters, then the seeds).
  void refresh();

  std::vector<Address> masters() const;
  Status status() const;
  const Topology& topology() const { return topology_; }

  // A Locator for connections serving the slot of `key` (see SlotLocator).
  std::shared_ptr<Locator> locatorFor(const std::string& key);

 private:
  void refreshLocked();  // requires refreshing_
  Address usable(std::size_t index, int slot);
  void install(std::vector<ClusterShard> shards);

  const Topology topology_;
  ConnectionOptions nodeOptions_;
  const Listener listener_;

  std::mutex refreshing_;  // one refresh at a time
  mutable std::mutex mutex_;
  std::vector<ClusterShard> shards_;
  std::vector<std::int16_t> owner_;  // slot -> index in shards_, -1: unknown
  bool stale_ = true;
  std::optional<Address> preferred_;  // asked first at the next refresh (a MOVED's new owner)
  std::int64_t refreshedAtMs_ = 0;    // steady clock, for pacing refreshes
  Status status_;
};

// Where a connection serving one slot goes: the slot's master.
class SlotLocator final : public Locator {
 public:
  SlotLocator(std::shared_ptr<ClusterMap> map, const std::string& key);

  Url locate(const Url& base) override;
  void failed(const Url& server) override;
  bool redirected(const Redirect& redirect, const Url& server) override;
  bool guard(std::vector<std::string>& argv) const override;

  int slot() const { return slot_; }

 private:
  const std::shared_ptr<ClusterMap> map_;
  const int slot_;
  std::string probes_[2];  // keys of slot_ that never exist
};

}  // namespace warren::redis
