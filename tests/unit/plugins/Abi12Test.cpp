// The ABI 1.2 job services through plugins::Instance, against the abi12 fixture (C++ wrapper):
// job data checked against the job type's schema before the plugin runs.
#include "Jobs.h"
#include "Paths.h"

#include "plugins/Library.h"

#include <gtest/gtest.h>

namespace warren::test {
namespace {

using plugins::Instance;
using plugins::Library;

class Abi12Jobs : public ::testing::Test {
 protected:
  Recorded run(const std::string& name, const std::string& data) {
    return runJob(*plugin_, jobInput(name, data));
  }
  std::unique_ptr<Instance> plugin_ =
      std::make_unique<Instance>(Library::load(fixture("abi12")), plugins::ConfigValues{}, "q");
};

TEST_F(Abi12Jobs, DataThatFitsItsSchemaReachesThePlugin) {
  const Recorded r = run("abi12:validated", R"({"text":"hello"})");
  EXPECT_EQ(r.outcome.outcome, WARREN_JOB_COMPLETED);
  EXPECT_EQ(r.outcome.result, R"({"text":"hello"})");
}

TEST_F(Abi12Jobs, DataThatDoesNotFitFailsUnrecoverablyBeforeThePluginRuns) {
  Recorded r = run("abi12:validated", R"({"text":5})");
  EXPECT_EQ(r.outcome.outcome, WARREN_JOB_FAILED_UNRECOVERABLE);
  EXPECT_EQ(r.outcome.error, "invalid job data for abi12:validated: /text: expected a string");
  r = run("abi12:validated", R"({"text":"","extra":1})");
  EXPECT_EQ(r.outcome.error,
            "invalid job data for abi12:validated: /text: must be at least 1 characters long; "
            "/: unexpected property 'extra'");
  r = run("abi12:validated", "[]");
  EXPECT_EQ(r.outcome.error, "invalid job data for abi12:validated: /: expected an object");
}

TEST_F(Abi12Jobs, JobsWithoutADataSchemaAreNotChecked) {
  // abi12:delay has a job type without a data schema; abi12:cancel has no job type at all.
  const Recorded r = run("abi12:delay", R"({"until":0,"unchecked":true})");
  EXPECT_EQ(r.outcome.outcome, WARREN_JOB_COMPLETED);
  EXPECT_EQ(run("abi12:cancel", R"({"wait_ms":0})").outcome.outcome, WARREN_JOB_COMPLETED);
}

}  // namespace
}  // namespace warren::test
