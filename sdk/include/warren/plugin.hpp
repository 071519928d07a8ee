// Warren plugin SDK: header-only C++17 wrapper over the C ABI in <warren/plugin.h>.
//
// A plugin derives from warren::Plugin, implements handle(Job&), and emits its entry point with
// WARREN_PLUGIN(...). Every call from the host goes through a noexcept trampoline here that
// catches every exception: an exception thrown from handle() fails the job as retryable.
//
// Thread rules are those of plugin.h: init/shutdown on the control thread, handle() concurrently
// on host threads, so a Plugin's members used by handle() must be safe to read concurrently.
#ifndef WARREN_PLUGIN_HPP
#define WARREN_PLUGIN_HPP

#include <warren/plugin.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <exception>
#include <initializer_list>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace warren {

// Thrown by the wrapper when the host lacks a service (an older host, or one not configured).
class ServiceUnavailable : public std::runtime_error {
 public:
  explicit ServiceUnavailable(const char* service)
      : std::runtime_error(std::string("the host provides no ") + service +
                           " service (it is NULL in the host's service table)") {}
};

// Thrown when a host service call fails; code() is the warren_status.
class ServiceError : public std::runtime_error {
 public:
  ServiceError(warren_status code, const std::string& message)
      : std::runtime_error(message), code_(code) {}
  warren_status code() const { return code_; }

 private:
  warren_status code_;
};

// Thrown by Ai::complete and Ai::embed (ABI 1.2). retryAtMs() is set with
// WARREN_ERR_RETRY_LATER: return Result::delayUntil(e.retryAtMs(), e.what()) so the job waits in
// BullMQ's delayed set, not in a job slot.
class AiError : public ServiceError {
 public:
  AiError(warren_status code, const std::string& message, bool retryable, std::int64_t retryAtMs)
      : ServiceError(code, message), retryable_(retryable), retryAtMs_(retryAtMs) {}
  bool retryable() const { return retryable_; }
  std::int64_t retryAtMs() const { return retryAtMs_; }

 private:
  bool retryable_;
  std::int64_t retryAtMs_;
};

namespace detail {

// Moves a host-filled buffer into a std::string and frees it.
inline std::string take(const warren_host_api* api, warren_buffer& buffer) {
  std::string text = buffer.data != nullptr ? std::string(buffer.data, buffer.len) : std::string();
  api->buffer_free(&buffer);
  return text;
}

// True when the host's table is large enough to hold `member` and it is set.
template <typename Table, typename Member>
bool provides(const Table* table, Member Table::*member) {
  if (table == nullptr) return false;
  const auto* base = reinterpret_cast<const char*>(table);
  const auto* field = reinterpret_cast<const char*>(&(table->*member));
  return static_cast<std::size_t>(field - base) + sizeof(Member) <= table->struct_size &&
         (table->*member) != nullptr;
}

}  // namespace detail

// The outcome of one job.
class Result {
 public:
  static Result completed(std::string json = "null") {
    return Result(WARREN_JOB_COMPLETED, std::move(json));
  }
  static Result retry(std::string message) {
    return Result(WARREN_JOB_FAILED_RETRYABLE, std::move(message));
  }
  static Result fail(std::string message) {
    return Result(WARREN_JOB_FAILED_UNRECOVERABLE, std::move(message));
  }
  // ABI 1.2: the job waits in BullMQ's delayed set until `epochMs` without spending an attempt.
  static Result delayUntil(std::int64_t epochMs, std::string reason = {}) {
    return Result(WARREN_JOB_DELAYED, std::move(reason), epochMs);
  }
  // ABI 1.2: the whole queue pauses until `epochMs`; the job goes back to wait unspent.
  static Result rateLimited(std::int64_t epochMs, std::string reason = {}) {
    return Result(WARREN_JOB_RATE_LIMITED, std::move(reason), epochMs);
  }
  warren_job_outcome outcome() const { return outcome_; }
  const std::string& text() const { return text_; }
  std::int64_t retryAtMs() const { return retryAtMs_; }

