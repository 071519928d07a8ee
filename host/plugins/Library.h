// One plugin shared library, loaded with Boost.DLL (RTLD_NOW | RTLD_LOCAL) and checked.
#pragma once

#include "plugins/Descriptor.h"

#include <filesystem>
#include <memory>
#include <string>

namespace boost::dll {
class shared_library;
}

namespace warren::plugins {

class Library {
 public:
  // Loads and checks the plugin at `path`; throws PluginError("plugin PATH refused: REASON").
  // Nothing of the plugin is called but its entry function, and only the descriptor is read.
  // `origin` names the file in refusals when `path` is a private copy of it.
  static std::shared_ptr<Library> load(const std::filesystem::path& path,
                                       const std::filesystem::path& origin = {});

  // Resolves a plugin given by name ("echo" → DIR/echo.so) or path (anything with a '/' or
  // ending in .so); throws PluginError when no such file exists.
  static std::filesystem::path resolve(const std::string& nameOrPath,
                                       const std::filesystem::path& pluginDir);

  ~Library();
  Library(const Library&) = delete;
  Library& operator=(const Library&) = delete;

  const PluginInfo& info() const { return info_; }
  const warren_plugin_descriptor& descriptor() const { return *descriptor_; }
  const std::filesystem::path& path() const { return path_; }

  // Once code of the library may have run (init), it must never be unmapped: a job or a
  // static of the plugin could still reference it. This keeps it loaded until process exit.
  void pinForever();

 private:
  Library() = default;
  std::filesystem::path path_;
  std::unique_ptr<boost::dll::shared_library> library_;
  const warren_plugin_descriptor* descriptor_ = nullptr;
  PluginInfo info_;
};

}  // namespace warren::plugins
