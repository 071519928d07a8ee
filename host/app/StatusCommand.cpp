// warren status [QUEUE...]
//
// Job counts per state (as Queue.getJobCounts) of the given queues, else of the queues of the
// configuration, else of every queue found under the prefix (keys <prefix>:<queue>:meta).
// Read-only: it writes nothing to Redis.
#include "app/Commands.h"
#include "queue/Producer.h"
#include "redis/Connection.h"
#include "redis/Errors.h"

#include <algorithm>
#include <array>
#include <iomanip>
#include <iostream>
#include <map>
#include <memory>
#include <set>

namespace warren::app {
namespace {

// Backslash-escapes the glob characters of SCAN MATCH.
std::string globEscape(const std::string& text) {
  std::string out;
  for (const char c : text) {
    if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

std::vector<std::string> discoverQueues(redis::Connection& connection, const std::string& prefix) {
  const std::string head = prefix + ":";
  const std::string tail = ":meta";
  std::set<std::string> names;
  std::string cursor = "0";
  do {
    const redis::Reply reply = connection.command(
        {"SCAN", cursor, "MATCH", globEscape(prefix) + ":*:meta", "COUNT", "1000"});
    const auto& parts = reply.asArray();
    if (parts.size() != 2) throw std::runtime_error("unexpected SCAN reply " + reply.describe());
    cursor = parts[0].asString();
    for (const auto& key : parts[1].asArray()) {
      const std::string& k = key.str();
      if (k.size() <= head.size() + tail.size()) continue;
      const std::string name = k.substr(head.size(), k.size() - head.size() - tail.size());
      if (name.find(':') == std::string::npos) names.insert(name);
    }
  } while (cursor != "0");
  return {names.begin(), names.end()};
}

void printTable(const std::vector<std::pair<std::string, queue::JobCounts>>& rows) {
  static constexpr std::array<const char*, 7> kColumns = {
      "WAITING", "ACTIVE", "COMPLETED", "FAILED", "DELAYED", "PRIORITIZED", "WAITING-CHILDREN"};
  std::size_t nameWidth = std::string("QUEUE").size();
  for (const auto& row : rows) nameWidth = std::max(nameWidth, row.first.size());
  std::cout << std::left << std::setw(static_cast<int>(nameWidth)) << "QUEUE";
  for (const char* column : kColumns) std::cout << "  " << column;
  std::cout << "\n";
  for (const auto& [name, c] : rows) {
    const std::array<std::int64_t, 7> values = {
        c.waiting, c.active, c.completed, c.failed, c.delayed, c.prioritized, c.waitingChildren};
    std::cout << std::left << std::setw(static_cast<int>(nameWidth)) << name;
    for (std::size_t i = 0; i < values.size(); ++i) {
      std::cout << "  " << std::right
                << std::setw(static_cast<int>(std::string(kColumns[i]).size())) << values[i];
    }
    std::cout << "\n";
  }
}

}  // namespace

int statusCommand(const Options& options) {
  const config::Config config = loadConfig(options);
  std::vector<std::string> queues(options.args.begin() + 1, options.args.end());
  for (const auto& name : queues) {
    try {
      queue::Keys(config.redisPrefix, name);
    } catch (const std::invalid_argument& e) {
      std::cerr << "warren: " << e.what() << "\n";
      return kExitUsage;
    }
  }
  // Refusals and an unreachable Redis leave through App::main with their exit codes.
  const auto servers = redisServers(config);
  redis::ConnectionOptions connectionOptions = redisOptions(config);
  connectionOptions.autoReconnect = true;
  // One connection per place keys are served (a Redis Cluster: per slot; else just one).
  std::map<int, std::unique_ptr<redis::Connection>> connections;
  const auto connectionFor = [&](const std::string& key) -> redis::Connection& {
    auto& connection = connections[servers->routeOf(key)];
    if (!connection)
      connection = std::make_unique<redis::Connection>(servers->url(),
                                                       servers->optionsFor(key, connectionOptions));
    return *connection;
  };
  if (queues.empty()) {
    for (const auto& q : config.queues) queues.push_back(q.name);
  }
  if (queues.empty()) {
    if (servers->mode() == redis::Topology::Mode::cluster) {
      // Each master holds the keys of its own slots.
      std::set<std::string> found;
      for (const auto& master : servers->masters()) {
        redis::Connection node(master, connectionOptions);
        for (auto& name : discoverQueues(node, config.redisPrefix)) found.insert(std::move(name));
      }
      queues.assign(found.begin(), found.end());
    } else {
      queues = discoverQueues(connectionFor(config.redisPrefix + ":"), config.redisPrefix);
    }
  }
  if (queues.empty()) {
    std::cout << "no queues found under prefix '" << config.redisPrefix << "'\n";
    return kExitOk;
  }
  std::vector<std::pair<std::string, queue::JobCounts>> rows;
  for (const auto& name : queues) {
    const queue::Keys keys(config.redisPrefix, name);
    queue::Producer producer(connectionFor(keys.base()), config.redisPrefix, name);
    rows.emplace_back(name, producer.getJobCounts());
  }
  printTable(rows);
  return kExitOk;
}

}  // namespace warren::app