 private:
  Result(warren_job_outcome outcome, std::string text, std::int64_t retryAtMs = 0)
      : outcome_(outcome), text_(std::move(text)), retryAtMs_(retryAtMs) {}
  warren_job_outcome outcome_;
  std::string text_;
  std::int64_t retryAtMs_;
};

// One job, valid during handle() only.
class Job {
 public:
  Job(const warren_host_api* api, const warren_job* job) : api_(api), job_(job) {}

  std::string_view data() const {
    std::size_t len = 0;
    const char* text = api_->job->data(job_, &len);
    return std::string_view(text, len);
  }
  std::string_view id() const { return api_->job->id(job_); }
  std::string_view name() const { return api_->job->name(job_); }
  std::string_view queue() const { return api_->job->queue(job_); }
  std::uint32_t attempt() const { return api_->job->attempt(job_); }
  std::int64_t deadlineMs() const { return api_->job->deadline_ms(job_); }
  bool cancelled() const { return api_->job->is_cancelled(job_) != 0; }
  // Sleeps for `duration`; returns true early when the job is cancelled.
  bool waitCancelled(std::chrono::milliseconds duration) const {
    const auto ms = duration.count() < 0 ? 0 : duration.count();
    return api_->job->wait_cancelled(job_, static_cast<std::uint32_t>(ms)) != 0;
  }
  void progress(int percent) const { progressJson(std::to_string(percent)); }
  void progressJson(std::string_view json) const {
    check(api_->job->progress(job_, json.data(), json.size()), "progress");
  }
  void log(std::string_view line) const {
    check(api_->job->log(job_, line.data(), line.size()), "job log");
  }
  // ABI 1.2: why the host asked the job to stop, or "" while it did not.
  std::string_view cancelReason() const {
    if (!detail::provides(api_->job, &warren_job_api::cancel_reason)) return {};
    const char* reason = api_->job->cancel_reason(job_);
    return reason != nullptr ? std::string_view(reason) : std::string_view();
  }
  // ABI 1.2: runs `fn` (returning the JSON text to record) unless this job already ran it to the
  // end under `key` in an earlier run; returns what was recorded. The record lives `ttl`.
  template <typename Fn>
  std::string once(std::string_view key, Fn&& fn,
                   std::chrono::seconds ttl = std::chrono::hours(24 * 7)) const {
    if (!detail::provides(api_->job, &warren_job_api::once_get) ||
        !detail::provides(api_->job, &warren_job_api::once_put)) {
      throw ServiceUnavailable("idempotency ledger");
    }
    warren_buffer recorded{};
    const warren_status found = api_->job->once_get(job_, key.data(), key.size(), &recorded);
    if (found == WARREN_OK) return detail::take(api_, recorded);
    api_->buffer_free(&recorded);
    if (found != WARREN_ERR_NOT_FOUND) check(found, "idempotency ledger read");
    std::string value = fn();
    check(api_->job->once_put(job_, key.data(), key.size(), value.data(), value.size(),
                              static_cast<std::uint32_t>(ttl.count())),
          "idempotency ledger write");
    return value;
  }
  const warren_job* raw() const { return job_; }
  const warren_host_api* api() const { return api_; }

 private:
  static void check(warren_status status, const char* what) {
    if (status != WARREN_OK) {
      throw ServiceError(status, std::string(what) + " was refused by the host");
    }
  }
  const warren_host_api* api_;
  const warren_job* job_;
};

// The host as seen by one plugin instance: logging, metrics, config and the optional services.
class Host {
 public:
  Host(const warren_host_api* api, const warren_host* host) : api_(api), host_(host) {}

