// warren plugins list | inspect FILE.so
#include "app/Commands.h"
#include "log/Log.h"
#include "plugins/Library.h"

#include <algorithm>
#include <iostream>

namespace warren::app {
namespace {

std::string megabytes(std::uint64_t bytes) {
  return std::to_string((bytes + (1u << 20) - 1) >> 20) + " MiB";
}

void printDescriptor(const plugins::Library& library) {
  const plugins::PluginInfo& info = library.info();
  std::cout << "file:                " << library.path().string() << "\n"
            << "name:                " << info.name << "\n"
            << "version:             " << info.version << "\n"
            << "abi:                 " << info.abiMajor << "." << info.abiMinor << " (host "
            << WARREN_ABI_MAJOR << "." << WARREN_ABI_MINOR << ")\n"
            << "jobs:               ";
  for (const auto& job : info.jobNames) std::cout << " " << job;
  std::cout << "\nresource class:      " << plugins::resourceClassName(info.resourceClass) << "\n"
            << "memory per job:      " << megabytes(info.memoryPerJobBytes) << "\n"
            << "default concurrency: " << info.defaultConcurrency << "\n"
            << "config:" << (info.config.empty() ? " (none)" : "") << "\n";
  for (const auto& key : info.config) {
    std::cout << "  " << key.name << " (" << plugins::configTypeName(key.type)
              << (key.required ? ", required" : "");
    if (key.defaultValue && key.type != WARREN_CONFIG_SECRET) {
      std::cout << ", default '" << *key.defaultValue << "'";
    }
    std::cout << "): " << key.description << "\n";
  }
  std::cout << "job types:" << (info.jobTypes.empty() ? " (none)" : "") << "\n";
  for (const auto& type : info.jobTypes) {
    std::cout << "  " << type.name << ": " << (type.summary.empty() ? "(no summary)" : type.summary)
              << " (data schema: " << (type.dataSchema ? "yes" : "no")
              << ", result schema: " << (type.resultSchema ? "yes" : "no") << ")\n";
  }
  std::cout << "migrations:" << (info.migrations.empty() ? " (none)" : "") << "\n";
  for (const auto& migration : info.migrations) {
    std::cout << "  " << migration.version << " " << migration.name << "\n";
  }
}

int inspect(const std::string& path) {
  try {
    printDescriptor(*plugins::Library::load(path));
    return kExitOk;
  } catch (const plugins::PluginError& e) {
    std::cerr << e.what() << "\n";
    return kExitRefused;
  }
}

int list(const std::filesystem::path& dir) {
  std::vector<std::filesystem::path> files;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(dir, error)) {
    if (entry.path().extension() == ".so") files.push_back(entry.path());
  }
  if (error) {
    std::cerr << "warren: cannot read plugin directory " << dir.string() << ": " << error.message()
              << "\n";
    return kExitFailed;
  }
  std::sort(files.begin(), files.end());
  std::cout << "plugins in " << dir.string() << ":\n";
  int refused = 0;
  for (const auto& file : files) {
    try {
      const auto library = plugins::Library::load(file);
      const auto& info = library->info();
      std::cout << "  " << info.name << " " << info.version << "  jobs:";
      for (const auto& job : info.jobNames) std::cout << " " << job;
      std::cout << "  (" << file.filename().string() << ")\n";
    } catch (const plugins::PluginError& e) {
      ++refused;
      std::cout << "  refused: " << e.what() << "\n";
    }
  }
  if (files.empty()) std::cout << "  (none)\n";
  return refused == 0 ? kExitOk : kExitRefused;
}

}  // namespace

int pluginsCommand(const Options& options) {
  const auto& args = options.args;
  // Refusals are printed for the operator; keep the JSON log for errors only.
  log::setLevel(log::Level::off);
  if (args.size() == 3 && args[1] == "inspect") return inspect(args[2]);
  if (args.size() == 2 && args[1] == "list") {
    return list(loadConfig(options).pluginDir);
  }
  std::cerr << "warren: usage: warren plugins list | warren plugins inspect FILE.so\n";
  return kExitUsage;
}

}  // namespace warren::app
