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
      {"contract_types_null", "descriptor declares job types but job_types is NULL"},
      {"contract_type_name",
       "job type #0 has an invalid name (an exact job name: not empty, no '*', no control "
       "characters)"},
      {"contract_type_unhandled",
       "job type 'other' is not a job name the plugin handles (job names: contract "
       "contract:*)"},
      {"contract_type_twice", "job type 'contract' is declared twice"},
      {"contract_data_not_json",
       "job type 'contract' has an invalid data schema: schema is not JSON: parse error at line "
       "1, column 9: syntax error while parsing value - unexpected end of input; expected '[', "
       "'{', or a literal"},
      {"contract_result_not_schema",
       "job type 'contract:report' has an invalid result schema: not a valid JSON Schema: "
       "Unrecognised JSON type name 'strin'"},
      {"contract_migration_twice", "migration version 1 is declared twice"},
      {"contract_migration_zero", "migration #0 has version 0 (versions start at 1)"},
      {"contract_migration_name", "migration 2 has an invalid name (expected [a-z0-9_]+)"},
      {"contract_migration_no_sqlite", "migration 2 (add_index) has no SQL for SQLite"},
  };
  return refusals;
}

}  // namespace warren::test
