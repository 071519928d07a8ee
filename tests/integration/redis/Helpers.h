// Shared bits of the Redis integration tests.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>

#include "RedisServer.h"
#include "redis/Connection.h"

namespace warren::redis::testing {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

inline long long msSince(Clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
}

inline ConnectionOptions quickOptions() {
  ConnectionOptions options;
  options.connectTimeout = 3s;
  options.commandTimeout = 3s;
  return options;
}

inline bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// Runs `action`, expecting an exception of type E; returns its message.
template <typename E, typename F>
std::string thrownMessage(F&& action) {
  try {
    action();
  } catch (const E& e) {
    return e.what();
  }
  ADD_FAILURE() << "expected an exception";
  return {};
}

// Waits until `predicate` holds (polling), up to `limit`.
template <typename P>
bool eventually(P&& predicate, std::chrono::milliseconds limit = 5s) {
  const auto deadline = Clock::now() + limit;
  while (Clock::now() < deadline) {
    if (predicate()) return true;
    std::this_thread::sleep_for(10ms);
  }
  return predicate();
}

// Number of clients blocked in BLPOP/BZPOPMIN etc., seen from `admin`.
inline long long blockedClients(Connection& admin) {
  const std::string info = admin.command({"INFO", "clients"}).asString();
  const auto at = info.find("blocked_clients:");
  if (at == std::string::npos) return -1;
  return std::stoll(info.substr(at + 16));
}

}  // namespace warren::redis::testing
