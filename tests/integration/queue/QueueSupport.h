// What the queue tests share: jobs laid out as a BullMQ producer writes them, plugin instances,
// and reading outcomes back the way a BullMQ reader would.
#pragma once

#include "Paths.h"
#include "plugins/Instance.h"
#include "queue/Worker.h"
#include "redis/Connection.h"

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace warren::test {

// Adds jobs 1..count of queue "q" in one pipeline, as BullMQ's addBulk lays them out.
inline void addJobs(redis::Connection& redis, int count, const std::string& name,
                    const std::function<std::string(const std::string& id)>& data) {
  std::vector<std::vector<std::string>> commands;
  for (int i = 1; i <= count; ++i) {
    const std::string id = std::to_string(i);
    commands.push_back({"HSET", "bull:q:" + id, "name", name, "data", data(id), "opts", "{}",
                        "timestamp", std::to_string(queue::nowMs()), "delay", "0", "priority",
                        "0"});
    commands.push_back({"LPUSH", "bull:q:wait", id});
  }
  commands.push_back({"ZADD", "bull:q:marker", "0", "0"});
  redis.pipeline(commands);
}

// Waits (up to `limit`) until at least `count` jobs of queue "q" are in the completed set.
inline void waitCompleted(redis::Connection& redis, long long count,
                          std::chrono::seconds limit = std::chrono::seconds(30)) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (redis.command({"ZCARD", "bull:q:completed"}).integer() < count &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

// `completed` events in queue "q"'s stream.
inline long long completedEvents(redis::Connection& redis) {
  long long count = 0;
  const redis::Reply stream = redis.command({"XRANGE", "bull:q:events", "-", "+"});
  for (const auto& entry : stream.elements()) {
    const auto& fields = entry.elements()[1].elements();
    if (fields.size() >= 2 && fields[1].str() == "completed") ++count;
  }
  return count;
}

// An instance of a plugin built into the host's plugin directory, serving queue "q".
inline std::shared_ptr<plugins::Instance> instanceOf(const std::string& plugin) {
  auto library = plugins::Library::load(builtPlugin(plugin));
  return std::make_shared<plugins::Instance>(library, plugins::ConfigValues{}, "q");
}

}  // namespace warren::test
