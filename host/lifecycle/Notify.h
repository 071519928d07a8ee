// systemd's service notification protocol (sd_notify(3)) for a `Type=notify` unit: READY=1 once
// the queues serve, WATCHDOG=1 keepalives at half of WATCHDOG_USEC, RELOADING=1 around a reload,
// STOPPING=1 on SIGTERM. Each message is one datagram on the AF_UNIX socket named by
// NOTIFY_SOCKET (a path, or "@name" in the abstract namespace).
//
// Written against the documented protocol rather than libsystemd's sd_notify, which re-reads
// NOTIFY_SOCKET at every call, so the variable would have to stay in the environment and every
// child would inherit it (the embedded redis-server speaks the same protocol when supervised).
// Here the variables are read once and removed. Without NOTIFY_SOCKET every call does nothing.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>

namespace warren::lifecycle {

class Notifier {
 public:
  using Clock = std::chrono::steady_clock;

  // Disabled: sends nothing.
  Notifier() = default;
  // Sends to `socket` (a path or "@abstract"); keepalives every `watchdog` / 2 when `watchdog`
  // is positive. `clock` is for tests.
  Notifier(std::string socket, std::chrono::microseconds watchdog,
           std::function<Clock::time_point()> clock = Clock::now);

  // From NOTIFY_SOCKET, WATCHDOG_USEC and WATCHDOG_PID (a watchdog meant for another process is
  // ignored), which are then unset. Call before any thread starts (unsetenv is not thread-safe).
  static Notifier fromEnvironment();

  bool enabled() const { return !socket_.empty(); }
  std::chrono::microseconds watchdogPeriod() const { return watchdog_; }

  // READY=1 with a STATUS= line; starts the keepalive schedule.
  void ready(const std::string& status);
  // RELOADING=1 (with MONOTONIC_USEC, as systemd 253+ expects).
  void reloading();
  // STOPPING=1 with a STATUS= line; keepalives stop.
  void stopping(const std::string& status);
  void status(const std::string& status);

  // Sends WATCHDOG=1 when half the watchdog period has passed since READY or the last
  // keepalive. Returns the time until the next one is due (nullopt: no watchdog).
  std::optional<std::chrono::milliseconds> keepalive();

  // The raw send: one datagram. False (and nothing else happens) when it could not be sent.
  bool send(const std::string& message) const;

 private:
  std::string socket_;
  std::chrono::microseconds watchdog_{0};
  std::function<Clock::time_point()> clock_ = Clock::now;
  bool keepalives_ = false;  // between READY and STOPPING
  Clock::time_point lastKeepalive_{};
};

}  // namespace warren::lifecycle
