#include "plugins/HostApi.h"

#include "json/Json.h"
#include "log/Log.h"
#include "metrics/Registry.h"
#include "plugins/Instance.h"

#include <cstdlib>
#include <cstring>

namespace warren::plugins {
namespace {

const Instance& instanceOf(const warren_host* host) {
  return *host->instance;
}
JobContext& contextOf(const warren_job* job) {
  return *job->context;
}

log::Level levelOf(warren_log_level level) {
  return level > WARREN_LOG_ERROR ? log::Level::error : static_cast<log::Level>(level);
}

// Any JSON value is valid, scalars included (progress is usually a bare number).
bool validJson(const char* text, std::size_t len) {
  return json::valid(std::string_view(text, len));
}

// ---- buffers and logging ----

void bufferFree(warren_buffer* buffer) noexcept {
  if (buffer == nullptr) return;
  std::free(buffer->data);
  buffer->data = nullptr;
  buffer->len = 0;
}

int logEnabled(const warren_host*, warren_log_level level) noexcept {
  return log::enabled(levelOf(level)) ? 1 : 0;
}

void logWrite(const warren_host* host, warren_log_level level, const char* message,
              std::size_t len) noexcept {
  try {
    const Instance& instance = instanceOf(host);
    log::write(levelOf(level), std::string_view(message, len),
               {{"plugin", instance.info().name},
                {"plugin_version", instance.info().version},
                {"queue", instance.scope()}});
  } catch (...) {
  }
}

// ---- metrics ----

metrics::Labels labelsOf(const warren_pair* labels, std::size_t count) {
  metrics::Labels out;
  for (std::size_t i = 0; i < count; ++i) {
    if (labels[i].key == nullptr || labels[i].value == nullptr) {
      throw std::invalid_argument("label #" + std::to_string(i) + " has a NULL key or value");
    }
    out.emplace_back(labels[i].key, labels[i].value);
  }
  return out;
}

template <typename Fn>
warren_status metric(const warren_host* host, const char* name, Fn&& apply) noexcept {
  try {
    if (name == nullptr) throw std::invalid_argument("metric name is NULL");
    apply(metrics::registry());
    return WARREN_OK;
  } catch (const std::exception& e) {
    log::warn("plugin metric refused",
              {{"plugin", instanceOf(host).info().name}, {"reason", e.what()}});
    return WARREN_ERR_INVALID;
  }
}

warren_status counterAdd(const warren_host* host, const char* name, const warren_pair* labels,
                         std::size_t count, double delta) noexcept {
  return metric(host, name,
                [&](metrics::Registry& r) { r.counterAdd(name, labelsOf(labels, count), delta); });
}

warren_status gaugeSet(const warren_host* host, const char* name, const warren_pair* labels,
                       std::size_t count, double value) noexcept {
  return metric(host, name,
                [&](metrics::Registry& r) { r.gaugeSet(name, labelsOf(labels, count), value); });
}

warren_status histogramObserve(const warren_host* host, const char* name, const warren_pair* labels,
                               std::size_t count, double value) noexcept {
  return metric(host, name, [&](metrics::Registry& r) {
    r.histogramObserve(name, labelsOf(labels, count), value);
  });
}

// ---- config ----

const char* configGet(const warren_host* host, const char* key) noexcept {
  if (key == nullptr) return nullptr;
  try {
    return instanceOf(host).configValue(key);
  } catch (...) {
    return nullptr;
  }
}

// ---- per job ----

const char* jobData(const warren_job* job, std::size_t* len) noexcept {
  const std::string& data = contextOf(job).input().data;
  if (len != nullptr) *len = data.size();
  return data.c_str();
}
const char* jobId(const warren_job* job) noexcept {
  return contextOf(job).input().id.c_str();
}
const char* jobName(const warren_job* job) noexcept {
  return contextOf(job).input().name.c_str();
}
const char* jobQueue(const warren_job* job) noexcept {
  return contextOf(job).input().queue.c_str();
}
std::uint32_t jobAttempt(const warren_job* job) noexcept {
  return contextOf(job).input().attempt;
}
std::int64_t jobDeadline(const warren_job* job) noexcept {
  return contextOf(job).input().deadlineMs;
}
int jobCancelled(const warren_job* job) noexcept {
  return contextOf(job).cancelled() ? 1 : 0;
}
int jobWaitCancelled(const warren_job* job, std::uint32_t timeoutMs) noexcept {
  return contextOf(job).waitCancelled(timeoutMs) ? 1 : 0;
}

warren_status jobProgress(const warren_job* job, const char* json, std::size_t len) noexcept {
  try {
    if (json == nullptr || !validJson(json, len)) return WARREN_ERR_INVALID;
    const auto& sink = contextOf(job).sinks().progress;
    if (sink && !sink(std::string(json, len))) return WARREN_ERR_UNAVAILABLE;
    return WARREN_OK;
  } catch (...) {
    return WARREN_ERR_INTERNAL;
  }
}

warren_status jobLog(const warren_job* job, const char* line, std::size_t len) noexcept {
  try {
    if (line == nullptr) return WARREN_ERR_INVALID;
    const auto& sink = contextOf(job).sinks().log;
    if (sink && !sink(std::string(line, len))) return WARREN_ERR_UNAVAILABLE;
    return WARREN_OK;
  } catch (...) {
    return WARREN_ERR_INTERNAL;
  }
}

warren_status jobSetResult(const warren_job* job, const char* json, std::size_t len) noexcept {
  try {
    if (json == nullptr || !validJson(json, len)) return WARREN_ERR_INVALID;
    contextOf(job).setResult(std::string(json, len));
    return WARREN_OK;
  } catch (...) {
    return WARREN_ERR_INTERNAL;
  }
}

warren_status jobSetError(const warren_job* job, const char* message, std::size_t len) noexcept {
  try {
    if (message == nullptr) return WARREN_ERR_INVALID;
    contextOf(job).setError(std::string(message, len));
    return WARREN_OK;
  } catch (...) {
    return WARREN_ERR_INTERNAL;
  }
}

warren_status jobSetRetryAt(const warren_job* job, std::int64_t epochMs) noexcept {
  contextOf(job).setRetryAt(epochMs);
  return WARREN_OK;
}

const char* jobCancelReason(const warren_job* job) noexcept {
  return contextOf(job).cancelReason();
}

// The ledger has no error text in the ABI: a failure is logged here, and the plugin sees
// WARREN_ERR_UNAVAILABLE.
warren_status ledgerFailure(const JobContext& context, const char* what, const std::exception& e) {
  log::warn(std::string("idempotency ledger ") + what + " failed",
            {{"queue", context.input().queue}, {"jobId", context.input().id}, {"error", e.what()}});
  return WARREN_ERR_UNAVAILABLE;
}

warren_status jobOnceGet(const warren_job* job, const char* key, std::size_t keyLen,
                         warren_buffer* value) noexcept {
  JobContext& context = contextOf(job);
  try {
    if (key == nullptr || keyLen == 0) return WARREN_ERR_INVALID;
    const auto& ledger = context.sinks().ledger;
    if (!ledger) return WARREN_ERR_UNAVAILABLE;
    const auto recorded = ledger->get(context.input(), std::string_view(key, keyLen));
    if (!recorded) return WARREN_ERR_NOT_FOUND;
    return fillBuffer(value, *recorded) ? WARREN_OK : WARREN_ERR_INTERNAL;
  } catch (const std::exception& e) {
    return ledgerFailure(context, "read", e);
  }
}

warren_status jobOncePut(const warren_job* job, const char* key, std::size_t keyLen,
                         const char* valueJson, std::size_t valueLen, std::uint32_t ttlS) noexcept {
  JobContext& context = contextOf(job);
  try {
    if (key == nullptr || keyLen == 0 || ttlS == 0) return WARREN_ERR_INVALID;
    if (valueJson == nullptr || !validJson(valueJson, valueLen)) return WARREN_ERR_INVALID;
    const auto& ledger = context.sinks().ledger;
    if (!ledger) return WARREN_ERR_UNAVAILABLE;
    ledger->put(context.input(), std::string_view(key, keyLen),
                std::string_view(valueJson, valueLen), ttlS);
    return WARREN_OK;
  } catch (const std::exception& e) {
    return ledgerFailure(context, "write", e);
  }
}

const warren_log_api kLog = {sizeof(warren_log_api), logEnabled, logWrite};
const warren_metrics_api kMetrics = {sizeof(warren_metrics_api), counterAdd, gaugeSet,
                                     histogramObserve};
const warren_config_api kConfig = {sizeof(warren_config_api), configGet};
const warren_job_api kJob = {sizeof(warren_job_api),
                             jobData,
                             jobId,
                             jobName,
                             jobQueue,
                             jobAttempt,
                             jobDeadline,
                             jobCancelled,
                             jobWaitCancelled,
                             jobProgress,
                             jobLog,
                             jobSetResult,
                             jobSetError,
                             jobSetRetryAt,
                             jobCancelReason,
                             jobOnceGet,
                             jobOncePut};

warren_host_api& table() {
  static warren_host_api api = {sizeof(warren_host_api),
                                WARREN_ABI_MAJOR,
                                WARREN_ABI_MINOR,
                                WARREN_HOST_VERSION,
                                bufferFree,
                                &kLog,
                                &kMetrics,
                                &kConfig,
                                &kJob,
                                nullptr,   // http: installed by the host when configured
                                nullptr,   // db: installed by the host when configured
                                nullptr,   // storage: installed by the host when configured
                                nullptr,   // ai: installed by the host when configured
                                nullptr};  // queue: installed by the host when configured
  return api;
}

}  // namespace

const warren_host_api* hostApi() {
  return &table();
}

void installServices(const OptionalServices& services) {
  warren_host_api& api = table();
  api.http = services.http;
  api.db = services.db;
  api.storage = services.storage;
  api.ai = services.ai;
}

void installQueueService(const warren_queue_api* queue) {
  table().queue = queue;
}

bool fillBuffer(warren_buffer* buffer, std::string_view text) noexcept {
  if (buffer == nullptr) return true;
  auto* data = static_cast<char*>(std::malloc(text.size() + 1));
  if (data == nullptr) return false;
  if (!text.empty()) std::memcpy(data, text.data(), text.size());
  data[text.size()] = '\0';
  buffer->data = data;
  buffer->len = text.size();
  return true;
}

std::string_view pluginNameOf(const warren_host* host) noexcept {
  if (host == nullptr || host->instance == nullptr) return {};
  return host->instance->info().name;
}

}  // namespace warren::plugins
