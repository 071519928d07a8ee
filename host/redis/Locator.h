// Where a Connection goes when its server can change: the master that Redis Sentinel names, or
// the Cluster master that owns a hash slot (Sentinel.h, Cluster.h). A connection without one
// (ConnectionOptions::locator empty) always talks to its URL and never looks at redirections: the
// standalone path costs nothing extra.
//
// A Locator is shared by many connections on many threads: implementations are thread-safe.
#pragma once

#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "redis/Reply.h"
#include "redis/Url.h"

namespace warren::redis {

class Connection;

// An error reply saying that the command did not run here, and where it belongs.
struct Redirect {
  enum class Kind {
    none,
    moved,        // MOVED slot host:port: the slot has another owner now
    ask,          // ASK slot host:port: this one command goes to the importing node, after ASKING
    tryAgain,     // TRYAGAIN: the slot is being migrated; the keys are split for a moment
    clusterDown,  // CLUSTERDOWN: a master failed and no replica took over yet
    replica,      // READONLY, MASTERDOWN, UNBLOCKED: this server is (becoming) a replica
    loading,      // LOADING: the server is loading its data set (a replica promoted after restart)
  };
  Kind kind = Kind::none;
  int slot = -1;
  std::string address;  // moved, ask: "host:port"

  explicit operator bool() const { return kind != Kind::none; }
};

// What `reply` says, for every server type: none unless it is one of the errors above.
Redirect redirectOf(const Reply& reply);

class Locator {
 public:
  virtual ~Locator() = default;

  // The server to (re)connect to now: `base` with the host and port of the current master.
  // May ask the Sentinels or refresh the slot map; throws ConnectionError when it cannot tell.
  virtual Url locate(const Url& base) = 0;
  // Extra commands sent with AUTH/SELECT right after connecting, and the check of their replies:
  // throws ConnectionError when `server` is not the one wanted (a Sentinel's master that turned
  // out to be a replica).
  virtual std::vector<std::vector<std::string>> checks() const { return {}; }
  virtual void verify(const std::vector<Reply>& replies, const std::string& label) const;
  // A connection to `server` failed, or the server refused to serve: the next locate() asks
  // again instead of trusting what it knew.
  virtual void failed(const Url& server) = 0;
  // A command met `redirect` on `server`: learn from it (MOVED updates the slot map). False when
  // following it cannot help this connection (a key of another slot than the one it serves):
  // the reply is then returned as it is.
  virtual bool redirected(const Redirect& redirect, const Url& server) = 0;
  // Rewrites a command before it is sent; false when it is left as it is (Cluster.h: script
  // calls also declare keys of their slot that never exist).
  virtual bool guard(std::vector<std::string>& argv) const;

  // Connections register here while they exist, so that a failover reaches all of them at once
  // (Connection::serverChanged wakes a reconnect backoff and drops a socket to the old master).
  void attach(Connection& connection);
  void detach(Connection& connection);

 protected:
  // Tells every attached connection that the master is now `address` ("host:port").
  void announce(const std::string& address);

 private:
  std::mutex mutex_;
  std::set<Connection*> attached_;
};

}  // namespace warren::redis
