// The config parser (host/config): the INI layer (Poco's IniFileConfiguration, sections as key
// prefixes) and resolve(), which checks every key and value. The input is "INI\0--set lines".
// Holds: an unreadable file, an unknown key or a bad value is a ConfigError and nothing else
// (the command line turns exactly that into exit code 78); no error shows a secret's value.
#include "Fuzz.h"

#include "config/Config.h"

#include <sys/mman.h>
#include <unistd.h>

namespace {

using warren::config::ConfigError;

constexpr std::string_view kSecret = "Zq7SecretValue";

// The INI text as a file: one memfd, rewritten for each input (no disk writes).
std::string writeIni(std::string_view ini) {
  static const int fd = memfd_create("fuzz-config.ini", 0);
  if (fd < 0 || ftruncate(fd, 0) != 0 ||
      pwrite(fd, ini.data(), ini.size(), 0) != static_cast<ssize_t>(ini.size())) {
    warren::fuzz::violated("cannot write the memfd");
  }
  return "/proc/self/fd/" + std::to_string(fd);
}

// Every secret key's value replaced by kSecret, so that a leak is visible in any message.
void plantSecrets(warren::config::Layer& layer) {
  for (auto& [key, value] : layer.values) {
    if (warren::config::isSecretKey(key)) value = kSecret;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input = warren::fuzz::text(data, size);
  // The fuzzer learns the mark from the check below: where the input holds it already (in a key
  // name, a plain value), an error may rightly show it.
  if (input.find(kSecret) != std::string_view::npos) return 0;
  const auto parts = warren::fuzz::split(input, '\0', 2);
  std::vector<warren::config::Layer> layers;
  try {
    layers.push_back(warren::config::fileLayer(writeIni(parts[0])));
    if (parts.size() > 1) {
      layers.push_back(warren::config::commandLineLayer(warren::fuzz::split(parts[1], '\n')));
    }
  } catch (const ConfigError&) {
    return 0;
  }
  for (auto& layer : layers) plantSecrets(layer);
  try {
    (void)warren::config::resolve(layers);
  } catch (const ConfigError& e) {
    const std::string message = e.what();
    if (message.find(kSecret) != std::string::npos) {
      warren::fuzz::violated("a config error shows a secret: " + message);
    }
  }
  return 0;
}
