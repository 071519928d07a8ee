#include "sizing/PlanReport.h"

#include "log/Log.h"
#include "sizing/Profiles.h"

#include <array>
#include <cstdio>
#include <iomanip>
#include <sstream>

namespace warren::sizing {
namespace {

std::string printf1(const char* format, double value) {
  std::array<char, 64> buffer{};
  std::snprintf(buffer.data(), buffer.size(), format, value);
  return buffer.data();
}

bool observedStage(const PlanInputs& in, std::string_view queue) {
  for (const auto& o : in.observations) {
    if (o.queue == queue && o.p95Ms) return true;
  }
  return false;
}

std::string stage(const PlanInputs& in, const char* label, std::uint64_t ms,
                  std::string_view queue) {
  return std::string(label) + " " + humanSeconds(ms) +
         (observedStage(in, queue) ? " (observed p95)" : "");
}

void row(std::ostringstream& out, const std::string& name, const std::string& value,
         const std::string& why) {
  out << "  " << std::left << std::setw(16) << name << std::setw(12) << value << why << "\n";
}

std::string tierText(const PlanResult& r) {
  const TierDefaults t = tierDefaults(r.tier);
  std::string text = printf1("%g vCPU, ", t.cpuMillis / 1000.0) + humanBytes(t.memoryMiB << 20) +
                     ", node budget " + std::to_string(t.nodeBudget);
  if (r.tierNodes > 1) {
    return std::to_string(r.tierNodes) + " nodes of " + text + " for " + std::to_string(r.slots) +
           " slots";
  }
  return text + " covers " + std::to_string(r.slots) + " slots";
}

void observedTable(std::ostringstream& out, const PlanInputs& in) {
  out << "\nObserved (most recent completed jobs, up to 1000 per queue):\n";
  std::size_t width = 5;
  for (const auto& o : in.observations) width = std::max(width, o.queue.size());
  out << "  " << std::left << std::setw(static_cast<int>(width)) << "QUEUE"
      << "  SAMPLES  P95       WAITING\n";
  for (const auto& o : in.observations) {
    out << "  " << std::left << std::setw(static_cast<int>(width)) << o.queue << "  " << std::right
        << std::setw(7) << o.samples << "  " << std::left << std::setw(8)
        << (o.p95Ms ? humanSeconds(*o.p95Ms) : "-") << "  " << std::right << std::setw(7)
        << o.waiting << "\n";
  }
}

void jsonField(std::string& out, const char* key, const std::string& literal) {
  if (out.back() != '{') out += ',';
  log::appendJsonString(out, key);
  out += ':' + literal;
}

std::string jsonNumber(double value) {
  return printf1("%.6g", value);
}

std::string jsonString(std::string_view text) {
  std::string out;
  log::appendJsonString(out, text);
  return out;
}

std::string inputsJson(const PlanInputs& in) {
  std::string out = "{";
  jsonField(out, "postsPerDay", std::to_string(in.postsPerDay));
  jsonField(out, "materialsPerDay", std::to_string(in.materialsPerDay));
  jsonField(out, "peakSharePercent", std::to_string(in.peakSharePercent));
  jsonField(out, "peakHours", std::to_string(in.peakHours));
  jsonField(out, "generateMs", std::to_string(in.generateMs));
  jsonField(out, "publishMs", std::to_string(in.publishMs));
  jsonField(out, "analyzeMs", std::to_string(in.analyzeMs));
  jsonField(out, "concurrencyPerWorker", std::to_string(in.concurrencyPerWorker));
  jsonField(out, "minWorkers", std::to_string(in.minWorkers));
  jsonField(out, "dbConnectionsPerWorker", std::to_string(in.dbConnectionsPerWorker));
  jsonField(out, "dbConnectionsBase", std::to_string(in.dbConnectionsBase));
  jsonField(out, "bytesPerJob", std::to_string(in.bytesPerJob));
  jsonField(out, "retentionHours", std::to_string(in.retentionHours));
  jsonField(out, "backlogJobs", std::to_string(in.backlogJobs));
  jsonField(out, "backlogWorkMs", std::to_string(in.backlogWorkMs));
  return out + "}";
}

std::string resultJson(const PlanResult& r) {
  std::string out = "{";
  jsonField(out, "peakFactor", jsonNumber(r.peakFactor));
  jsonField(out, "peakPostsPerSecond", jsonNumber(r.peakPostsPerSecond));
  jsonField(out, "peakMaterialsPerSecond", jsonNumber(r.peakMaterialsPerSecond));
  jsonField(out, "busySlots", jsonNumber(r.busySlots));
  jsonField(out, "workers", std::to_string(r.workers));
  jsonField(out, "slots", std::to_string(r.slots));
  jsonField(out, "dbConnections", std::to_string(r.dbConnections));
  jsonField(out, "retainedJobs", std::to_string(r.retainedJobs));
  jsonField(out, "redisBytes", std::to_string(r.redisBytes));
  jsonField(out, "tier", jsonString(r.tier));
  jsonField(out, "tierNodes", std::to_string(r.tierNodes));
  return out + "}";
}

std::string observedJson(const std::vector<QueueObservation>& observed) {
  std::string out = "[";
  for (const auto& o : observed) {
    if (out.size() > 1) out += ',';
    std::string item = "{";
    jsonField(item, "queue", jsonString(o.queue));
    jsonField(item, "samples", std::to_string(o.samples));
    jsonField(item, "p95Ms", o.p95Ms ? std::to_string(*o.p95Ms) : "null");
    jsonField(item, "waiting", std::to_string(o.waiting));
    out += item + "}";
  }
  return out + "]";
}

}  // namespace

std::string humanBytes(std::uint64_t bytes) {
  static constexpr std::array<const char*, 5> kUnits = {"KiB", "MiB", "GiB", "TiB", "PiB"};
  if (bytes < 1024) return std::to_string(bytes) + " B";
  double value = static_cast<double>(bytes) / 1024.0;
  std::size_t unit = 0;
  while (value >= 1024.0 && unit + 1 < kUnits.size()) {
    value /= 1024.0;
    ++unit;
  }
  return printf1("%.1f ", value) + kUnits[unit];
}

std::string humanSeconds(std::uint64_t ms) {
  if (ms % 1000 == 0 || ms >= 100000) return std::to_string((ms + 500) / 1000) + " s";
  return printf1("%.3g s", static_cast<double>(ms) / 1000.0);
}

std::string planTable(const PlanInputs& in, const PlanResult& r) {
  std::ostringstream out;
  out << "Capacity plan: " << in.postsPerDay << " posts/day, " << in.materialsPerDay
      << " materials/day\n";
  out << "Peak: " << in.peakSharePercent << "% of the day in " << in.peakHours
      << " h = " << printf1("%g", r.peakFactor) << "x the average rate ("
      << printf1("%.3g", r.peakPostsPerSecond) << " posts/s, "
      << printf1("%.3g", r.peakMaterialsPerSecond) << " materials/s)\n";
  out << "Time per job: " << stage(in, "generate", in.generateMs, kGenerateQueue) << ", "
      << stage(in, "publish", in.publishMs, kPublishQueue) << ", "
      << stage(in, "analyze", in.analyzeMs, kAnalyzeQueue) << "\n";
  if (in.backlogJobs > 0) {
    out << "Backlog: " << in.backlogJobs << " jobs waiting, cleared within the peak window\n";
  }
  out << "Jobs running at once at peak: " << printf1("%.2f", r.busySlots) << "\n\n";
  row(out, "workers", std::to_string(r.workers),
      std::to_string(in.concurrencyPerWorker) + " jobs at once each; at least " +
          std::to_string(in.minWorkers) + " for high availability");
  row(out, "DB connections", std::to_string(r.dbConnections),
      "workers x " + std::to_string(in.dbConnectionsPerWorker) + " + " +
          std::to_string(in.dbConnectionsBase));
  row(out, "Redis memory", humanBytes(r.redisBytes),
      std::to_string(r.retainedJobs) + " jobs retained x " + humanBytes(in.bytesPerJob) +
          " (finished jobs kept " + std::to_string(in.retentionHours) + " h" +
          (in.backlogJobs > 0 ? ", plus the backlog)" : ")"));
  row(out, "tier", r.tier, tierText(r));
  if (!in.observations.empty()) observedTable(out, in);
  return out.str();
}

std::string planJson(const PlanInputs& in, const PlanResult& r) {
  return "{\"inputs\":" + inputsJson(in) + ",\"result\":" + resultJson(r) +
         ",\"observed\":" + observedJson(in.observations) + "}";
}

}  // namespace warren::sizing
