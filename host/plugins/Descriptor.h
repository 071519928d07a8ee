// The host's checks of a plugin descriptor, and a C++ copy of what it declares.
#pragma once

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

  bool handles(const std::string& jobName) const;
};

// Smallest descriptor this host accepts: the ABI 1.0 layout (it ends with `shutdown`).
constexpr std::uint32_t kMinDescriptorSize =
    offsetof(warren_plugin_descriptor, shutdown) + sizeof(warren_shutdown_fn);

// Returns the reason the descriptor is refused, or nothing when it is acceptable. Reads the
// version fields first and nothing beyond them when they do not fit.
std::optional<std::string> checkDescriptor(const warren_plugin_descriptor* descriptor);

// Copies an accepted descriptor.
PluginInfo describe(const warren_plugin_descriptor& descriptor);

const char* configTypeName(warren_config_type type);
const char* resourceClassName(warren_resource_class resource);

}  // namespace warren::plugins
