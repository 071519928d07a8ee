#include "app/Slots.h"

#include "log/Log.h"
#include "sizing/Budget.h"
#include "sizing/Memory.h"
#include "sizing/Profiles.h"

#include <algorithm>
#include <optional>

namespace warren::app {
namespace {

std::uint32_t ownConcurrency(const config::Config& config, const QueuePlugin& q) {
  if (q.queue->concurrency > 0) return q.queue->concurrency;
  if (config.profileSet) return sizing::profileDefaults(config.profile).queueConcurrency;
  return std::max<std::uint32_t>(q.plugin->defaultConcurrency, 1);
}

}  // namespace

std::uint32_t nodeBudget(const config::Config& config) {
  if (config.concurrency > 0) return config.concurrency;
  if (config.tierSet) return sizing::tierDefaults(config.tier).nodeBudget;
  return 0;
}

std::map<std::string, std::uint32_t> planSlots(const config::Config& config,
                                               const std::vector<QueuePlugin>& queues) {
  const std::uint64_t overhead = config.memoryOverheadMb * sizing::kMiB;
  const std::optional<sizing::MemoryLimit> limit = sizing::readMemoryLimit();
  std::map<std::string, std::uint32_t> slots;
  const std::uint32_t budget = nodeBudget(config);
  if (budget == 0 || queues.empty()) {
    for (const auto& q : queues) {
      std::uint32_t n = ownConcurrency(config, q);
      if (limit)
        n = sizing::capConcurrency(q.queue->name, n, q.plugin->memoryPerJobBytes, *limit, overhead);
      slots[q.queue->name] = n;
    }
    return slots;
  }
  std::vector<sizing::QueueDemand> demands;
  const std::uint64_t forJobs = limit ? sizing::memoryForJobs(*limit, overhead) : 0;
  for (const auto& q : queues) {
    sizing::QueueDemand demand;
    demand.name = q.queue->name;
    demand.weight = q.queue->weight > 0 ? q.queue->weight : sizing::defaultWeight(demand.name);
    if (q.queue->concurrency > 0) demand.concurrencyCap = q.queue->concurrency;
    if (limit) demand.memoryCap = sizing::memoryCap(forJobs, q.plugin->memoryPerJobBytes);
    demands.push_back(std::move(demand));
  }
  const sizing::BudgetSplit split = sizing::splitBudget(budget, demands);
  for (const auto& note : split.notes) log::warn("node budget: " + note);
  for (const auto& share : split.shares) {
    slots[share.name] = std::max<std::uint32_t>(share.slots, 1);
    log::info("node budget share", {{"queue", share.name},
                                    {"weight", share.weight},
                                    {"slots", share.slots},
                                    {"limited_by", share.limitedBy}});
  }
  return slots;
}

}  // namespace warren::app
