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
  warren_job_outcome outcome() const { return outcome_; }
  const std::string& text() const { return text_; }

 private:
  Result(warren_job_outcome outcome, std::string text)
      : outcome_(outcome), text_(std::move(text)) {}
  warren_job_outcome outcome_;
  std::string text_;
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
  const warren_job* raw() const { return job_; }

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
warren_status init(const warren_host_api* api, const warren_host* host,
                   warren_plugin_state** state, char* error, std::size_t error_len) noexcept {
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
constexpr std::uint32_t countOf(std::nullptr_t) { return 0; }
template <typename T, std::size_t N>
constexpr const T* firstOf(T (&array)[N]) {
  return array;
}
constexpr std::nullptr_t firstOf(std::nullptr_t) { return nullptr; }

}  // namespace detail

// A config key for the schema array passed to WARREN_PLUGIN.
constexpr warren_config_key configKey(const char* name, warren_config_type type,
                                      const char* default_value, bool required,
                                      const char* description) {
  return warren_config_key{sizeof(warren_config_key), name, type, default_value,
                           required ? 1u : 0u, description};
}

}  // namespace warren

// Emits the plugin's one exported symbol. JOBS is an array of const char* (job names);
// CONFIG is an array of warren_config_key (see warren::configKey) or nullptr.
#define WARREN_PLUGIN(CLASS, NAME, VERSION, JOBS, RESOURCE, MEMORY_PER_JOB, CONCURRENCY, CONFIG) \
  extern "C" WARREN_EXPORT const warren_plugin_descriptor* warren_plugin_entry(void) {          \
    static const warren_plugin_descriptor descriptor = {                                        \
        WARREN_ABI_MAGIC,                                                                       \
        static_cast<std::uint32_t>(sizeof(warren_plugin_descriptor)),                           \
        WARREN_ABI_MAJOR,                                                                       \
        WARREN_ABI_MINOR,                                                                       \
        NAME,                                                                                   \
        VERSION,                                                                                \
        ::warren::detail::firstOf(JOBS),                                                        \
        ::warren::detail::countOf(JOBS),                                                        \
        RESOURCE,                                                                               \
        MEMORY_PER_JOB,                                                                         \
        CONCURRENCY,                                                                            \
        ::warren::detail::firstOf(CONFIG),                                                      \
        ::warren::detail::countOf(CONFIG),                                                      \
        &::warren::detail::init<CLASS>,                                                         \
        &::warren::detail::handle<CLASS>,                                                       \
        &::warren::detail::shutdown<CLASS>};                                                    \
    return &descriptor;                                                                         \
  }

#endif  // WARREN_PLUGIN_HPP
