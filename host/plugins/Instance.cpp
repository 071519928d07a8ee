#include "plugins/Instance.h"

#include "log/Log.h"
#include "plugins/HostApi.h"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>

namespace warren::plugins {
namespace {

bool parsesAs(warren_config_type type, const std::string& value) {
  char* end = nullptr;
  errno = 0;
  switch (type) {
    case WARREN_CONFIG_INT:
      (void)std::strtoll(value.c_str(), &end, 10);
      return !value.empty() && *end == '\0' && errno == 0;
    case WARREN_CONFIG_FLOAT:
      (void)std::strtod(value.c_str(), &end);
      return !value.empty() && *end == '\0' && errno == 0;
    case WARREN_CONFIG_BOOL: {
      static const char* const words[] = {"true", "false", "yes", "no", "on", "off", "1", "0"};
      return std::find(std::begin(words), std::end(words), value) != std::end(words);
    }
    default:
      return true;
  }
}

std::string normalisedBool(const std::string& value) {
  return (value == "true" || value == "yes" || value == "on" || value == "1") ? "true" : "false";
}

std::string acceptedKeys(const PluginInfo& info) {
  if (info.config.empty()) return "it accepts none";
  std::string out = "it accepts:";
  for (const auto& key : info.config) out += " " + key.name;
  return out;
}

}  // namespace

ConfigValues validateConfig(const PluginInfo& info, const ConfigValues& given) {
  const std::string who = "plugin " + info.name;
  for (const auto& [key, value] : given) {
    const bool known = std::any_of(info.config.begin(), info.config.end(),
                                   [&](const ConfigKeySpec& spec) { return spec.name == key; });
    if (!known) {
      throw PluginError(who + " has no config key '" + key + "' (" + acceptedKeys(info) + ")");
    }
  }
  ConfigValues values;
  for (const auto& spec : info.config) {
    const auto it = given.find(spec.name);
    std::optional<std::string> value =
        it != given.end() ? std::optional<std::string>(it->second) : spec.defaultValue;
    if (!value) {
      if (spec.required) {
        throw PluginError(who + " requires config key '" + spec.name + "' (" + spec.description +
                          ")");
      }
      continue;
    }
    if (!parsesAs(spec.type, *value)) {
      throw PluginError(who + " config key '" + spec.name + "': '" + *value + "' is not a valid " +
                        configTypeName(spec.type));
    }
    if (spec.type == WARREN_CONFIG_BOOL) value = normalisedBool(*value);
    if (spec.type == WARREN_CONFIG_SECRET) log::addSecret(*value);
    values[spec.name] = *value;
  }
  return values;
}

struct Instance::HostHandle {
  warren_host host;
};

Instance::Instance(std::shared_ptr<Library> library, const ConfigValues& config, std::string scope)
    : library_(std::move(library)),
      config_(validateConfig(library_->info(), config)),
      scope_(std::move(scope)),
      handle_(std::make_unique<HostHandle>(HostHandle{warren_host{this}})) {
  for (const JobTypeSpec& type : info().jobTypes) {
    if (type.dataSchema) dataSchemas_.emplace(type.name, *type.dataSchema);
  }
  // From here on plugin code runs, so the library must stay mapped for good.
  library_->pinForever();
  char error[1024] = {0};
  const warren_status status =
      library_->descriptor().init(hostApi(), &handle_->host, &state_, error, sizeof error);
  if (status != WARREN_OK) {
    error[sizeof error - 1] = '\0';
    const std::string reason = "plugin " + info().name + " " + info().version +
                               ": init failed: " + (error[0] != '\0' ? error : "no reason given");
    log::error("plugin init failed", {{"plugin", info().name}, {"reason", reason}});
    throw PluginError(reason);
  }
  log::info("plugin started", {{"plugin", info().name},
                               {"plugin_version", info().version},
                               {"queue", scope_},
                               {"path", library_->path().string()}});
}

Instance::~Instance() {
  library_->descriptor().shutdown(state_);
}

std::optional<std::string> Instance::invalidData(const JobInput& input) const {
  const auto schema = dataSchemas_.find(input.name);
  if (schema == dataSchemas_.end()) return std::nullopt;
  auto failure = schema->second.validate(input.data);
  if (!failure) return std::nullopt;
  return "invalid job data for " + input.name + ": " + *failure;
}

JobOutcome Instance::handle(JobContext& job) {
  JobOutcome outcome;
  if (!dataSchemas_.empty()) {
    if (auto invalid = invalidData(job.input())) {
      outcome.outcome = WARREN_JOB_FAILED_UNRECOVERABLE;
      outcome.error = std::move(*invalid);
      return outcome;
    }
  }
  warren_job handle{&job};
  outcome.outcome = library_->descriptor().handle(state_, &handle);
  switch (outcome.outcome) {
    case WARREN_JOB_COMPLETED:
      outcome.result = job.result();
      break;
    case WARREN_JOB_FAILED_RETRYABLE:
    case WARREN_JOB_FAILED_UNRECOVERABLE:
      outcome.error = job.error().value_or("plugin " + info().name + " failed without a message");
      break;
    case WARREN_JOB_DELAYED:
    case WARREN_JOB_RATE_LIMITED:
      waitUntil(job, outcome);
      break;
    default:
      outcome.error =
          "plugin " + info().name + " returned unknown outcome " + std::to_string(outcome.outcome);
      outcome.outcome = WARREN_JOB_FAILED_RETRYABLE;
  }
  return outcome;
}

// A delayed or rate-limited outcome needs a time to try again, within kMaxRetryWaitMs; without
// one the job fails retryably, saying why. A time in the past means now.
void Instance::waitUntil(const JobContext& job, JobOutcome& outcome) const {
  const char* kind =
      outcome.outcome == WARREN_JOB_DELAYED ? "WARREN_JOB_DELAYED" : "WARREN_JOB_RATE_LIMITED";
  const std::string reason = job.error().value_or("");
  const std::string because = reason.empty() ? "" : " (" + reason + ")";
  const std::int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(
                               std::chrono::system_clock::now().time_since_epoch())
                               .count();
  const auto at = job.retryAt();
  if (!at) {
    outcome.outcome = WARREN_JOB_FAILED_RETRYABLE;
    outcome.error = "plugin " + info().name + " returned " + kind +
                    " without a time to try again (set_retry_at)" + because;
  } else if (*at > now + kMaxRetryWaitMs) {
    outcome.outcome = WARREN_JOB_FAILED_RETRYABLE;
    outcome.error = "plugin " + info().name + " returned " + kind + " until " + isoTime(*at) +
                    ", more than 30 days ahead" + because;
  } else {
    outcome.retryAtMs = std::max(*at, now);
    outcome.error = reason;
  }
}

const char* Instance::configValue(const std::string& key) const {
  const auto it = config_.find(key);
  return it == config_.end() ? nullptr : it->second.c_str();
}

}  // namespace warren::plugins
