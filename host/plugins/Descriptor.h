// The host's checks of a plugin descriptor, and a C++ copy of what it declares.
#pragma once

#include "json/Schema.h"

#include <warren/plugin.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace warren::plugins {

// A plugin was refused; what() is the exact reason shown to operators.
class PluginError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct ConfigKeySpec {
  std::string name;
  warren_config_type type = WARREN_CONFIG_STRING;
  std::optional<std::string> defaultValue;
  bool required = false;
  std::string description;
};

// The contract of one job name (ABI 1.2), its schemas compiled once per load.
struct JobTypeSpec {
  std::string name;
  std::string summary;
  std::optional<json::Schema> dataSchema;
  std::optional<json::Schema> resultSchema;
};

// One step of the plugin's database schema (ABI 1.2).
struct MigrationSpec {
  std::uint32_t version = 0;
  std::string name;
  std::string postgresql;
  std::string sqlite;
};

struct PluginInfo {
  std::string name;
  std::string version;
  std::uint32_t abiMajor = 0;
  std::uint32_t abiMinor = 0;
  std::vector<std::string> jobNames;
  warren_resource_class resourceClass = WARREN_RESOURCE_IO;
  std::uint64_t memoryPerJobBytes = 0;
  std::uint32_t defaultConcurrency = 1;
  std::vector<ConfigKeySpec> config;
  std::vector<JobTypeSpec> jobTypes;      // ABI 1.2; empty for older plugins
  std::vector<MigrationSpec> migrations;  // ABI 1.2, in version order

  bool handles(const std::string& jobName) const;
};

// Smallest descriptor this host accepts: the ABI 1.0 layout (it ends with `shutdown`).
constexpr std::uint32_t kMinDescriptorSize =
    offsetof(warren_plugin_descriptor, shutdown) + sizeof(warren_shutdown_fn);

// Whether a descriptor of this struct_size has the ABI 1.2 members (job types, migrations).
bool hasJobTypes(const warren_plugin_descriptor& descriptor);
bool hasMigrations(const warren_plugin_descriptor& descriptor);

// Returns the reason the descriptor is refused, or nothing when it is acceptable. Reads the
// version fields first and nothing beyond them when they do not fit, and the ABI 1.2 members
// only when struct_size covers them.
std::optional<std::string> checkDescriptor(const warren_plugin_descriptor* descriptor);

// Copies an accepted descriptor and compiles its job types' schemas. Throws PluginError with
// the reason when a schema does not compile (it names the job type and data or result).
PluginInfo describe(const warren_plugin_descriptor& descriptor);

const char* configTypeName(warren_config_type type);
const char* resourceClassName(warren_resource_class resource);

}  // namespace warren::plugins
