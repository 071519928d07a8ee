#include "redis/Cluster.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <stdexcept>

#include "redis/Stats.h"

namespace warren::redis {
namespace {

using std::chrono::milliseconds;

constexpr std::int64_t kRefreshPaceMs = 100;  // a map this fresh is not asked for again

std::int64_t epochMs() {
  return std::chrono::duration_cast<milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::int64_t steadyMs() {
  return std::chrono::duration_cast<milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// CRC16-CCITT as Redis Cluster specifies it (XMODEM: polynomial 0x1021, initial value 0, no
// reflection), computed bit by bit.
std::uint16_t crc16(std::string_view bytes) {
  std::uint16_t crc = 0;
  for (const char c : bytes) {
    crc = static_cast<std::uint16_t>(crc ^ (static_cast<std::uint8_t>(c) << 8));
    for (int bit = 0; bit < 8; ++bit) {
      crc = (crc & 0x8000) != 0 ? static_cast<std::uint16_t>((crc << 1) ^ 0x1021)
                                : static_cast<std::uint16_t>(crc << 1);
    }
  }
  return crc;
}

// A field of a RESP2 "map" (a flat array of name, value, name, value...); null when absent.
const Reply* field(const Reply& map, const std::string& name) {
  const auto& items = map.elements();
  for (std::size_t i = 0; i + 1 < items.size(); i += 2)
    if (items[i].str() == name) return &items[i + 1];
  return nullptr;
}

int slotNumber(const Reply& reply) {
  const long long value = reply.isInteger() ? reply.integer() : std::stoll(reply.str());
  if (value < 0 || value >= kClusterSlots)
    throw std::runtime_error("slot " + std::to_string(value) + " is out of range");
  return static_cast<int>(value);
}

int portNumber(const Reply& reply) {
  return static_cast<int>(reply.isInteger() ? reply.integer() : std::stoll(reply.str()));
}

bool isClusterVerb(const std::string& verb) {
  std::string upper = verb;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return upper == "EVAL" || upper == "EVALSHA" || upper == "EVAL_RO" || upper == "EVALSHA_RO" ||
         upper == "FCALL" || upper == "FCALL_RO";
}

// Two keys of `slot` that no one writes: found once by trying names (a few thousand CRCs).
std::string probeInSlot(int slot, int skip) {
  for (int n = 0;; ++n) {
    std::string name = "warren-slot-probe:" + std::to_string(n);
    if (keySlot(name) == slot && skip-- == 0) return name;
  }
}

}  // namespace

std::optional<std::string_view> hashTag(std::string_view key) {
  const auto open = key.find('{');
  if (open == std::string_view::npos) return std::nullopt;
  const auto close = key.find('}', open + 1);
  if (close == std::string_view::npos || close == open + 1) return std::nullopt;
  return key.substr(open + 1, close - open - 1);
}

int keySlot(std::string_view key) {
  const auto tag = hashTag(key);
  return crc16(tag ? *tag : key) % kClusterSlots;
}

std::vector<ClusterShard> parseClusterShards(const Reply& reply, bool tls) {
  if (!reply.isArray()) throw std::runtime_error("CLUSTER SHARDS: not an array");
  std::vector<ClusterShard> shards;
  for (const auto& entry : reply.elements()) {
    const Reply* slots = field(entry, "slots");
    const Reply* nodes = field(entry, "nodes");
    if (!slots || !nodes) throw std::runtime_error("CLUSTER SHARDS: a shard without slots/nodes");
    ClusterShard shard;
    const auto& bounds = slots->elements();
    for (std::size_t i = 0; i + 1 < bounds.size(); i += 2)
      shard.ranges.emplace_back(slotNumber(bounds[i]), slotNumber(bounds[i + 1]));
    bool hasMaster = false;
    for (const auto& node : nodes->elements()) {
      const Reply* ip = field(node, "ip");
      const Reply* endpoint = field(node, "endpoint");
      const Reply* port =
          tls && field(node, "tls-port") ? field(node, "tls-port") : field(node, "port");
      const Reply* role = field(node, "role");
      if (!port || !role || (!ip && !endpoint)) continue;
      const bool named = endpoint && !endpoint->str().empty() && endpoint->str() != "?";
      const Address address{named ? endpoint->str() : ip->str(), portNumber(*port)};
      if (role->str() == "master") {
        shard.master = address;
        const Reply* id = field(node, "id");
        const Reply* health = field(node, "health");
        shard.masterId = id ? id->str() : "";
        shard.masterFailed = health && health->str() == "failed";
        hasMaster = true;
      } else {
        shard.replicas.push_back(address);
      }
    }
    if (hasMaster) shards.push_back(std::move(shard));
  }
  return shards;
}

std::vector<ClusterShard> parseClusterSlots(const Reply& reply) {
  if (!reply.isArray()) throw std::runtime_error("CLUSTER SLOTS: not an array");
  std::vector<ClusterShard> shards;
  for (const auto& range : reply.elements()) {
    const auto& parts = range.elements();
    if (parts.size() < 3 || parts[2].elements().size() < 2)
      throw std::runtime_error("CLUSTER SLOTS: a range without its master");
    const auto node = [](const Reply& entry) {
      return Address{entry.elements()[0].str(), portNumber(entry.elements()[1])};
    };
    const Address master = node(parts[2]);
    const std::string id = parts[2].elements().size() > 2 ? parts[2].elements()[2].str() : "";
    // CLUSTER SLOTS lists each range on its own: ranges of one master form one shard.
    auto shard = std::find_if(shards.begin(), shards.end(),
                              [&](const ClusterShard& s) { return s.master == master; });
    if (shard == shards.end()) {
      shards.emplace_back();
      shards.back().master = master;
      shards.back().masterId = id;
      shard = shards.end() - 1;
      for (std::size_t i = 3; i < parts.size(); ++i)
        if (parts[i].elements().size() >= 2) shard->replicas.push_back(node(parts[i]));
    }
    shard->ranges.emplace_back(slotNumber(parts[0]), slotNumber(parts[1]));
  }
  return shards;
}

// ---- ClusterMap --------------------------------------------------------------------------------

ClusterMap::ClusterMap(Topology topology, const ConnectionOptions& options, Listener listener)
    : topology_(std::move(topology)), listener_(std::move(listener)), owner_(kClusterSlots, -1) {
  nodeOptions_.connectTimeout = std::min(options.connectTimeout, milliseconds(2000));
  nodeOptions_.commandTimeout = std::min(options.commandTimeout, milliseconds(2000));
  nodeOptions_.caFile = options.caFile;
  nodeOptions_.verify = options.verify;
  nodeOptions_.useFunctions = false;
}

Address ClusterMap::masterOf(int slot) {
  std::lock_guard serial(refreshing_);
  std::optional<Address> known;
  {
    std::lock_guard lock(mutex_);
    const std::int16_t index = owner_[static_cast<std::size_t>(slot)];
    if (index >= 0) known = shards_[static_cast<std::size_t>(index)].master;
    const bool fresh = !stale_ || steadyMs() - refreshedAtMs_ < kRefreshPaceMs;
    if (known && fresh) return usable(static_cast<std::size_t>(index), slot);
  }
  try {
    refreshLocked();
  } catch (const HandshakeError&) {
    throw;
  } catch (const ConnectionError&) {
    if (known) return *known;  // the old owner may still answer; if not, the connect fails
    throw;
  }
  std::lock_guard lock(mutex_);
  const std::int16_t index = owner_[static_cast<std::size_t>(slot)];
  if (index < 0)
    throw ConnectionError("no master of the Redis Cluster serves slot " + std::to_string(slot) +
                          " (the cluster is down or being reconfigured)");
  return usable(static_cast<std::size_t>(index), slot);
}

// The master of shards_[index], unless the cluster has marked it failed: connecting to a dead
// host could take the whole connect timeout, and its replica is about to take over. Requires
// mutex_.
Address ClusterMap::usable(std::size_t index, int slot) {
  const ClusterShard& shard = shards_[index];
  if (!shard.masterFailed) return shard.master;
  stale_ = true;
  throw ConnectionError("the master " + shard.master.text() + " of slot " + std::to_string(slot) +
                        " has failed and no replica has taken over yet");
}

void ClusterMap::moved(int slot, const Address& owner) {
  if (slot < 0 || slot >= kClusterSlots) return;
  std::lock_guard lock(mutex_);
  auto shard = std::find_if(shards_.begin(), shards_.end(),
                            [&](const ClusterShard& s) { return s.master == owner; });
  if (shard == shards_.end()) {
    shards_.emplace_back();
    shards_.back().master = owner;
    shard = shards_.end() - 1;
  }
  owner_[static_cast<std::size_t>(slot)] = static_cast<std::int16_t>(shard - shards_.begin());
  // The new owner knows best that it owns the slot: the next refresh asks it first.
  preferred_ = owner;
  stale_ = true;
}

void ClusterMap::markStale() {
  std::lock_guard lock(mutex_);
  stale_ = true;
}

void ClusterMap::refresh() {
  std::lock_guard serial(refreshing_);
  refreshLocked();
}

void ClusterMap::refreshLocked() {
  std::vector<Address> candidates;
  {
    std::lock_guard lock(mutex_);
    if (preferred_) candidates.push_back(*preferred_);
    preferred_.reset();
  }
  for (const auto& master : masters())
    if (std::find(candidates.begin(), candidates.end(), master) == candidates.end())
      candidates.push_back(master);
  for (const auto& seed : topology_.seeds)
    if (std::find(candidates.begin(), candidates.end(), seed) == candidates.end())
      candidates.push_back(seed);
  std::string problems;
  std::size_t notCluster = 0;
  for (const auto& address : candidates) {
    std::string problem;
    try {
      Connection connection(topology_.at(address), nodeOptions_);
      Reply reply = connection.command({"CLUSTER", "SHARDS"});
      std::vector<ClusterShard> shards;
      if (reply.isError() && reply.str().rfind("ERR unknown subcommand", 0) == 0) {
        reply = connection.command({"CLUSTER", "SLOTS"});  // Redis before 7.0
        if (!reply.isError()) shards = parseClusterSlots(reply);
      } else if (!reply.isError()) {
        shards = parseClusterShards(reply, topology_.server.tls);
      }
      if (!shards.empty()) {
        install(std::move(shards));
        return;
      }
      if (reply.str().find("cluster support disabled") != std::string::npos) ++notCluster;
      problem = reply.isError() ? reply.str() : "no slots are assigned";
    } catch (const HandshakeError&) {
      throw;                                 // wrong password: every node would say so
    } catch (const std::runtime_error& e) {  // ConnectionError, or a reply we cannot read
      problem = e.what();
    }
    problems += (problems.empty() ? "" : "; ") + address.text() + ": " + problem;
  }
  {
    std::lock_guard lock(mutex_);
    status_.lastError = problems;
  }
  if (notCluster == candidates.size())
    throw HandshakeError("redis.cluster is set but the Redis at " + topology_.redacted() +
                         " is not a cluster node (" + problems + ")");
  throw ConnectionError("no Redis Cluster node gave its slot map (" + problems + ")");
}

void ClusterMap::install(std::vector<ClusterShard> shards) {
  std::vector<std::int16_t> owner(kClusterSlots, -1);
  std::size_t covered = 0;
  for (std::size_t i = 0; i < shards.size(); ++i) {
    for (const auto& [first, last] : shards[i].ranges) {
      for (int slot = first; slot <= last; ++slot) {
        if (owner[static_cast<std::size_t>(slot)] < 0) ++covered;
        owner[static_cast<std::size_t>(slot)] = static_cast<std::int16_t>(i);
      }
    }
  }
  std::vector<std::string> failovers;
  {
    std::lock_guard lock(mutex_);
    // A slot whose new master was a replica of its old one: that master failed over.
    for (const auto& shard : shards) {
      for (const auto& [first, last] : shard.ranges) {
        const std::int16_t before = owner_[static_cast<std::size_t>(first)];
        if (before < 0) continue;
        const ClusterShard& old = shards_[static_cast<std::size_t>(before)];
        if (old.master == shard.master) continue;
        const bool promoted =
            std::find(old.replicas.begin(), old.replicas.end(), shard.master) != old.replicas.end();
        const std::string change = old.master.text() + " -> " + shard.master.text();
        if (promoted && std::find(failovers.begin(), failovers.end(), change) == failovers.end())
          failovers.push_back(change);
      }
    }
    shards_ = std::move(shards);
    owner_ = std::move(owner);
    stale_ = false;
    refreshedAtMs_ = steadyMs();
    status_.masters = static_cast<std::size_t>(
        std::count_if(shards_.begin(), shards_.end(),
                      [](const ClusterShard& shard) { return !shard.ranges.empty(); }));
    status_.slotsCovered = covered;
    status_.lastRefreshMs = epochMs();
    status_.lastError.clear();
    for (const auto& change : failovers) {
      ++status_.failovers;
      ++stats().failovers;
      status_.lastFailoverMs = status_.lastRefreshMs;
      status_.lastFailover = change;
    }
  }
  if (listener_)
    for (const auto& change : failovers) listener_("Redis Cluster master failed over: " + change);
}

std::vector<Address> ClusterMap::masters() const {
  std::lock_guard lock(mutex_);
  std::vector<Address> out;
  for (const auto& shard : shards_)
    if (!shard.ranges.empty()) out.push_back(shard.master);  // a failed master keeps no slots
  return out;
}

ClusterMap::Status ClusterMap::status() const {
  std::lock_guard lock(mutex_);
  return status_;
}

std::shared_ptr<Locator> ClusterMap::locatorFor(const std::string& key) {
  return std::make_shared<SlotLocator>(shared_from_this(), key);
}

// ---- SlotLocator -------------------------------------------------------------------------------

SlotLocator::SlotLocator(std::shared_ptr<ClusterMap> map, const std::string& key)
    : map_(std::move(map)), slot_(keySlot(key)) {
  if (const auto tag = hashTag(key)) {
    const std::string braced = "{" + std::string(*tag) + "}";
    probes_[0] = braced + "::warren-slot-probe:1";
    probes_[1] = braced + "::warren-slot-probe:2";
  } else {
    probes_[0] = probeInSlot(slot_, 0);
    probes_[1] = probeInSlot(slot_, 1);
  }
}

Url SlotLocator::locate(const Url& base) {
  const Address master = map_->masterOf(slot_);
  Url url = base;
  url.host = master.host;
  url.port = master.port;
  return url;
}

void SlotLocator::failed(const Url&) {
  map_->markStale();
}

bool SlotLocator::redirected(const Redirect& redirect, const Url& server) {
  if (redirect.kind == Redirect::Kind::clusterDown) map_->markStale();
  if (redirect.kind != Redirect::Kind::moved) return true;
  try {
    // "MOVED 12 :6380" (a node that does not know its own address): the same host.
    const std::string address =
        redirect.address.rfind(':', 0) == 0 ? server.host + redirect.address : redirect.address;
    map_->moved(redirect.slot, Address::parse(address, server.port));
  } catch (const std::invalid_argument&) {
    map_->markStale();
  }
  // A key of another slot: this connection goes where its own slot is, so it cannot follow.
  return redirect.slot == slot_;
}

bool SlotLocator::guard(std::vector<std::string>& argv) const {
  if (argv.size() < 3 || !isClusterVerb(argv[0])) return false;
  std::size_t keys = 0;
  try {
    keys = static_cast<std::size_t>(std::stoul(argv[2]));
  } catch (const std::exception&) {
    return false;  // let Redis refuse it
  }
  if (3 + keys > argv.size()) return false;
  const auto at = argv.begin() + static_cast<std::ptrdiff_t>(3 + keys);
  argv.insert(at, {probes_[0], probes_[1]});
  argv[2] = std::to_string(keys + 2);
  return true;
}

}  // namespace warren::redis
