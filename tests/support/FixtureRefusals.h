// The exact reason the host gives for each deliberately bad fixture in tests/plugins. Shared by
// the loader tests (PluginError::what()) and the CLI tests (warren plugins inspect/list), so a
// change to a message is made, and reviewed, in one place.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace warren::test {

struct FixtureRefusal {
  std::string fixture;
  std::string reason;  // what follows "plugin PATH refused: "
};

// Names a parameterised test case by its fixture (instead of a byte dump) in gtest and ctest.
inline void PrintTo(const FixtureRefusal& refusal, std::ostream* out) {
  *out << refusal.fixture;
}

// `undefined_symbol` is not here: its reason contains its own path.
inline const std::vector<FixtureRefusal>& staticFixtureRefusals() {
  static const std::vector<FixtureRefusal> refusals = {
      {"bad_magic", "wrong magic 0x12345678 (host expects 0x5752504E): not a Warren plugin"},
      {"newer_minor", "plugin needs ABI 1.3, newer than the host's ABI 1.2: upgrade the host"},
      {"other_major", "ABI major version mismatch: plugin has ABI 2.2, host has ABI 1.2"},
      {"small_struct", "descriptor struct_size 64 is smaller than the 104 bytes of ABI 1.2"},
      {"unknown_resource", "unknown resource class 3"},
      {"null_entry", "entry function warren_plugin_entry returned NULL"},
      {"no_entry", "it does not export warren_plugin_entry: not a Warren plugin"},
  };
  return refusals;
}

}  // namespace warren::test
