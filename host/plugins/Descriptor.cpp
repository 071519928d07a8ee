#include "plugins/Descriptor.h"

#include <algorithm>
#include <cstdio>
#include <set>

namespace warren::plugins {
namespace {

std::string hex(std::uint32_t value) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "0x%08X", value);
  return buffer;
}

std::string version(std::uint32_t major, std::uint32_t minor) {
  return std::to_string(major) + "." + std::to_string(minor);
}

bool validIdentifier(const char* text, bool allowDots) {
  if (text == nullptr || *text == '\0') return false;
  for (const char* p = text; *p != '\0'; ++p) {
    const char c = *p;
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
                    (allowDots && c == '.');
    if (!ok) return false;
  }
  return true;
}

std::optional<std::string> checkVersion(const warren_plugin_descriptor& d) {
  if (d.magic != WARREN_ABI_MAGIC) {
    return "wrong magic " + hex(d.magic) + " (host expects " + hex(WARREN_ABI_MAGIC) +
           "): not a Warren plugin";
  }
  const std::string host = version(WARREN_ABI_MAJOR, WARREN_ABI_MINOR);
  const std::string plugin = version(d.abi_major, d.abi_minor);
  if (d.abi_major != WARREN_ABI_MAJOR) {
    return "ABI major version mismatch: plugin has ABI " + plugin + ", host has ABI " + host;
  }
  if (d.abi_minor > WARREN_ABI_MINOR) {
    return "plugin needs ABI " + plugin + ", newer than the host's ABI " + host +
           ": upgrade the host";
  }
  if (d.struct_size < kMinDescriptorSize) {
    return "descriptor struct_size " + std::to_string(d.struct_size) + " is smaller than the " +
           std::to_string(kMinDescriptorSize) + " bytes of ABI " + plugin;
  }
  return std::nullopt;
}

std::optional<std::string> checkConfigKeys(const warren_plugin_descriptor& d) {
  if (d.config_key_count > 0 && d.config_keys == nullptr) {
    return std::string("descriptor declares config keys but config_keys is NULL");
  }
  for (std::uint32_t i = 0; i < d.config_key_count; ++i) {
    const warren_config_key& key = d.config_keys[i];
    const std::string where = "config key #" + std::to_string(i);
    if (key.struct_size < sizeof(warren_config_key)) {
      return where + " has struct_size " + std::to_string(key.struct_size) + ", expected " +
             std::to_string(sizeof(warren_config_key));
    }
    if (!validIdentifier(key.name, true)) return where + " has an invalid name";
    if (key.type > WARREN_CONFIG_SECRET) {
      return "config key '" + std::string(key.name) + "' has unknown type " +
             std::to_string(key.type);
    }
  }
  return std::nullopt;
}

// An exact job name: anything BullMQ accepts (names like "content:analyze"), but no pattern.
bool validJobTypeName(const char* text) {
  if (text == nullptr || *text == '\0') return false;
  for (const char* p = text; *p != '\0'; ++p) {
    const auto c = static_cast<unsigned char>(*p);
    if (c < 0x20 || c == 0x7f || c == '*') return false;
  }
  return true;
}