  void log(warren_log_level level, std::string_view message) const {
    api_->log->write(host_, level, message.data(), message.size());
  }
  bool logEnabled(warren_log_level level) const { return api_->log->enabled(host_, level) != 0; }
  void info(std::string_view message) const { log(WARREN_LOG_INFO, message); }
  void warn(std::string_view message) const { log(WARREN_LOG_WARN, message); }
  void error(std::string_view message) const { log(WARREN_LOG_ERROR, message); }

  using Labels = std::initializer_list<warren_pair>;
  void counter(const char* name, Labels labels, double delta = 1.0) const {
    metric(api_->metrics->counter_add, name, labels, delta);
  }
  void gauge(const char* name, Labels labels, double value) const {
    metric(api_->metrics->gauge_set, name, labels, value);
  }
  void observe(const char* name, Labels labels, double value) const {
    metric(api_->metrics->histogram_observe, name, labels, value);
  }

  // Config values (validated against the declared schema before init).
  bool has(const char* key) const { return api_->config->get(host_, key) != nullptr; }
  std::string getString(const char* key, std::string fallback = {}) const {
    const char* value = api_->config->get(host_, key);
    return value != nullptr ? std::string(value) : fallback;
  }
  std::int64_t getInt(const char* key, std::int64_t fallback = 0) const {
    const char* value = api_->config->get(host_, key);
    return value != nullptr ? std::stoll(value) : fallback;
  }
  double getDouble(const char* key, double fallback = 0.0) const {
    const char* value = api_->config->get(host_, key);
    return value != nullptr ? std::stod(value) : fallback;
  }
  bool getBool(const char* key, bool fallback = false) const {
    const char* value = api_->config->get(host_, key);
    if (value == nullptr) return fallback;
    const std::string_view v(value);
    return v == "true" || v == "1" || v == "yes" || v == "on";
  }

  const warren_http_api& http() const {
    if (!detail::provides(api_, &warren_host_api::http)) throw ServiceUnavailable("http");
    return *api_->http;
  }
  const warren_db_api& db() const {
    if (!detail::provides(api_, &warren_host_api::db)) throw ServiceUnavailable("database");
    return *api_->db;
  }
  const warren_storage_api& storage() const {
    if (!detail::provides(api_, &warren_host_api::storage)) {
      throw ServiceUnavailable("object storage");
    }
    return *api_->storage;
  }
  // ABI 1.2: AI models (see Ai below) and BullMQ queues.
  bool hasAi() const { return detail::provides(api_, &warren_host_api::ai); }
  const warren_ai_api& ai() const {
    if (!hasAi()) throw ServiceUnavailable("AI");
    return *api_->ai;
  }
  const warren_queue_api& queues() const {
    if (!detail::provides(api_, &warren_host_api::queue)) throw ServiceUnavailable("queue");
    return *api_->queue;
  }
  std::string take(warren_buffer& buffer) const { return detail::take(api_, buffer); }
  const warren_host_api* api() const { return api_; }
  const warren_host* raw() const { return host_; }

 private:
  template <typename Fn>
  void metric(Fn fn, const char* name, Labels labels, double value) const {
    const warren_status status = fn(host_, name, labels.begin(), labels.size(), value);
    if (status != WARREN_OK) {
      throw ServiceError(status, std::string("metric '") + name + "' was refused by the host");
    }
  }
  const warren_host_api* api_;
  const warren_host* host_;
};

// The AI service as strings of JSON (docs/ai.md). Calls throw AiError on failure.
class Ai {
 public:
  explicit Ai(const Host& host) : host_(host) {}

  // False when no provider serves `capability` (WARREN_AI_COMPLETE, WARREN_AI_EMBED) for this
  // queue, or the host has no AI service: use the offline method.
  bool available(std::uint32_t capability) const {
    return host_.hasAi() && host_.ai().available(host_.raw(), capability) != 0;
  }
  std::string complete(const Job* job, std::string_view requestJson) const {
    return call(host_.ai().complete, job, requestJson);
  }
  std::string embed(const Job* job, std::string_view requestJson) const {
    return call(host_.ai().embed, job, requestJson);
  }

