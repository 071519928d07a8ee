// The master of a group that Redis Sentinel watches (Topology::Mode::sentinel), shared by every
// connection of a node as their Locator.
//
// Finding it: the Sentinels are asked in turn (the one that answered last first) with SENTINEL
// get-master-addr-by-name; the first answer wins. Each connection then checks with ROLE, sent
// with its AUTH, that the server really is the master: right after a failover a Sentinel may
// still name the old one, which is then refused and asked for again with backoff.
//
// Following it: a thread stays subscribed to +switch-master on one Sentinel (the next one when
// that connection drops). A switch of our master is announced to every connection at once, so
// a reconnect backoff ends and a socket to the old server is dropped. Without the message
// (Sentinels unreachable for a while) a connection still moves: the old master's READONLY, its
// closed connection or a refused connect make the next connect ask the Sentinels again.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "redis/Connection.h"
#include "redis/Locator.h"
#include "redis/Topology.h"

namespace warren::redis {

class SentinelMaster final : public Locator {
 public:
  struct Status {
    std::string master;    // host:port of the current master; empty until known
    std::string watching;  // the Sentinel whose +switch-master we hear; empty when none
    std::uint64_t failovers = 0;
    std::int64_t lastSwitchMs = 0;  // ms since the epoch; 0: none seen
    std::string lastSwitch;         // "A -> B"
    std::string lastError;          // of the last failed Sentinel request
  };
  // Log lines worth a human's attention (a switch, a Sentinel lost): set before connecting.
  using Listener = std::function<void(const std::string& message)>;

  // `options`: timeouts, TLS CA file and verification for the Sentinels (their credentials are
  // the topology's sentinelUser/sentinelPassword). Starts the watching thread.
  SentinelMaster(Topology topology, const ConnectionOptions& options, Listener listener = {});
  ~SentinelMaster() override;
  SentinelMaster(const SentinelMaster&) = delete;
  SentinelMaster& operator=(const SentinelMaster&) = delete;

  Url locate(const Url& base) override;
  std::vector<std::vector<std::string>> checks() const override;
  void verify(const std::vector<Reply>& replies, const std::string& label) const override;
  void failed(const Url& server) override;
  bool redirected(const Redirect& redirect, const Url& server) override;

  Status status() const;
  const std::string& masterName() const { return topology_.masterName; }

 private:
  Address resolve();
  void setMaster(const Address& address, const char* how);
  void watch();
  void listen(const Address& sentinel);
  bool stopping() const;

  const Topology topology_;
  ConnectionOptions sentinelOptions_;
  const Listener listener_;

  std::mutex resolving_;  // one round of questions to the Sentinels at a time
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::optional<Address> master_;
  bool stale_ = false;
  std::size_t preferred_ = 0;  // index of the Sentinel that answered last
  Status status_;
  bool stopping_ = false;
  std::shared_ptr<Connection> subscription_;
  std::thread watcher_;
};

}  // namespace warren::redis
