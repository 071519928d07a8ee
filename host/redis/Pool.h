// The Redis connections of one worker. Each has one job, so a long blocking wait never delays a
// script call or an event:
//   scripts  - EVALSHA of the queue scripts (short commands, command timeout applies)
//   blocking - the blocking wait for work (BZPOPMIN and friends, with their own timeout)
//   events   - events, heartbeats and admin commands
// Connections are opened on first use. Each connection is still used by one thread at a time
// (see Connection.h); the set itself may be shared between threads.
#pragma once

#include <array>
#include <memory>
#include <mutex>
#include <string>

#include "redis/Connection.h"
#include "redis/Url.h"

namespace warren::redis {

// CLIENT SETNAME values, chosen by the caller (e.g. "warren:host1:w3:scripts"). Empty: no name.
struct ConnectionNames {
  std::string scripts;
  std::string blocking;
  std::string events;
};

class ConnectionSet {
 public:
  enum class Role { Scripts = 0, Blocking = 1, Events = 2 };

  // `options.clientName` is ignored: each connection takes its name from `names`.
  ConnectionSet(Url url, ConnectionOptions options, ConnectionNames names);
  ~ConnectionSet();
  ConnectionSet(const ConnectionSet&) = delete;
  ConnectionSet& operator=(const ConnectionSet&) = delete;

  // The connection for a role, connecting it first if needed (throws ConnectionError, and tries
  // again on the next call). Throws ConnectionError after closeAll().
  Connection& get(Role role);
  Connection& scripts() { return get(Role::Scripts); }
  Connection& blocking() { return get(Role::Blocking); }
  Connection& events() { return get(Role::Events); }

  bool isOpen(Role role) const;

  // Any thread: interrupt() / close() every connection opened so far (see Connection). After
  // closeAll(), get() refuses to open new connections.
  void interruptAll();
  void closeAll();

  const Url& url() const { return url_; }

 private:
  struct Slot {
    std::mutex opening;  // one connect per role at a time, without blocking the other roles
    std::unique_ptr<Connection> connection;
  };

  ConnectionOptions optionsFor(Role role) const;

  const Url url_;
  const ConnectionOptions options_;
  const ConnectionNames names_;
  mutable std::mutex mutex_;  // guards the `connection` pointers and closed_
  bool closed_ = false;
  std::array<Slot, 3> slots_;
};

}  // namespace warren::redis
