#include "metrics/ProcessMetrics.h"

#include <sys/resource.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace warren::metrics {

const std::vector<double> kJobDurationBuckets = {0.1, 0.5, 1, 5, 10, 30, 60};
const std::vector<double> kJobWaitBuckets = {0.05, 0.1, 0.5, 1,   5,    10,  30,
                                             60,   120, 300, 600, 1800, 3600};

namespace {

std::string readFile(const char* path) {
  std::ifstream in(path);
  if (!in) return {};
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The fields of /proc/self/stat after "(comm)", which may itself hold spaces and parentheses:
// fields[0] is field 3 (state) of proc(5).
std::vector<std::string> statFields() {
  const std::string stat = readFile("/proc/self/stat");
  const auto close = stat.rfind(')');
  if (close == std::string::npos) return {};
  std::istringstream rest(stat.substr(close + 1));
  std::vector<std::string> fields;
  for (std::string field; rest >> field;) fields.push_back(field);
  return fields;
}

std::optional<double> field(const std::vector<std::string>& fields, std::size_t procIndex) {
  const std::size_t i = procIndex - 3;  // proc(5) numbers fields from 1; (comm) is field 2
  if (i >= fields.size()) return std::nullopt;
  try {
    return std::stod(fields[i]);
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

std::optional<double> bootTimeSeconds() {
  std::istringstream stat(readFile("/proc/stat"));
  for (std::string line; std::getline(stat, line);) {
    if (line.rfind("btime ", 0) == 0) {
      try {
        return std::stod(line.substr(6));
      } catch (const std::exception&) {
        return std::nullopt;
      }
    }
  }
  return std::nullopt;
}

std::mutex& collectMutex() {
  static std::mutex m;
  return m;
}

}  // namespace

ProcessStats readProcessStats() {
  ProcessStats stats;
  const auto fields = statFields();
  const long ticks = ::sysconf(_SC_CLK_TCK);
  const long pageSize = ::sysconf(_SC_PAGESIZE);
  if (ticks > 0) {
    const auto utime = field(fields, 14);
    const auto stime = field(fields, 15);
    if (utime && stime) stats.cpuSeconds = (*utime + *stime) / static_cast<double>(ticks);
    const auto start = field(fields, 22);
    const auto boot = bootTimeSeconds();
    if (start && boot) stats.startTimeSeconds = *boot + *start / static_cast<double>(ticks);
  }
  stats.virtualBytes = field(fields, 23);
  if (const auto rss = field(fields, 24); rss && pageSize > 0) {
    stats.residentBytes = *rss * static_cast<double>(pageSize);
  }
  std::error_code error;
  std::filesystem::directory_iterator fds("/proc/self/fd", error);
  if (!error) {
    double count = 0;
    for (const auto& entry : fds) {
      (void)entry;
      ++count;
    }
    stats.openFds = count > 0 ? count - 1 : 0;  // not the descriptor that lists the directory
  }
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) == 0) {
    stats.maxFds = static_cast<double>(limit.rlim_cur);
  }
  return stats;
}

void collectProcessMetrics(Registry& registry) {
  const ProcessStats stats = readProcessStats();
  // The CPU counter mirrors the kernel's total: add what it grew by since the last scrape (one
  // scrape at a time, or two could add the same growth).
  std::lock_guard lock(collectMutex());
  if (stats.cpuSeconds) {
    const double seen = registry.value("process_cpu_seconds_total", {});
    registry.counterAdd("process_cpu_seconds_total", {},
                        *stats.cpuSeconds > seen ? *stats.cpuSeconds - seen : 0);
  }
  const std::pair<const char*, const std::optional<double>*> gauges[] = {
      {"process_resident_memory_bytes", &stats.residentBytes},
      {"process_virtual_memory_bytes", &stats.virtualBytes},
      {"process_open_fds", &stats.openFds},
      {"process_max_fds", &stats.maxFds},
      {"process_start_time_seconds", &stats.startTimeSeconds},
  };
  for (const auto& [name, value] : gauges) {
    if (*value) registry.gaugeSet(name, {}, **value);
  }
}

void describeHostMetrics(Registry& r) {
  using K = Kind;
  // Worker events (recorded by the queue engine).
  r.describe(names::jobsProcessed, K::counter,
             "Jobs finished by this node, by queue and final status (completed, failed).");
  r.describe(names::jobDuration, K::histogram,
             "Time from a job's start on this node to its result being written, in seconds.",
             kJobDurationBuckets);
  r.describe(names::jobWait, K::histogram,
             "Time a job waited between being enqueued and starting on this node, in seconds.",
             kJobWaitBuckets);
  r.describe(names::lockRenewalFailures, K::counter,
             "Job locks this node failed to renew (the job may run twice).");
  r.describe(names::stalledRecovered, K::counter,
             "Stalled jobs this node's stalled checker moved back to wait (or failed).");
  // Per-queue gauges (fed by the run command).
  r.describe(names::queueDepth, K::gauge,
             "Jobs ready to run and not started: wait + prioritized + delayed jobs already due.");
  r.describe(names::bullmqQueueDepth, K::gauge,
             "Jobs ready to run and not started in the BullMQ queue (wait + prioritized + delayed "
             "jobs already due; same value as worker_queue_depth, under the name autoscalers "
             "expect).");
  r.describe(names::activeJobs, K::gauge, "Jobs running on this node, by queue.");
  r.describe(names::concurrencySlots, K::gauge,
             "Concurrency slots this node gives the queue (jobs it may run at once).");
  r.describe(names::oldestWaitingAge, K::gauge,
             "Age of the oldest job waiting in the queue, in seconds (0 when none waits).");
  r.describe(names::pluginInfo, K::gauge,
             "Plugins loaded by this node: 1 for the generation serving jobs, 0 for one replaced.");
  r.describe(names::pluginReloads, K::counter,
             "Reloads of plugins and node config, by result (ok, refused).");
  r.describe(names::watchdogRebuilds, K::counter,
             "Times the watchdog rebuilt a queue worker's Redis connections because it had "
             "stopped consuming.");
  // Pools.
  r.describe(names::redisPoolConnections, K::gauge,
             "Redis connections of this node, by pool and state (open, busy).");
  r.describe(names::redisPoolMax, K::gauge, "Most Redis connections a pool may open.");
  r.describe(names::redisReconnects, K::counter,
             "Redis connections re-established after a loss (any server, any mode).");
  r.describe(names::redisFailovers, K::counter,
             "Redis masters replaced: Sentinel switches and Cluster replica promotions seen.");
  r.describe(names::redisRedirects, K::counter,
             "Redis Cluster redirections followed, by kind (moved, ask).");
  r.describe(names::dbPoolConnections, K::gauge,
             "Database sessions of this node, by pool (primary, replica) and state (idle, busy).");
  r.describe(names::dbPoolMax, K::gauge, "Most database sessions a pool may open.");
  r.describe(names::dbPoolWaitTimeouts, K::counter,
             "Requests for a database session that timed out because the pool was exhausted.");
  // Process (collected at scrape time).
  r.describe("process_cpu_seconds_total", K::counter,
             "Total user and system CPU time spent, in seconds.");
  r.describe("process_resident_memory_bytes", K::gauge, "Resident memory size, in bytes.");
  r.describe("process_virtual_memory_bytes", K::gauge, "Virtual memory size, in bytes.");
  r.describe("process_open_fds", K::gauge, "Number of open file descriptors.");
  r.describe("process_max_fds", K::gauge, "Maximum number of open file descriptors.");
  r.describe("process_start_time_seconds", K::gauge,
             "Start time of the process since the Unix epoch, in seconds.");
}

void setQueueDepth(Registry& registry, const std::string& queue, double waiting) {
  registry.gaugeSet(names::queueDepth, {{"queue", queue}}, waiting);
  registry.gaugeSet(names::bullmqQueueDepth, {{"queue", queue}}, waiting);
}

void setWorkerSlots(Registry& registry, const std::string& queue, double active,
                    double concurrency) {
  registry.gaugeSet(names::activeJobs, {{"queue", queue}}, active);
  registry.gaugeSet(names::concurrencySlots, {{"queue", queue}}, concurrency);
}

void setPluginInfo(Registry& registry, const std::string& plugin, const std::string& version,
                   std::uint64_t generation) {
  static std::mutex mutex;
  static std::map<std::pair<const Registry*, std::string>, Labels> current;
  const Labels labels = {
      {"plugin", plugin}, {"version", version}, {"generation", std::to_string(generation)}};
  std::lock_guard lock(mutex);
  auto& previous = current[{&registry, plugin}];
  if (!previous.empty() && previous != labels) registry.gaugeSet(names::pluginInfo, previous, 0);
  registry.gaugeSet(names::pluginInfo, labels, 1);
  previous = labels;
}

}  // namespace warren::metrics
