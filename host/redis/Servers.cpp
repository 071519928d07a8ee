#include "redis/Servers.h"

namespace warren::redis {

Servers::Servers(Topology topology, const ConnectionOptions& options, Listener listener)
    : topology_(std::move(topology)) {
  switch (topology_.mode) {
    case Topology::Mode::standalone:
      break;
    case Topology::Mode::sentinel:
      sentinel_ = std::make_shared<SentinelMaster>(topology_, options, std::move(listener));
      break;
    case Topology::Mode::cluster:
      cluster_ = std::make_shared<ClusterMap>(topology_, options, std::move(listener));
      cluster_->refresh();
      break;
  }
}

ConnectionOptions Servers::optionsFor(const std::string& key, ConnectionOptions options) const {
  if (sentinel_) options.locator = sentinel_;
  if (cluster_) options.locator = cluster_->locatorFor(key);
  return options;
}

int Servers::routeOf(const std::string& key) const {
  return cluster_ ? keySlot(key) : 0;
}

std::vector<Url> Servers::masters() const {
  if (cluster_) {
    std::vector<Url> out;
    for (const auto& address : cluster_->masters()) out.push_back(topology_.at(address));
    return out;
  }
  if (sentinel_) {
    const std::string master = sentinel_->status().master;
    if (!master.empty()) return {topology_.at(Address::parse(master, 6379))};
  }
  return {topology_.server};
}

}  // namespace warren::redis
