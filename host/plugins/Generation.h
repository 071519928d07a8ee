// A plugin generation: one loaded version of a queue's plugin with its config, ready to serve.
// Hot reload builds a new generation beside the serving one and switches only once it is ready.
#pragma once

#include "plugins/Executor.h"
#include "plugins/Library.h"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>

namespace warren::plugins {

// Makes the executor that serves a generation from its loaded, checked library: the plugin's
// init runs there. Throws PluginError.
using ExecutorFactory = std::function<std::shared_ptr<Executor>(
    std::shared_ptr<Library> library, const ConfigValues& config, const std::string& scope)>;

struct GenerationSpec {
  std::string plugin;  // name in pluginDir, or a path
  std::filesystem::path pluginDir;
  std::string pinnedSha256;  // hex; empty: any file
  ConfigValues config;
  // Node-level values (security.*) offered to the plugin: a key the plugin declares under the
  // same name, and that `config` does not set, takes its value from here.
  ConfigValues inherited;
  std::string scope;                // the queue, for logs
  std::filesystem::path copiesDir;  // content-addressed private copies; empty: load in place
  // Runs after the descriptor was accepted and before init (the node applies the plugin's
  // database migrations here); throws PluginError to refuse the generation.
  std::function<void(const Library&)> beforeInit;
  // Empty: the plugin runs in process (a plugins::Instance).
  ExecutorFactory makeExecutor;
  // How the plugin runs ("" in process; the isolation settings otherwise): a change makes a new
  // generation on reload.
  std::string executorKey;
};

struct Generation {
  std::shared_ptr<Executor> executor;
  std::filesystem::path source;  // the operator's file
  std::string sha256;            // of the bytes loaded
  ConfigValues config;           // as given (before defaults)
  std::string executorKey;       // as given in the spec
  ConfigValues inherited;        // the node-level values offered with it
  std::uint64_t number = 0;      // 1, 2, ... per queue; set by the caller
};

// Loads a new generation: hashes the file while copying it to copiesDir/<sha256>.so (the bytes
// hashed are the bytes loaded, and replacing the original later cannot change loaded code),
// refuses a pinned hash mismatch before any dlopen, then loads, checks the descriptor, runs
// spec.beforeInit, validates the config and runs init. Throws PluginError naming the file and the
// reason.
Generation loadGeneration(const GenerationSpec& spec);

// Lower-case hex SHA-256 of a file; throws PluginError when it cannot be read.
std::string sha256OfFile(const std::filesystem::path& path);

// The config an instance of `info` gets: `config`, plus each key `info` declares that
// `config` leaves unset and `inherited` has.
ConfigValues withInherited(const PluginInfo& info, const ConfigValues& config,
                           const ConfigValues& inherited);

// Does `spec` describe the generation already serving (same bytes, same config, same way of
// running)? Hashes the file.
bool sameAs(const GenerationSpec& spec, const Generation& serving);

}  // namespace warren::plugins
