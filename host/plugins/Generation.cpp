#include "plugins/Generation.h"

#include "plugins/Instance.h"

#include <Poco/DigestEngine.h>
#include <Poco/SHA2Engine.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <random>
#include <system_error>

namespace warren::plugins {
namespace {

[[noreturn]] void refuse(const std::filesystem::path& path, const std::string& reason) {
  throw PluginError("plugin " + path.string() + " refused: " + reason);
}

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

// Streams `source` through SHA-256, writing the same bytes to `copy` when it is non-empty.
std::string hashAndCopy(const std::filesystem::path& source, const std::filesystem::path& copy) {
  std::ifstream in(source, std::ios::binary);
  if (!in) refuse(source, "cannot read the file");
  std::ofstream out;
  if (!copy.empty()) {
    out.open(copy, std::ios::binary | std::ios::trunc);
    if (!out) refuse(source, "cannot write the private copy " + copy.string());
  }
  Poco::SHA2Engine engine(Poco::SHA2Engine::SHA_256);
  std::vector<char> buffer(1 << 16);
  while (in) {
    in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    const auto n = in.gcount();
    if (n <= 0) break;
    engine.update(buffer.data(), static_cast<unsigned>(n));
    if (out.is_open()) out.write(buffer.data(), n);
  }
  if (in.bad()) refuse(source, "read error");
  if (out.is_open() && !out.flush())
    refuse(source, "cannot write the private copy " + copy.string());
  return Poco::DigestEngine::digestToHex(engine.digest());
}

std::filesystem::path temporaryName(const std::filesystem::path& dir) {
  std::random_device random;
  return dir / (".incoming-" + std::to_string(random()) + ".so");
}

}  // namespace

std::string sha256OfFile(const std::filesystem::path& path) {
  return hashAndCopy(path, {});
}

bool sameAs(const GenerationSpec& spec, const Generation& serving) {
  const auto path = Library::resolve(spec.plugin, spec.pluginDir);
  return path == serving.source && spec.config == serving.config &&
         spec.executorKey == serving.executorKey && spec.inherited == serving.inherited &&
         sha256OfFile(path) == serving.sha256;
}

Generation loadGeneration(const GenerationSpec& spec) {
  Generation generation;
  generation.source = Library::resolve(spec.plugin, spec.pluginDir);
  generation.config = spec.config;
  generation.executorKey = spec.executorKey;
  std::filesystem::path loadPath = generation.source;
  if (spec.copiesDir.empty()) {
    generation.sha256 = sha256OfFile(generation.source);
  } else {
    std::error_code error;
    std::filesystem::create_directories(spec.copiesDir, error);
    const auto incoming = temporaryName(spec.copiesDir);
    try {
      generation.sha256 = hashAndCopy(generation.source, incoming);
    } catch (...) {
      std::filesystem::remove(incoming, error);
      throw;
    }
    loadPath = spec.copiesDir / (generation.sha256 + ".so");
    // Same bytes, same name: an existing copy may be mapped already and is identical.
    if (std::filesystem::exists(loadPath, error))
      std::filesystem::remove(incoming, error);
    else
      std::filesystem::rename(incoming, loadPath, error);
    if (error) refuse(generation.source, "cannot store the private copy: " + error.message());
  }
  if (!spec.pinnedSha256.empty() && lower(spec.pinnedSha256) != generation.sha256) {
    refuse(generation.source, "SHA-256 mismatch: the file has " + generation.sha256 +
                                  ", the config pins " + lower(spec.pinnedSha256));
  }
  generation.inherited = spec.inherited;
  auto library = Library::load(loadPath, generation.source);
  if (spec.beforeInit) spec.beforeInit(*library);
  const ConfigValues config = withInherited(library->info(), spec.config, spec.inherited);
  if (spec.makeExecutor) {
    generation.executor = spec.makeExecutor(std::move(library), config, spec.scope);
  } else {
    generation.executor = std::make_shared<Instance>(std::move(library), config, spec.scope);
  }
  return generation;
}

ConfigValues withInherited(const PluginInfo& info, const ConfigValues& config,
                           const ConfigValues& inherited) {
  ConfigValues out = config;
  for (const auto& key : info.config) {
    const auto value = inherited.find(key.name);
    if (value != inherited.end() && out.count(key.name) == 0) out[key.name] = value->second;
  }
  return out;
}

}  // namespace warren::plugins
