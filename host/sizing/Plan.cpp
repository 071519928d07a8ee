#include "sizing/Plan.h"

#include "sizing/Profiles.h"

#include <algorithm>
#include <stdexcept>

namespace warren::sizing {
namespace {

// Products of the bounded inputs need more than 64 bits (10^9 posts × 10^8 ms × 100).
__extension__ using Wide = unsigned __int128;

constexpr std::uint64_t kMsPerHour = 3'600'000;
constexpr std::uint64_t kMaxPerDay = 1'000'000'000;
constexpr std::uint64_t kMaxDurationMs = 24 * kMsPerHour;

void requireRange(const char* name, std::uint64_t value, std::uint64_t min, std::uint64_t max) {
  if (value < min || value > max) {
    throw std::invalid_argument(std::string(name) + " is " + std::to_string(value) + ": expected " +
                                std::to_string(min) + " to " + std::to_string(max));
  }
}

void validate(const PlanInputs& in) {
  requireRange("posts per day", in.postsPerDay, 0, kMaxPerDay);
  requireRange("materials per day", in.materialsPerDay, 0, kMaxPerDay);
  requireRange("peak share (%)", in.peakSharePercent, 1, 100);
  requireRange("peak hours", in.peakHours, 1, 24);
  requireRange("generate time (ms)", in.generateMs, 0, kMaxDurationMs);
  requireRange("publish time (ms)", in.publishMs, 0, kMaxDurationMs);
  requireRange("analyze time (ms)", in.analyzeMs, 0, kMaxDurationMs);
  requireRange("concurrency per worker", in.concurrencyPerWorker, 1, 10000);
  requireRange("minimum workers", in.minWorkers, 1, 10000);
  requireRange("DB connections per worker", in.dbConnectionsPerWorker, 0, 10000);
  requireRange("base DB connections", in.dbConnectionsBase, 0, 100000);
  requireRange("bytes per job", in.bytesPerJob, 1, 1024 * 1024);
  requireRange("retention hours", in.retentionHours, 0, 8760);
  requireRange("backlog jobs", in.backlogJobs, 0, kMaxPerDay * 10);
  requireRange("backlog work (ms)", in.backlogWorkMs, 0, kMaxPerDay * kMaxDurationMs);
}

std::uint64_t ceilDiv(Wide num, Wide den) {
  return static_cast<std::uint64_t>((num + den - 1) / den);
}

// Work (ms) arriving in the peak window, times 100 (the share is in percent), plus the backlog.
Wide peakWorkTimes100(const PlanInputs& in) {
  const Wide perPost = Wide{in.generateMs} + in.publishMs;
  const Wide traffic = (Wide{in.postsPerDay} * perPost + Wide{in.materialsPerDay} * in.analyzeMs) *
                       in.peakSharePercent;
  return traffic + Wide{in.backlogWorkMs} * 100;
}

void chooseTier(PlanResult& r) {
  for (const auto& tier : tiers()) {
    if (tier.nodeBudget >= r.slots) {
      r.tier = tier.name;
      r.tierNodes = 1;
      return;
    }
  }
  const auto& largest = tiers().back();
  r.tier = largest.name;
  r.tierNodes = ceilDiv(r.slots, largest.nodeBudget);
}

}  // namespace

PlanResult plan(const PlanInputs& in) {
  validate(in);
  PlanResult r;
  const double windowS = static_cast<double>(in.peakHours) * 3600.0;
  const double share = in.peakSharePercent / 100.0;
  r.peakFactor = share * 24.0 / in.peakHours;
  r.peakPostsPerSecond = static_cast<double>(in.postsPerDay) * share / windowS;
  r.peakMaterialsPerSecond = static_cast<double>(in.materialsPerDay) * share / windowS;

  // Little's law: jobs in progress = arrival rate × time per job, over the peak window.
  const Wide work = peakWorkTimes100(in);
  const Wide window = Wide{100} * in.peakHours * kMsPerHour;
  r.busySlots = static_cast<double>(work) / static_cast<double>(window);
  r.workers =
      std::max<std::uint64_t>(in.minWorkers, ceilDiv(work, window * in.concurrencyPerWorker));
  r.slots = r.workers * in.concurrencyPerWorker;
  r.dbConnections = r.workers * in.dbConnectionsPerWorker + in.dbConnectionsBase;

  const Wide jobsPerDay = Wide{in.postsPerDay} * 2 + in.materialsPerDay;
  r.retainedJobs = ceilDiv(jobsPerDay * in.retentionHours, 24) + in.backlogJobs;
  r.redisBytes = r.retainedJobs * in.bytesPerJob;
  chooseTier(r);
  return r;
}

std::optional<std::uint64_t> percentile(std::vector<std::uint64_t> values, unsigned percent) {
  if (percent < 1 || percent > 100) {
    throw std::invalid_argument("percentile " + std::to_string(percent) + ": expected 1 to 100");
  }
  if (values.empty()) return std::nullopt;
  const std::size_t rank = ceilDiv(Wide{values.size()} * percent, 100);  // 1-based
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(rank - 1),
                   values.end());
  return values[rank - 1];
}

QueueObservation observeQueue(std::string queue, std::vector<std::uint64_t> durationsMs,
                              std::uint64_t waiting) {
  QueueObservation o;
  o.queue = std::move(queue);
  o.samples = durationsMs.size();
  o.p95Ms = percentile(std::move(durationsMs), 95);
  o.waiting = waiting;
  return o;
}

PlanInputs withObserved(PlanInputs in, const std::vector<QueueObservation>& observed) {
  for (const auto& o : observed) {
    std::uint64_t* stage = o.queue == kGenerateQueue  ? &in.generateMs
                           : o.queue == kPublishQueue ? &in.publishMs
                           : o.queue == kAnalyzeQueue ? &in.analyzeMs
                                                      : nullptr;
    if (stage != nullptr && o.p95Ms) *stage = std::min(*o.p95Ms, kMaxDurationMs);
  }
  for (const auto& o : observed) {
    const std::uint64_t perJob = o.p95Ms                     ? std::min(*o.p95Ms, kMaxDurationMs)
                                 : o.queue == kGenerateQueue ? in.generateMs
                                 : o.queue == kPublishQueue  ? in.publishMs
                                 : o.queue == kAnalyzeQueue  ? in.analyzeMs
                                                             : 0;
    in.backlogJobs += o.waiting;
    in.backlogWorkMs += o.waiting * perJob;
  }
  in.observations = observed;
  return in;
}

}  // namespace warren::sizing