bool validMigrationName(const char* text) {
  if (text == nullptr || *text == '\0') return false;
  for (const char* p = text; *p != '\0'; ++p) {
    const char c = *p;
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return true;
}

bool blank(const char* text) {
  if (text == nullptr) return true;
  for (const char* p = text; *p != '\0'; ++p) {
    if (*p != ' ' && *p != '\t' && *p != '\n' && *p != '\r') return false;
  }
  return true;
}

std::string jobNameList(const warren_plugin_descriptor& d) {
  std::string list;
  for (std::uint32_t i = 0; i < d.job_name_count; ++i) {
    list += (i > 0 ? " " : "") + std::string(d.job_names[i]);
  }
  return list;
}

std::optional<std::string> checkJobTypes(const warren_plugin_descriptor& d) {
  if (!hasJobTypes(d) || d.job_type_count == 0) return std::nullopt;
  if (d.job_types == nullptr) {
    return std::string("descriptor declares job types but job_types is NULL");
  }
  PluginInfo handled;  // for its job name matching
  for (std::uint32_t i = 0; i < d.job_name_count; ++i)
    handled.jobNames.emplace_back(d.job_names[i]);
  std::set<std::string> seen;
  for (std::uint32_t i = 0; i < d.job_type_count; ++i) {
    const warren_job_type& type = d.job_types[i];
    const std::string where = "job type #" + std::to_string(i);
    if (type.struct_size < sizeof(warren_job_type)) {
      return where + " has struct_size " + std::to_string(type.struct_size) + ", expected " +
             std::to_string(sizeof(warren_job_type));
    }
    if (!validJobTypeName(type.name)) {
      return where + " has an invalid name (an exact job name: not empty, no '*', no control " +
             "characters)";
    }
    const std::string name = type.name;
    if (!handled.handles(name)) {
      return "job type '" + name +
             "' is not a job name the plugin handles (job names: " + jobNameList(d) + ")";
    }
    if (!seen.insert(name).second) return "job type '" + name + "' is declared twice";
  }
  return std::nullopt;
}

std::optional<std::string> checkMigrations(const warren_plugin_descriptor& d) {
  if (!hasMigrations(d) || d.migration_count == 0) return std::nullopt;
  if (d.migrations == nullptr) {
    return std::string("descriptor declares migrations but migrations is NULL");
  }
  std::set<std::uint32_t> versions;
  for (std::uint32_t i = 0; i < d.migration_count; ++i) {
    const warren_migration& m = d.migrations[i];
    const std::string where = "migration #" + std::to_string(i);
    if (m.struct_size < sizeof(warren_migration)) {
      return where + " has struct_size " + std::to_string(m.struct_size) + ", expected " +
             std::to_string(sizeof(warren_migration));
    }
    if (m.version == 0) return where + " has version 0 (versions start at 1)";
    const std::string version = "migration " + std::to_string(m.version);
    if (!validMigrationName(m.name)) {
      return version + " has an invalid name (expected [a-z0-9_]+)";
    }
    if (!versions.insert(m.version).second) {
      return "migration version " + std::to_string(m.version) + " is declared twice";
    }
    const std::string named = version + " (" + m.name + ")";
    if (blank(m.postgresql)) return named + " has no SQL for PostgreSQL";
    if (blank(m.sqlite)) return named + " has no SQL for SQLite";
  }
  return std::nullopt;
}

std::optional<std::string> checkContent(const warren_plugin_descriptor& d) {
  if (!validIdentifier(d.name, false)) {
    return std::string("descriptor has a missing or invalid name (expected [a-z0-9_-]+)");
  }
  if (d.version == nullptr || *d.version == '\0') return std::string("descriptor has no version");
  if (d.init == nullptr || d.handle == nullptr || d.shutdown == nullptr) {
    return std::string("descriptor lacks an init, handle or shutdown function");
  }
  if (d.job_name_count == 0 || d.job_names == nullptr) {
    return std::string("descriptor declares no job names");
  }
  for (std::uint32_t i = 0; i < d.job_name_count; ++i) {
    if (d.job_names[i] == nullptr || *d.job_names[i] == '\0') {
      return "job name #" + std::to_string(i) + " is empty";
    }
  }
  if (d.resource_class > WARREN_RESOURCE_INLINE) {
    return "unknown resource class " + std::to_string(d.resource_class);
  }
  if (d.default_concurrency == 0) return std::string("default concurrency is 0");
  if (auto refusal = checkConfigKeys(d)) return refusal;
  if (auto refusal = checkJobTypes(d)) return refusal;
  return checkMigrations(d);
}

std::optional<json::Schema> compiled(const char* schema, const std::string& jobType,
                                     const char* which) {
  if (schema == nullptr) return std::nullopt;
  try {
    return json::Schema::compile(schema);
  } catch (const std::invalid_argument& e) {
    throw PluginError("job type '" + jobType + "' has an invalid " + which +
                      " schema: " + e.what());
  }
}

}  // namespace

