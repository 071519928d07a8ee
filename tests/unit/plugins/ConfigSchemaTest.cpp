// A plugin's config checked against its declared schema (validateConfig), and what reaches the
// plugin through the host's config service.
#include "Jobs.h"
#include "Paths.h"

#include "log/Log.h"
#include "plugins/Library.h"

#include <gtest/gtest.h>

namespace warren::test {
namespace {

using plugins::ConfigValues;
using plugins::PluginError;
using plugins::validateConfig;

class ConfigSchema : public ::testing::Test {
 protected:
  std::string refusal(const ConfigValues& given) const {
    try {
      validateConfig(info_, given);
    } catch (const PluginError& e) {
      return e.what();
    }
    return "";
  }
  std::shared_ptr<plugins::Library> library_ = plugins::Library::load(fixture("required_config"));
  const plugins::PluginInfo& info_ = library_->info();
};

TEST_F(ConfigSchema, DefaultsFillTheGaps) {
  const ConfigValues values = validateConfig(info_, {{"endpoint", "https://api.example"}});
  EXPECT_EQ(values, (ConfigValues{{"endpoint", "https://api.example"},
                                  {"retries", "3"},
                                  {"ratio", "0.5"},
                                  {"verbose", "false"}}));
}

TEST_F(ConfigSchema, MissingRequiredKey) {
  EXPECT_EQ(refusal({{"retries", "4"}}),
            "plugin required_config requires config key 'endpoint' (base URL of the service)");
}

TEST_F(ConfigSchema, UnknownKeyListsTheAcceptedOnes) {
  EXPECT_EQ(refusal({{"endpoint", "x"}, {"endpoitn", "x"}}),
            "plugin required_config has no config key 'endpoitn' (it accepts: endpoint retries "
            "ratio verbose token)");
}

TEST_F(ConfigSchema, UnknownKeyOnAPluginWithoutConfig) {
  const auto library = plugins::Library::load(fixture("throws"));
  try {
    validateConfig(library->info(), {{"anything", "1"}});
    FAIL() << "expected PluginError";
  } catch (const PluginError& e) {
    EXPECT_STREQ(e.what(), "plugin throws has no config key 'anything' (it accepts none)");
  }
}

TEST_F(ConfigSchema, WrongTypes) {
  EXPECT_EQ(refusal({{"endpoint", "x"}, {"retries", "three"}}),
            "plugin required_config config key 'retries': 'three' is not a valid int");
  EXPECT_EQ(refusal({{"endpoint", "x"}, {"retries", "3.5"}}),
            "plugin required_config config key 'retries': '3.5' is not a valid int");
  EXPECT_EQ(refusal({{"endpoint", "x"}, {"retries", "99999999999999999999"}}),
            "plugin required_config config key 'retries': '99999999999999999999' is not a valid "
            "int");
  EXPECT_EQ(refusal({{"endpoint", "x"}, {"ratio", "fast"}}),
            "plugin required_config config key 'ratio': 'fast' is not a valid float");
  EXPECT_EQ(refusal({{"endpoint", "x"}, {"verbose", "maybe"}}),
            "plugin required_config config key 'verbose': 'maybe' is not a valid bool");
  EXPECT_EQ(refusal({{"endpoint", "x"}, {"retries", ""}}),
            "plugin required_config config key 'retries': '' is not a valid int");
}

TEST_F(ConfigSchema, BoolsAreNormalised) {
  for (const char* yes : {"true", "yes", "on", "1"}) {
    EXPECT_EQ(validateConfig(info_, {{"endpoint", "x"}, {"verbose", yes}}).at("verbose"), "true")
        << yes;
  }
  for (const char* no : {"false", "no", "off", "0"}) {
    EXPECT_EQ(validateConfig(info_, {{"endpoint", "x"}, {"verbose", no}}).at("verbose"), "false")
        << no;
  }
}

TEST_F(ConfigSchema, SecretsAreRedactedInLogs) {
  const std::string secret = "tok-3f9a-very-secret";
  validateConfig(info_, {{"endpoint", "x"}, {"token", secret}});
  const std::string line =
      log::formatLine(log::Level::info, "calling with " + secret, {{"token", secret}});
  EXPECT_EQ(line.find(secret), std::string::npos) << line;
  EXPECT_NE(line.find(R"("msg":"calling with ***")"), std::string::npos) << line;
  EXPECT_NE(line.find(R"("token":"***")"), std::string::npos) << line;
}

TEST_F(ConfigSchema, ThePluginSeesValidatedValues) {
  plugins::Instance instance(library_,
                             {{"endpoint", "https://api.example"},
                              {"retries", "7"},
                              {"verbose", "on"},
                              {"token", "t0ken-value"}},
                             "configured");
  const Recorded r = runJob(instance, jobInput("configured"));
  EXPECT_EQ(r.outcome.result,
            R"({"endpoint":"https://api.example","retries":7,"ratio":0.5,"verbose":"true",)"
            R"("token_set":true})");
}

TEST_F(ConfigSchema, InstanceRefusesInvalidConfigBeforeInit) {
  try {
    plugins::Instance instance(library_, {}, "configured");
    FAIL() << "expected PluginError";
  } catch (const PluginError& e) {
    EXPECT_STREQ(e.what(),
                 "plugin required_config requires config key 'endpoint' (base URL of the service)");
  }
}

}  // namespace
}  // namespace warren::test
