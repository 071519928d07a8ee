// One initialised plugin instance (a plugin serving one queue with one config): the in-process
// executor.
#pragma once

#include "plugins/Executor.h"
#include "plugins/HostApi.h"
#include "plugins/JobContext.h"
#include "plugins/Library.h"

#include <memory>
#include <optional>
#include <string>
#include <unordered_map>

namespace warren::plugins {

// Checks `given` against the plugin's declared schema and fills in defaults. Throws PluginError
// naming the key on an unknown key, a value of the wrong type or a missing required key.
ConfigValues validateConfig(const PluginInfo& info, const ConfigValues& given);

class Instance final : public Executor {
 public:
  // Validates the config and runs the plugin's init with `api` (the host's table; an executor
  // process passes its own); throws PluginError when either fails. `scope` names what the
  // instance serves (the queue), for logs.
  Instance(std::shared_ptr<Library> library, const ConfigValues& config, std::string scope,
           const warren_host_api* api = hostApi());
  ~Instance() override;
  Instance(const Instance&) = delete;
  Instance& operator=(const Instance&) = delete;

  // Runs the plugin's handle on the calling thread. Thread-safe. A job whose name has a job
  // type with a data schema is checked first: data that does not validate fails the job,
  // unrecoverably, with "invalid job data for <name>: <what is wrong>", and the plugin never
  // sees it.
  JobOutcome handle(JobContext& job);

  // Executor: the job runs here, on the calling thread.
  JobOutcome run(JobContext& job) override { return handle(job); }
  bool runsInline() const override { return info().resourceClass == WARREN_RESOURCE_INLINE; }
  const PluginInfo& info() const override { return library_->info(); }

  const std::string& scope() const { return caller_.scope; }
  // The handle the plugin got in init (the host's service functions take it).
  const warren_host* host() const { return &host_; }
  const char* configValue(const std::string& key) const { return caller_.configValue(key); }

 private:
  std::optional<std::string> invalidData(const JobInput& input) const;
  void waitUntil(const JobContext& job, JobOutcome& outcome) const;

  std::shared_ptr<Library> library_;
  Caller caller_;
  warren_host host_{&caller_};
  // The data schemas by job name; empty (and never looked at) for plugins without any.
  std::unordered_map<std::string, json::Schema> dataSchemas_;
  warren_plugin_state* state_ = nullptr;
};

}  // namespace warren::plugins
