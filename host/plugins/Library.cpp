#include "plugins/Library.h"

#include "log/Log.h"

#include <boost/dll/shared_library.hpp>

#include <dlfcn.h>
#include <elf.h>

#include <cstring>
#include <fstream>
#include <optional>

#include <mutex>
#include <vector>

namespace warren::plugins {
namespace {

[[noreturn]] void refuse(const std::filesystem::path& path, const std::string& reason) {
  log::error("plugin refused", {{"path", path.string()}, {"reason", reason}});
  throw PluginError("plugin " + path.string() + " refused: " + reason);
}

// Libraries whose code has run: kept mapped until exit (see Library::pinForever).
std::vector<std::unique_ptr<boost::dll::shared_library>>& pinned() {
  static auto* libraries = new std::vector<std::unique_ptr<boost::dll::shared_library>>();
  return *libraries;
}
std::mutex g_pinnedMutex;

// A file cut short inside a loadable segment makes the dynamic loader fault (SIGBUS) when it
// maps the missing pages, killing the host; such a file is refused before dlopen.
std::optional<std::string> truncation(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  Elf64_Ehdr header{};
  if (!in.read(reinterpret_cast<char*>(&header), sizeof header)) return std::nullopt;
  if (std::memcmp(header.e_ident, ELFMAG, SELFMAG) != 0 || header.e_ident[EI_CLASS] != ELFCLASS64)
    return std::nullopt;  // not ELF64: dlopen gives its own reason
  std::error_code error;
  const auto size = std::filesystem::file_size(path, error);
  if (error) return std::nullopt;
  for (unsigned i = 0; i < header.e_phnum; ++i) {
    Elf64_Phdr segment{};
    in.seekg(static_cast<std::streamoff>(header.e_phoff + i * sizeof segment));
    if (!in.read(reinterpret_cast<char*>(&segment), sizeof segment)) {
      return "the file is truncated: its program headers end past the file's " +
             std::to_string(size) + " bytes";
    }
    const std::uint64_t end = segment.p_offset + segment.p_filesz;
    if (segment.p_type == PT_LOAD && end > size) {
      return "the file is truncated: segment " + std::to_string(i) + " ends at byte " +
             std::to_string(end) + ", the file has " + std::to_string(size) + " bytes";
    }
  }
  return std::nullopt;
}

}  // namespace

std::filesystem::path Library::resolve(const std::string& nameOrPath,
                                       const std::filesystem::path& pluginDir) {
  std::filesystem::path path = nameOrPath;
  const bool looksLikePath = nameOrPath.find('/') != std::string::npos || path.extension() == ".so";
  if (!looksLikePath) path = pluginDir / (nameOrPath + ".so");
  std::error_code error;
  if (!std::filesystem::is_regular_file(path, error)) {
    throw PluginError("plugin '" + nameOrPath + "' not found: no file " + path.string());
  }
  return std::filesystem::absolute(path);
}

std::shared_ptr<Library> Library::load(const std::filesystem::path& loadPath,
                                       const std::filesystem::path& origin) {
  const std::filesystem::path& path = origin.empty() ? loadPath : origin;  // for refusals
  std::shared_ptr<Library> library(new Library());
  library->path_ = path;
  if (auto reason = truncation(loadPath)) refuse(path, "cannot load: " + *reason);
  boost::dll::fs::error_code error;
  library->library_ = std::make_unique<boost::dll::shared_library>();
  library->library_->load(
      loadPath, boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local, error);
  if (error) {
    const char* reason = dlerror();  // consumed once: the loader's own words are the clearest
    refuse(path, "cannot load: " + (reason != nullptr ? std::string(reason) : error.message()));
  }
  if (!library->library_->has(WARREN_ENTRY_SYMBOL)) {
    refuse(path,
           std::string("it does not export ") + WARREN_ENTRY_SYMBOL + ": not a Warren plugin");
  }
  auto entry = library->library_->get<const warren_plugin_descriptor*()>(WARREN_ENTRY_SYMBOL);
  const warren_plugin_descriptor* descriptor = entry();
  if (auto reason = checkDescriptor(descriptor)) refuse(path, *reason);
  library->descriptor_ = descriptor;
  try {
    library->info_ = describe(*descriptor);
  } catch (const PluginError& e) {
    refuse(path, e.what());
  }
  return library;
}

void Library::pinForever() {
  std::lock_guard lock(g_pinnedMutex);
  if (library_) pinned().push_back(std::move(library_));
}

Library::~Library() = default;

}  // namespace warren::plugins