 private:
  template <typename Fn>
  std::string call(Fn fn, const Job* job, std::string_view request) const {
    warren_buffer response{};
    warren_ai_error error{};
    error.struct_size = sizeof(warren_ai_error);
    const warren_status status = fn(host_.raw(), job != nullptr ? job->raw() : nullptr,
                                    request.data(), request.size(), &response, &error);
    std::string message = host_.take(error.message);
    if (status == WARREN_OK) return host_.take(response);
    host_.api()->buffer_free(&response);
    if (message.empty()) message = "AI call failed with status " + std::to_string(status);
    throw AiError(status, message, error.retryable != 0, error.retry_at_ms);
  }
  Host host_;
};

// Base class of a plugin. One instance per (plugin, queue) on a node.
class Plugin {
 public:
  explicit Plugin(const Host& host) : host_(host) {}
  virtual ~Plugin() = default;
  Plugin(const Plugin&) = delete;
  Plugin& operator=(const Plugin&) = delete;

  virtual Result handle(Job& job) = 0;

 protected:
  const Host& host() const { return host_; }

 private:
  Host host_;
};

namespace detail {

inline void copyError(char* out, std::size_t out_len, const char* text) {
  if (out == nullptr || out_len == 0) return;
  std::snprintf(out, out_len, "%s", text);
}

template <typename T>
struct Instance {
  const warren_host_api* api;
  T* plugin;
};

template <typename T>
warren_status init(const warren_host_api* api, const warren_host* host, warren_plugin_state** state,
                   char* error, std::size_t error_len) noexcept {
  try {
    auto* instance = new Instance<T>{api, nullptr};
    try {
      instance->plugin = new T(Host(api, host));
    } catch (...) {
      delete instance;
      throw;
    }
    *state = reinterpret_cast<warren_plugin_state*>(instance);
    return WARREN_OK;
  } catch (const std::exception& e) {
    copyError(error, error_len, e.what());
  } catch (...) {
    copyError(error, error_len, "unknown exception in plugin constructor");
  }
  return WARREN_ERR_INTERNAL;
}

inline void setError(const warren_host_api* api, const warren_job* job, const std::string& text) {
  api->job->set_error(job, text.data(), text.size());
}

template <typename T>
warren_job_outcome handle(warren_plugin_state* state, const warren_job* job) noexcept {
  auto* instance = reinterpret_cast<Instance<T>*>(state);
  const warren_host_api* api = instance->api;
  try {
    Job wrapped(api, job);
    Result result = instance->plugin->handle(wrapped);
    if (result.outcome() == WARREN_JOB_COMPLETED) {
      if (api->job->set_result(job, result.text().data(), result.text().size()) != WARREN_OK) {
        setError(api, job, "plugin returned a value that is not valid JSON");
        return WARREN_JOB_FAILED_RETRYABLE;
      }
    } else {
      setError(api, job, result.text());
      if (result.outcome() == WARREN_JOB_DELAYED || result.outcome() == WARREN_JOB_RATE_LIMITED) {
        api->job->set_retry_at(job, result.retryAtMs());
      }
    }
    return result.outcome();
  } catch (const std::exception& e) {
    try {
      setError(api, job, std::string("unhandled exception: ") + e.what());
    } catch (...) {
    }
  } catch (...) {
    api->job->set_error(job, "unhandled exception of unknown type", 35);
  }
  return WARREN_JOB_FAILED_RETRYABLE;
}

template <typename T>
void shutdown(warren_plugin_state* state) noexcept {
  auto* instance = reinterpret_cast<Instance<T>*>(state);
  try {
    delete instance->plugin;
  } catch (...) {
  }
  delete instance;
}

template <typename T, std::size_t N>
constexpr std::uint32_t countOf(T (&)[N]) {
  return static_cast<std::uint32_t>(N);
}
constexpr std::uint32_t countOf(std::nullptr_t) {
  return 0;
}
template <typename T, std::size_t N>
constexpr const T* firstOf(T (&array)[N]) {
  return array;
}
constexpr std::nullptr_t firstOf(std::nullptr_t) {
  return nullptr;
}

}  // namespace detail

