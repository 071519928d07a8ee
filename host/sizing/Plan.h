// Capacity planning (`warren plan`): from posts and materials per day to workers, database
// connections, Redis memory and a tier. Pure arithmetic; the formula and worked figures are in
// docs/sizing.md. With --observed, the command reads p95 durations and queue depths from Redis
// and passes them in through withObserved().
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace warren::sizing {

// The queues of the content pipeline: a post is generated, then published; a material is
// analysed.
inline constexpr std::string_view kGenerateQueue = "content-generate";
inline constexpr std::string_view kPublishQueue = "post-publish";
inline constexpr std::string_view kAnalyzeQueue = "content-analyze";
inline constexpr std::string_view kAnalyticsQueue = "analytics-collect";

// What Redis showed for one queue.
struct QueueObservation {
  std::string queue;
  std::size_t samples = 0;             // completed jobs with both processedOn and finishedOn
  std::optional<std::uint64_t> p95Ms;  // nothing without samples
  std::uint64_t waiting = 0;           // jobs waiting now
};

struct PlanInputs {
  std::uint64_t postsPerDay = 0;      // ≤ 1,000,000,000
  std::uint64_t materialsPerDay = 0;  // ≤ 1,000,000,000
  // The peak: this share of the day's jobs arrives within this many hours (40 % in 4 h is 2.4×
  // the average rate).
  std::uint32_t peakSharePercent = 40;  // 1 … 100
  std::uint32_t peakHours = 4;          // 1 … 24
  std::uint64_t generateMs = 10000;     // per post, content-generate (≤ one day)
  std::uint64_t publishMs = 2000;       // per post, post-publish
  std::uint64_t analyzeMs = 5000;       // per material, content-analyze
  std::uint32_t concurrencyPerWorker = 5;
  std::uint32_t minWorkers = 2;  // high availability
  std::uint32_t dbConnectionsPerWorker = 10;
  std::uint32_t dbConnectionsBase = 20;
  std::uint64_t bytesPerJob = 10 * 1024;  // Redis memory of one retained job (≤ 1 MiB)
  std::uint32_t retentionHours = 24;      // finished jobs are kept this long (≤ 8760)
  // Observed backlog: jobs waiting now, and the work they hold (Σ waiting × p95). The backlog
  // is to be cleared within the peak window on top of the peak traffic.
  std::uint64_t backlogJobs = 0;
  std::uint64_t backlogWorkMs = 0;
  std::vector<QueueObservation> observations;  // reported as given
};

struct PlanResult {
  double peakFactor = 0;  // peak rate / average rate
  double peakPostsPerSecond = 0;
  double peakMaterialsPerSecond = 0;
  double busySlots = 0;             // jobs running at once at peak (Little's law)
  std::uint64_t workers = 0;        // max(minWorkers, ceil(busySlots / concurrencyPerWorker))
  std::uint64_t slots = 0;          // workers × concurrencyPerWorker
  std::uint64_t dbConnections = 0;  // workers × dbConnectionsPerWorker + dbConnectionsBase
  std::uint64_t retainedJobs = 0;   // ceil((2·posts + materials) × retention / 24 h) + backlog
  std::uint64_t redisBytes = 0;     // retainedJobs × bytesPerJob
  std::string tier;                 // smallest tier whose node budget covers `slots`
  std::uint64_t tierNodes = 1;      // nodes of that tier; above 1 only beyond performance
};

// Throws std::invalid_argument naming the input outside its range.
PlanResult plan(const PlanInputs& inputs);

// The `percent` percentile by nearest rank (the smallest value with at least percent % of the
// values at or below it); nothing for no values. percent is 1 … 100.
std::optional<std::uint64_t> percentile(std::vector<std::uint64_t> values, unsigned percent);

// Summarises one queue: sample count, p95 of the durations, depth.
QueueObservation observeQueue(std::string queue, std::vector<std::uint64_t> durationsMs,
                              std::uint64_t waiting);

// Replaces the default durations by the observed p95 of content-generate, post-publish and
// content-analyze (when they have samples) and adds every queue's depth to the backlog (its
// work at the queue's p95, else the default duration of a pipeline queue, else nothing).
PlanInputs withObserved(PlanInputs inputs, const std::vector<QueueObservation>& observed);

}  // namespace warren::sizing
