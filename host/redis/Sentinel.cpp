#include "redis/Sentinel.h"

#include <chrono>
#include <sstream>

#include "redis/Stats.h"

namespace warren::redis {
namespace {

using std::chrono::milliseconds;

std::int64_t epochMs() {
  return std::chrono::duration_cast<milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Questions to a Sentinel are short: a dead one must not hold up the next for long.
ConnectionOptions forSentinels(const ConnectionOptions& node) {
  ConnectionOptions options;
  options.connectTimeout = std::min(node.connectTimeout, milliseconds(2000));
  options.commandTimeout = std::min(node.commandTimeout, milliseconds(2000));
  options.caFile = node.caFile;
  options.verify = node.verify;
  options.useFunctions = false;
  return options;
}

}  // namespace

SentinelMaster::SentinelMaster(Topology topology, const ConnectionOptions& options,
                               Listener listener)
    : topology_(std::move(topology)),
      sentinelOptions_(forSentinels(options)),
      listener_(std::move(listener)) {
  watcher_ = std::thread([this] { watch(); });
}

SentinelMaster::~SentinelMaster() {
  std::shared_ptr<Connection> subscription;
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    subscription = subscription_;
  }
  wake_.notify_all();
  if (subscription) subscription->close();
  watcher_.join();
}

bool SentinelMaster::stopping() const {
  std::lock_guard lock(mutex_);
  return stopping_;
}

Url SentinelMaster::locate(const Url& base) {
  std::lock_guard serial(resolving_);
  std::optional<Address> known;
  {
    std::lock_guard lock(mutex_);
    if (!stale_) known = master_;
  }
  if (!known) {
    known = resolve();
    setMaster(*known, "named by a Sentinel");
  }
  Url url = base;
  url.host = known->host;
  url.port = known->port;
  return url;
}

std::vector<std::vector<std::string>> SentinelMaster::checks() const {
  return {{"ROLE"}};
}

void SentinelMaster::verify(const std::vector<Reply>& replies, const std::string& label) const {
  const std::string role =
      !replies.empty() && !replies[0].elements().empty() ? replies[0].elements()[0].str() : "";
  if (role == "master") return;
  throw ConnectionError("Redis at " + label + " is not the master of '" + topology_.masterName +
                        "' (ROLE says '" + role + "'); a failover may be under way");
}

void SentinelMaster::failed(const Url& server) {
  std::lock_guard lock(mutex_);
  if (master_ && master_->host == server.host && master_->port == server.port) stale_ = true;
}

bool SentinelMaster::redirected(const Redirect& redirect, const Url& server) {
  if (redirect.kind == Redirect::Kind::replica) failed(server);
  return true;
}

SentinelMaster::Status SentinelMaster::status() const {
  std::lock_guard lock(mutex_);
  return status_;
}

// Asks each Sentinel in turn, the last one that answered first.
Address SentinelMaster::resolve() {
  const auto& seeds = topology_.seeds;
  std::size_t first = 0;
  {
    std::lock_guard lock(mutex_);
    first = preferred_;
  }
  std::string problems;
  std::size_t refusals = 0;
  for (std::size_t i = 0; i < seeds.size(); ++i) {
    const std::size_t index = (first + i) % seeds.size();
    const Address& sentinel = seeds[index];
    std::string problem;
    try {
      Connection connection(topology_.sentinelAt(sentinel), sentinelOptions_);
      const Reply reply =
          connection.command({"SENTINEL", "get-master-addr-by-name", topology_.masterName});
      const auto& parts = reply.elements();
      if (reply.isArray() && parts.size() == 2) {
        std::lock_guard lock(mutex_);
        preferred_ = index;
        return Address{parts[0].str(), std::stoi(parts[1].str())};
      }
      problem = reply.isNil() ? "does not monitor a master named '" + topology_.masterName + "'"
                              : "answered " + reply.describe();
    } catch (const HandshakeError& e) {
      ++refusals;
      problem = e.what();
    } catch (const ConnectionError& e) {
      problem = e.what();
    } catch (const std::invalid_argument&) {
      problem = "answered a port that is not a number";
    }
    problems += (problems.empty() ? "" : "; ") + sentinel.text() + ": " + problem;
  }
  {
    std::lock_guard lock(mutex_);
    status_.lastError = problems;
  }
  const std::string message =
      "no Sentinel named the master '" + topology_.masterName + "' (" + problems + ")";
  // Every Sentinel refused our credentials: a configuration problem, not an outage.
  if (refusals == seeds.size())
    throw HandshakeError(message + "; check redis.sentinel_user / redis.sentinel_password");
  throw ConnectionError(message);
}

void SentinelMaster::setMaster(const Address& address, const char* how) {
  std::string switched;
  {
    std::lock_guard lock(mutex_);
    stale_ = false;
    if (master_ && *master_ == address) return;
    if (master_) {
      switched = master_->text() + " -> " + address.text();
      ++status_.failovers;
      status_.lastSwitchMs = epochMs();
      status_.lastSwitch = switched;
      ++stats().failovers;
    }
    master_ = address;
    status_.master = address.text();
  }
  if (!switched.empty() && listener_)
    listener_("Redis master '" + topology_.masterName + "' switched " + switched + " (" + how +
              ")");
  if (!switched.empty()) announce(address.text());
}

// The watching thread: subscribed to +switch-master on one Sentinel at a time.
void SentinelMaster::watch() {
  std::size_t next = 0;
  bool lost = false;
  while (!stopping()) {
    const Address sentinel = topology_.seeds[next % topology_.seeds.size()];
    try {
      listen(sentinel);
    } catch (const std::exception& e) {
      std::lock_guard lock(mutex_);
      status_.watching.clear();
      status_.lastError = e.what();
      if (stopping_) return;
    }
    if (!lost && !stopping() && listener_)
      listener_("lost the +switch-master subscription on Sentinel " + sentinel.text() +
                "; trying the next one");
    lost = true;
    ++next;
    std::unique_lock lock(mutex_);
    wake_.wait_for(lock, milliseconds(500), [this] { return stopping_; });
  }
}

void SentinelMaster::listen(const Address& sentinel) {
  auto connection = std::make_shared<Connection>(topology_.sentinelAt(sentinel), sentinelOptions_);
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    subscription_ = connection;
  }
  struct Forget {
    SentinelMaster& owner;
    ~Forget() {
      std::lock_guard lock(owner.mutex_);
      owner.subscription_.reset();
    }
  } forget{*this};
  const Reply subscribed = connection->command({"SUBSCRIBE", "+switch-master"});
  if (subscribed.isError())
    throw ConnectionError("Sentinel " + sentinel.text() +
                          " refused SUBSCRIBE +switch-master: " + subscribed.str());
  {
    std::lock_guard lock(mutex_);
    status_.watching = sentinel.text();
  }
  // A switch may have happened while nobody listened: ask once now.
  try {
    std::lock_guard serial(resolving_);
    setMaster(resolve(), "named by a Sentinel");
  } catch (const ConnectionError&) {
    // no Sentinel answers right now; connections keep asking on their own
  }
  while (!stopping()) {
    const auto push = connection->nextPush(milliseconds(1000));
    if (!push) continue;
    const auto& parts = push->elements();
    if (parts.size() != 3 || parts[0].str() != "message") continue;
    // "<master name> <old ip> <old port> <new ip> <new port>"
    std::istringstream fields(parts[2].str());
    std::string name, oldHost, oldPort, newHost, newPort;
    fields >> name >> oldHost >> oldPort >> newHost >> newPort;
    if (name != topology_.masterName || newPort.empty()) continue;
    try {
      setMaster(Address{newHost, std::stoi(newPort)}, "+switch-master");
    } catch (const std::invalid_argument&) {
      // a malformed message: the next connect asks the Sentinels anyway
    }
  }
}

}  // namespace warren::redis
