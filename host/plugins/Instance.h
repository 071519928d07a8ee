// One initialised plugin instance (a plugin serving one queue with one config).
#pragma once

#include "plugins/JobContext.h"
#include "plugins/Library.h"

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>

namespace warren::plugins {

using ConfigValues = std::map<std::string, std::string>;

// Checks `given` against the plugin's declared schema and fills in defaults. Throws PluginError
// naming the key on an unknown key, a value of the wrong type or a missing required key.
ConfigValues validateConfig(const PluginInfo& info, const ConfigValues& given);

class Instance {
 public:
  // Validates the config and runs the plugin's init; throws PluginError when either fails.
  // `scope` names what the instance serves (the queue), for logs.
  Instance(std::shared_ptr<Library> library, const ConfigValues& config, std::string scope);
  ~Instance();
  Instance(const Instance&) = delete;
  Instance& operator=(const Instance&) = delete;

  // Runs the plugin's handle on the calling thread. Thread-safe. A job whose name has a job
  // type with a data schema is checked first: data that does not validate fails the job,
  // unrecoverably, with "invalid job data for <name>: <what is wrong>", and the plugin never
  // sees it.
  JobOutcome handle(JobContext& job);

  const PluginInfo& info() const { return library_->info(); }
  const std::string& scope() const { return scope_; }
  const char* configValue(const std::string& key) const;

 private:
  std::optional<std::string> invalidData(const JobInput& input) const;
  void waitUntil(const JobContext& job, JobOutcome& outcome) const;

  std::shared_ptr<Library> library_;
  ConfigValues config_;
  std::string scope_;
  // The data schemas by job name; empty (and never looked at) for plugins without any.
  std::unordered_map<std::string, json::Schema> dataSchemas_;
  warren_plugin_state* state_ = nullptr;
  struct HostHandle;
  std::unique_ptr<HostHandle> handle_;
};

}  // namespace warren::plugins
