// warren plan --posts-per-day N [--materials-per-day M] [--observed] [--json]
//
// Capacity planning as the deployment guide computes it (host/sizing/Plan.h, docs/sizing.md).
// With --observed, the default job durations give way to the p95 of the most recent completed
// jobs, and the jobs waiting now are added as a backlog. Read-only: it writes nothing to Redis.
#include "app/Commands.h"
#include "queue/Keys.h"
#include "redis/Connection.h"
#include "sizing/Memory.h"
#include "sizing/Plan.h"
#include "sizing/PlanReport.h"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <iostream>
#include <optional>

namespace warren::app {
namespace {

// BullMQ's metrics lists hold counts per minute, not durations: durations come from the job
// hashes of the most recent completed jobs.
constexpr int kRecentJobs = 1000;

// finishedOn − processedOn (ms) of the newest completed jobs (the completed set is scored by
// finishedOn). Jobs removed meanwhile, or lacking a timestamp, are skipped.
std::vector<std::uint64_t> recentDurations(redis::Connection& connection, const queue::Keys& keys) {
  const redis::Reply ids = connection.command(
      {"ZREVRANGE", keys.key("completed"), "0", std::to_string(kRecentJobs - 1)});
  std::vector<std::vector<std::string>> reads;
  for (const auto& id : ids.asArray()) {
    reads.push_back({"HMGET", keys.job(id.asString()), "processedOn", "finishedOn"});
  }
  std::vector<std::uint64_t> durations;
  if (reads.empty()) return durations;
  for (const auto& reply : connection.pipeline(reads)) {
    const auto& fields = reply.asArray();
    if (fields.size() != 2 || !fields[0].isString() || !fields[1].isString()) continue;
    const auto processed = sizing::parseWholeNumber(fields[0].str());
    const auto finished = sizing::parseWholeNumber(fields[1].str());
    if (processed && finished && *finished >= *processed) {
      durations.push_back(*finished - *processed);
    }
  }
  return durations;
}

// Jobs waiting now: the wait list plus the prioritized set (waiting jobs with a priority).
std::uint64_t waitingJobs(redis::Connection& connection, const queue::Keys& keys) {
  const auto replies =
      connection.pipeline({{"LLEN", keys.key("wait")}, {"ZCARD", keys.key("prioritized")}});
  return static_cast<std::uint64_t>(replies[0].asInteger() + replies[1].asInteger());
}

// The pipeline queues, then the other queues of the configuration.
std::vector<std::string> plannedQueues(const config::Config& config) {
  std::vector<std::string> names = {std::string(sizing::kGenerateQueue),
                                    std::string(sizing::kPublishQueue),
                                    std::string(sizing::kAnalyzeQueue)};
  for (const auto& q : config.queues) {
    if (std::find(names.begin(), names.end(), q.name) == names.end()) names.push_back(q.name);
  }
  return names;
}

std::vector<sizing::QueueObservation> observe(const config::Config& config) {
  std::vector<sizing::QueueObservation> observed;
  for (const auto& name : plannedQueues(config)) {
    const queue::Keys keys(config.redisPrefix, name);
    const auto connection = connectToRedis(config, keys.base());  // a Cluster's queue: its slot
    observed.push_back(sizing::observeQueue(name, recentDurations(*connection, keys),
                                            waitingJobs(*connection, keys)));
  }
  return observed;
}

// The count given with `option`, or a usage message on stderr.
std::optional<std::uint64_t> countOption(const std::string& option, const std::string& text) {
  const auto value = sizing::parseWholeNumber(text);
  if (!value) {
    std::cerr << "warren: " << option << ": expected a whole number, got '" << text << "'\n";
  }
  return value;
}

}  // namespace

int planCommand(const Options& options) {
  if (options.args.size() > 1) {
    std::cerr << "warren: plan takes no arguments besides its options. See warren --help\n";
    return kExitUsage;
  }
  if (!options.postsPerDay) {
    std::cerr << "warren: plan needs --posts-per-day N. See warren --help\n";
    return kExitUsage;
  }
  sizing::PlanInputs inputs;
  const auto posts = countOption("--posts-per-day", *options.postsPerDay);
  const auto materials = countOption("--materials-per-day", options.materialsPerDay.value_or("0"));
  if (!posts || !materials) return kExitUsage;
  inputs.postsPerDay = *posts;
  inputs.materialsPerDay = *materials;
  // Refusals (config, Redis) leave through App::main with their exit codes.
  if (options.observed) inputs = sizing::withObserved(inputs, observe(loadConfig(options)));
  sizing::PlanResult result;
  try {
    result = sizing::plan(inputs);
  } catch (const std::invalid_argument& e) {
    std::cerr << "warren: " << e.what() << "\n";
    return kExitUsage;
  }
  std::cout << (options.json ? sizing::planJson(inputs, result) + "\n"
                             : sizing::planTable(inputs, result));
  return kExitOk;
}

}  // namespace warren::app
