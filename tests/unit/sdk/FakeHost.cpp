#include "FakeHost.h"

#include <cstdlib>
#include <cstring>

namespace warren::test {
namespace {

// A HOST-OWNED buffer as the real host fills them (malloc, NUL-terminated).
void fill(warren_buffer* buffer, const std::string& text) {
  buffer->data = static_cast<char*>(std::malloc(text.size() + 1));
  std::memcpy(buffer->data, text.c_str(), text.size() + 1);
  buffer->len = text.size();
}

FakeJob& jobOf(const warren_job* job) {
  return *job->fake;
}
FakeHostState& hostOf(const warren_host* host) {
  return *host->fake;
}

std::string render(const char* kind, const char* name, const warren_pair* labels, std::size_t count,
                   double value) {
  std::string out = std::string(kind) + " " + name + "{";
  for (std::size_t i = 0; i < count; ++i) {
    out += std::string(i == 0 ? "" : ",") + labels[i].key + "=" + labels[i].value;
  }
  return out + "} " + std::to_string(value);
}

template <const char* Kind>
warren_status metric(const warren_host* host, const char* name, const warren_pair* labels,
                     std::size_t count, double value) {
  hostOf(host).metrics.push_back(render(Kind, name, labels, count, value));
  return hostOf(host).metricStatus;
}

constexpr char kCounter[] = "counter";
constexpr char kGauge[] = "gauge";
constexpr char kHistogram[] = "histogram";

const warren_log_api kLog = {
    sizeof(warren_log_api),
    [](const warren_host*, warren_log_level level) { return level >= WARREN_LOG_INFO ? 1 : 0; },
    [](const warren_host* host, warren_log_level level, const char* message, std::size_t len) {
      hostOf(host).logLines.emplace_back(level, std::string(message, len));
    }};

const warren_metrics_api kMetrics = {sizeof(warren_metrics_api), metric<kCounter>, metric<kGauge>,
                                     metric<kHistogram>};

const warren_config_api kConfig = {sizeof(warren_config_api),
                                   [](const warren_host* host, const char* key) -> const char* {
                                     for (const auto& [name, value] : hostOf(host).config) {
                                       if (name == key) return value.c_str();
                                     }
                                     return nullptr;
                                   }};

warren_status sink(const warren_job* job, std::vector<std::string>& into, const char* text,
                   std::size_t len) {
  if (jobOf(job).refuseSinks) return WARREN_ERR_UNAVAILABLE;
  into.emplace_back(text, len);
  return WARREN_OK;
}

const warren_job_api kJob = {
    sizeof(warren_job_api),
    [](const warren_job* job, std::size_t* len) {
      *len = jobOf(job).data.size();
      return jobOf(job).data.c_str();
    },
    [](const warren_job* job) { return jobOf(job).id.c_str(); },
    [](const warren_job* job) { return jobOf(job).name.c_str(); },
    [](const warren_job* job) { return jobOf(job).queue.c_str(); },
    [](const warren_job* job) { return jobOf(job).attempt; },
    [](const warren_job* job) { return jobOf(job).deadlineMs; },
    [](const warren_job* job) { return jobOf(job).cancelled ? 1 : 0; },
    [](const warren_job* job, std::uint32_t ms) {
      jobOf(job).waits.push_back(ms);
      return jobOf(job).cancelled ? 1 : 0;
    },
    [](const warren_job* job, const char* json, std::size_t len) {
      return sink(job, jobOf(job).progress, json, len);
    },
    [](const warren_job* job, const char* line, std::size_t len) {
      return sink(job, jobOf(job).logs, line, len);
    },
    [](const warren_job* job, const char* json, std::size_t len) -> warren_status {
      if (std::string(json, len) == kInvalidJson) return WARREN_ERR_INVALID;
      jobOf(job).result = std::string(json, len);
      return WARREN_OK;
    },
    [](const warren_job* job, const char* message, std::size_t len) -> warren_status {
      jobOf(job).error = std::string(message, len);
      return WARREN_OK;
    },
    [](const warren_job* job, std::int64_t epochMs) -> warren_status {
      jobOf(job).retryAt = epochMs;
      return WARREN_OK;
    },
    [](const warren_job* job) { return jobOf(job).cancelReason.c_str(); },
    [](const warren_job* job, const char* key, std::size_t len,
       warren_buffer* value) -> warren_status {
      FakeJob& fake = jobOf(job);
      if (fake.ledgerStatus != WARREN_OK) return fake.ledgerStatus;
      const auto it = fake.ledger.find(std::string(key, len));
      if (it == fake.ledger.end()) return WARREN_ERR_NOT_FOUND;
      fill(value, it->second);
      return WARREN_OK;
    },
    [](const warren_job* job, const char* key, std::size_t keyLen, const char* value,
       std::size_t valueLen, std::uint32_t ttl) -> warren_status {
      FakeJob& fake = jobOf(job);
      if (fake.ledgerStatus != WARREN_OK) return fake.ledgerStatus;
      fake.ledger[std::string(key, keyLen)] = std::string(value, valueLen);
      fake.ledgerTtls.push_back(ttl);
      return WARREN_OK;
    }};

void freeBuffer(warren_buffer* buffer) {
  std::free(buffer->data);
  buffer->data = nullptr;
  buffer->len = 0;
}

std::string orNull(const char* text) {
  return text != nullptr ? text : "NULL";
}

const warren_queue_api kQueue = {
    sizeof(warren_queue_api),
    [](const warren_host* host, const warren_job*, const char* queue, const char* name,
       const char* data, const char* opts, warren_buffer* jobId, warren_buffer*) -> warren_status {
      auto& calls = hostOf(host).queueCalls;
      calls.push_back("add " + orNull(queue) + " " + orNull(name) + " " + orNull(data) + " " +
                      orNull(opts));
      fill(jobId, "id-" + std::to_string(calls.size()));
      return WARREN_OK;
    },
    [](const warren_host* host, const char* queue, const char* id, const char* repeat,
       const char* job, warren_buffer*) -> warren_status {
      hostOf(host).queueCalls.push_back("upsert " + orNull(queue) + " " + orNull(id) + " " +
                                        orNull(repeat) + " " + orNull(job));
      return WARREN_OK;
    }};

}  // namespace

const warren_queue_api* fakeQueueApi() {
  return &kQueue;
}

warren_host_api fakeHostApi() {
  return warren_host_api{sizeof(warren_host_api),
                         WARREN_ABI_MAJOR,
                         WARREN_ABI_MINOR,
                         "fake",
                         freeBuffer,
                         &kLog,
                         &kMetrics,
                         &kConfig,
                         &kJob,
                         nullptr,
                         nullptr,
                         nullptr,
                         nullptr,
                         nullptr};
}

}  // namespace warren::test
