// How many jobs each queue of a node runs at once: a queue's own concurrency (or the profile's,
// or its plugin's default), or the node budget split across queues by weight; then capped by
// the memory the node has for jobs and the plugin's declared memory per job.
#pragma once

#include "config/Config.h"
#include "plugins/Descriptor.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace warren::app {

struct QueuePlugin {
  const config::QueueConfig* queue;
  const plugins::PluginInfo* plugin;
};

// Slots by queue name. Logs the split (and any caps and notes) at info level.
std::map<std::string, std::uint32_t> planSlots(const config::Config& config,
                                               const std::vector<QueuePlugin>& queues);

// The node-wide budget: node.concurrency, else the tier's budget when node.tier is given, else
// 0 (no budget: each queue runs its own concurrency).
std::uint32_t nodeBudget(const config::Config& config);

}  // namespace warren::app
