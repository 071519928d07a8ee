// Host metrics that are not recorded as events happen: the process figures read from /proc at
// scrape time, and the one place where every family the host exposes gets its HELP text (and
// histograms their buckets).
#pragma once

#include "metrics/Registry.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace warren::metrics {

// What /proc/self says about this process. Fields that could not be read are std::nullopt.
struct ProcessStats {
  std::optional<double> cpuSeconds;  // user + system
  std::optional<double> residentBytes;
  std::optional<double> virtualBytes;
  std::optional<double> openFds;
  std::optional<double> maxFds;            // soft RLIMIT_NOFILE
  std::optional<double> startTimeSeconds;  // since the Unix epoch
};

ProcessStats readProcessStats();

// Sets the process_* families in `registry` from readProcessStats(): process_cpu_seconds_total
// (counter), process_resident_memory_bytes, process_virtual_memory_bytes, process_open_fds,
// process_max_fds, process_start_time_seconds (gauges). Call at scrape time; thread-safe.
void collectProcessMetrics(Registry& registry = metrics::registry());

// HELP texts (and buckets) of every host family: the worker's, the per-queue gauges fed by the
// run command, plugin info, pools and process metrics. Idempotent. Call it before the workers
// start: a histogram observed before its buckets are described keeps the default buckets'
// counts, which the new buckets would misreport.
void describeHostMetrics(Registry& registry = metrics::registry());

// Buckets of worker_job_duration_seconds and worker_job_wait_seconds.
extern const std::vector<double> kJobDurationBuckets;  // 0.1 0.5 1 5 10 30 60
extern const std::vector<double> kJobWaitBuckets;

// Names of the families the host feeds (so callers do not spell them twice).
namespace names {
inline constexpr const char* jobsProcessed = "worker_jobs_processed_total";  // {queue,status}
inline constexpr const char* jobDuration = "worker_job_duration_seconds";    // {queue}
inline constexpr const char* jobWait = "worker_job_wait_seconds";            // {queue}
inline constexpr const char* lockRenewalFailures = "worker_lock_renewal_failures_total";
inline constexpr const char* stalledRecovered = "worker_stalled_jobs_recovered_total";
inline constexpr const char* queueDepth = "worker_queue_depth";              // {queue}
inline constexpr const char* bullmqQueueDepth = "bullmq_queue_depth";        // {queue}
inline constexpr const char* activeJobs = "worker_active_jobs";              // {queue}
inline constexpr const char* concurrencySlots = "worker_concurrency_slots";  // {queue}
inline constexpr const char* oldestWaitingAge = "worker_oldest_waiting_job_age_seconds";
inline constexpr const char* pluginInfo = "warren_plugin_info";  // {plugin,version,generation}
inline constexpr const char* pluginReloads = "warren_plugin_reloads_total";        // {result}
inline constexpr const char* watchdogRebuilds = "worker_watchdog_rebuilds_total";  // {queue}
inline constexpr const char* redisPoolConnections =
    "warren_redis_pool_connections";                                              // {pool,state}
inline constexpr const char* redisPoolMax = "warren_redis_pool_max_connections";  // {pool}
inline constexpr const char* redisReconnects = "warren_redis_reconnects_total";
inline constexpr const char* redisFailovers = "warren_redis_failovers_total";
inline constexpr const char* redisRedirects = "warren_redis_redirects_total";   // {kind}
inline constexpr const char* dbPoolConnections = "warren_db_pool_connections";  // {pool,state}
inline constexpr const char* dbPoolMax = "warren_db_pool_max_connections";      // {pool}
inline constexpr const char* dbPoolWaitTimeouts = "warren_db_pool_wait_timeouts_total";  // {pool}
}  // namespace names

// Convenience setters for the per-queue gauges (what the run command feeds per queue).
void setQueueDepth(Registry& registry, const std::string& queue, double waiting);  // both names
void setWorkerSlots(Registry& registry, const std::string& queue, double active,
                    double concurrency);
void setPluginInfo(Registry& registry, const std::string& plugin, const std::string& version,
                   std::uint64_t generation);

}  // namespace warren::metrics