bool hasJobTypes(const warren_plugin_descriptor& d) {
  return d.struct_size >= offsetof(warren_plugin_descriptor, job_type_count) + sizeof(uint32_t);
}

bool hasMigrations(const warren_plugin_descriptor& d) {
  return d.struct_size >= offsetof(warren_plugin_descriptor, migration_count) + sizeof(uint32_t);
}

bool PluginInfo::handles(const std::string& jobName) const {
  for (const auto& pattern : jobNames) {
    if (!pattern.empty() && pattern.back() == '*') {
      if (jobName.compare(0, pattern.size() - 1, pattern, 0, pattern.size() - 1) == 0) return true;
    } else if (pattern == jobName) {
      return true;
    }
  }
  return false;
}

std::optional<std::string> checkDescriptor(const warren_plugin_descriptor* descriptor) {
  if (descriptor == nullptr) {
    return std::string("entry function ") + WARREN_ENTRY_SYMBOL + " returned NULL";
  }
  if (auto refusal = checkVersion(*descriptor)) return refusal;
  return checkContent(*descriptor);
}

PluginInfo describe(const warren_plugin_descriptor& d) {
  PluginInfo info;
  info.name = d.name;
  info.version = d.version;
  info.abiMajor = d.abi_major;
  info.abiMinor = d.abi_minor;
  for (std::uint32_t i = 0; i < d.job_name_count; ++i) info.jobNames.emplace_back(d.job_names[i]);
  info.resourceClass = d.resource_class;
  info.memoryPerJobBytes = d.memory_per_job_bytes;
  info.defaultConcurrency = d.default_concurrency;
  for (std::uint32_t i = 0; i < d.config_key_count; ++i) {
    const warren_config_key& key = d.config_keys[i];
    ConfigKeySpec spec;
    spec.name = key.name;
    spec.type = key.type;
    if (key.default_value != nullptr) spec.defaultValue = key.default_value;
    spec.required = key.required != 0;
    spec.description = key.description != nullptr ? key.description : "";
    info.config.push_back(std::move(spec));
  }
  for (std::uint32_t i = 0; hasJobTypes(d) && i < d.job_type_count; ++i) {
    const warren_job_type& type = d.job_types[i];
    JobTypeSpec spec;
    spec.name = type.name;
    spec.summary = type.summary != nullptr ? type.summary : "";
    spec.dataSchema = compiled(type.data_schema, spec.name, "data");
    spec.resultSchema = compiled(type.result_schema, spec.name, "result");
    info.jobTypes.push_back(std::move(spec));
  }
  for (std::uint32_t i = 0; hasMigrations(d) && i < d.migration_count; ++i) {
    const warren_migration& m = d.migrations[i];
    info.migrations.push_back({m.version, m.name, m.postgresql, m.sqlite});
  }
  std::sort(info.migrations.begin(), info.migrations.end(),
            [](const MigrationSpec& a, const MigrationSpec& b) { return a.version < b.version; });
  return info;
}

const char* configTypeName(warren_config_type type) {
  switch (type) {
    case WARREN_CONFIG_STRING:
      return "string";
    case WARREN_CONFIG_INT:
      return "int";
    case WARREN_CONFIG_FLOAT:
      return "float";
    case WARREN_CONFIG_BOOL:
      return "bool";
    case WARREN_CONFIG_SECRET:
      return "secret";
    default:
      return "unknown";
  }
}

const char* resourceClassName(warren_resource_class resource) {
  switch (resource) {
    case WARREN_RESOURCE_CPU:
      return "cpu";
    case WARREN_RESOURCE_INLINE:
      return "inline";
    default:
      return "io";
  }
}

}  // namespace warren::plugins