// A config key for the schema array passed to WARREN_PLUGIN.
constexpr warren_config_key configKey(const char* name, warren_config_type type,
                                      const char* default_value, bool required,
                                      const char* description) {
  return warren_config_key{sizeof(warren_config_key), name,       type, default_value,
                           required ? 1u : 0u,        description};
}

// A job type for the array passed to WARREN_PLUGIN_EX (ABI 1.2).
constexpr warren_job_type jobType(const char* name, const char* summary, const char* dataSchema,
                                  const char* resultSchema) {
  return warren_job_type{sizeof(warren_job_type), name, summary, dataSchema, resultSchema};
}
// A migration step for the array passed to WARREN_PLUGIN_EX (ABI 1.2).
constexpr warren_migration migration(std::uint32_t version, const char* name,
                                     const char* postgresql, const char* sqlite) {
  return warren_migration{sizeof(warren_migration), version, name, postgresql, sqlite};
}

}  // namespace warren

// The first 1.2 header declared these two outside the namespace; code written against it keeps
// compiling.
using warren::jobType;
using warren::migration;

// Emits the plugin's one exported symbol. JOBS is an array of const char* (job names);
// CONFIG is an array of warren_config_key (see warren::configKey) or nullptr.
#define WARREN_PLUGIN(CLASS, NAME, VERSION, JOBS, RESOURCE, MEMORY_PER_JOB, CONCURRENCY, CONFIG) \
  WARREN_PLUGIN_EX(CLASS, NAME, VERSION, JOBS, RESOURCE, MEMORY_PER_JOB, CONCURRENCY, CONFIG,    \
                   nullptr, nullptr)

// As WARREN_PLUGIN, with the ABI 1.2 contract: JOB_TYPES is an array of warren_job_type (see
// warren::jobType) or nullptr, MIGRATIONS an array of warren_migration (warren::migration) or
// nullptr.
#define WARREN_PLUGIN_EX(CLASS, NAME, VERSION, JOBS, RESOURCE, MEMORY_PER_JOB, CONCURRENCY, \
                         CONFIG, JOB_TYPES, MIGRATIONS)                                     \
  extern "C" WARREN_EXPORT const warren_plugin_descriptor* warren_plugin_entry(void) {      \
    static const warren_plugin_descriptor descriptor = {                                    \
        WARREN_ABI_MAGIC,                                                                   \
        static_cast<std::uint32_t>(sizeof(warren_plugin_descriptor)),                       \
        WARREN_ABI_MAJOR,                                                                   \
        WARREN_ABI_MINOR,                                                                   \
        NAME,                                                                               \
        VERSION,                                                                            \
        ::warren::detail::firstOf(JOBS),                                                    \
        ::warren::detail::countOf(JOBS),                                                    \
        RESOURCE,                                                                           \
        MEMORY_PER_JOB,                                                                     \
        CONCURRENCY,                                                                        \
        ::warren::detail::firstOf(CONFIG),                                                  \
        ::warren::detail::countOf(CONFIG),                                                  \
        &::warren::detail::init<CLASS>,                                                     \
        &::warren::detail::handle<CLASS>,                                                   \
        &::warren::detail::shutdown<CLASS>,                                                 \
        ::warren::detail::firstOf(JOB_TYPES),                                               \
        ::warren::detail::countOf(JOB_TYPES),                                               \
        ::warren::detail::firstOf(MIGRATIONS),                                              \
        ::warren::detail::countOf(MIGRATIONS)};                                             \
    return &descriptor;                                                                     \
  }

#endif  // WARREN_PLUGIN_HPP
