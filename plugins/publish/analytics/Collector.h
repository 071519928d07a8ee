// analytics:collect: metrics of published posts, batched per account as far as each platform
// allows, stored as snapshots in post_metrics and returned. Without postIds it takes the posts
// whose next collection is due (analytics/Cadence.h); deleted posts are marked and never asked
// again; a rate-limited or broken account is reported and tried again on the next run.
#pragma once

#include "Context.h"

#include <warren/plugin.hpp>

namespace publish::analytics {

class Collector {
 public:
  explicit Collector(Context& context) : context_(context) {}
  warren::Result run(const warren::Job& job);

 private:
  Context& context_;
};

// Creates or updates the job scheduler that runs analytics:collect every
// Settings::analyticsEveryMs on Settings::analyticsQueue, through the host's queue service.
// Does nothing without one (warren call) or with a period of 0. Never throws: logs.
void scheduleCollection(const warren::Host& host, const Settings& settings);

}  // namespace publish::analytics
