// Defaults per deployment profile (development/staging/production) and per size tier
// (micro … performance). Configuration may override each figure; these are the starting points.
// The tables are documented in docs/sizing.md.
#pragma once

#include "log/Log.h"

#include <cstdint>
#include <string_view>
#include <vector>

namespace warren::sizing {

struct ProfileDefaults {
  std::string_view name;
  std::uint32_t queueConcurrency;  // jobs at once per queue when neither config nor plugin says
  std::uint32_t dbPoolSize;        // database connections per node
  log::Level logLevel;
  bool metrics;  // Prometheus metrics and BullMQ metrics collection
};

struct TierDefaults {
  std::string_view name;
  std::uint32_t cpuMillis;   // vCPU × 1000 (500 = half a vCPU)
  std::uint64_t memoryMiB;   // memory of the node (container limit)
  std::uint32_t nodeBudget;  // node-wide concurrency budget (jobs at once, all queues)
};

// Throws std::invalid_argument("unknown profile 'x': expected one of development, staging,
// production") for other names.
ProfileDefaults profileDefaults(std::string_view profile);
// Throws std::invalid_argument("unknown tier 'x': expected one of micro, small, standard, medium,
// large, performance") for other names.
TierDefaults tierDefaults(std::string_view tier);

// Every profile and tier, in the order above (tiers from smallest to largest).
const std::vector<ProfileDefaults>& profiles();
const std::vector<TierDefaults>& tiers();

}  // namespace warren::sizing
