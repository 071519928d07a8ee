// Where the build put what the tests load and run.
#pragma once

#include <filesystem>
#include <string>

namespace warren::test {

// A fixture from tests/plugins, e.g. fixture("bad_magic") -> .../tests/plugins/bad_magic.so.
inline std::filesystem::path fixture(const std::string& name) {
  return std::filesystem::path(WARREN_TEST_FIXTURE_DIR) / (name + ".so");
}
// A plugin built into the host's plugin directory, e.g. builtPlugin("echo").
inline std::filesystem::path builtPlugin(const std::string& name) {
  return std::filesystem::path(WARREN_TEST_PLUGIN_DIR) / (name + ".so");
}
inline std::filesystem::path warrenBinary() {
  return std::filesystem::path(WARREN_TEST_BIN_DIR) / "warren";
}

}  // namespace warren::test
