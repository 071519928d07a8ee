#include "sizing/Profiles.h"

#include <gtest/gtest.h>

#include <stdexcept>

namespace warren::sizing {
namespace {

TEST(Profiles, DevelopmentStagingProductionDefaults) {
  const auto dev = profileDefaults("development");
  EXPECT_EQ(dev.queueConcurrency, 2u);
  EXPECT_EQ(dev.dbPoolSize, 5u);
  EXPECT_EQ(dev.logLevel, log::Level::debug);
  EXPECT_FALSE(dev.metrics);

  const auto staging = profileDefaults("staging");
  EXPECT_EQ(staging.queueConcurrency, 5u);
  EXPECT_EQ(staging.dbPoolSize, 10u);
  EXPECT_EQ(staging.logLevel, log::Level::info);
  EXPECT_TRUE(staging.metrics);

  const auto prod = profileDefaults("production");
  EXPECT_EQ(prod.queueConcurrency, 10u);
  EXPECT_EQ(prod.dbPoolSize, 20u);
  EXPECT_EQ(prod.logLevel, log::Level::warn);
  EXPECT_TRUE(prod.metrics);
}

TEST(Profiles, UnknownProfileIsRefusedWithTheValidNames) {
  try {
    profileDefaults("prod");
    FAIL() << "expected a refusal";
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(),
                 "unknown profile 'prod': expected one of development, staging, production");
  }
}

TEST(Tiers, TableFromMicroToPerformance) {
  struct Expected {
    const char* name;
    std::uint32_t cpuMillis;
    std::uint64_t memoryMiB;
    std::uint32_t budget;
  };
  const Expected expected[] = {{"micro", 500, 512, 2},       {"small", 1000, 1024, 5},
                               {"standard", 2000, 2048, 10}, {"medium", 2000, 4096, 20},
                               {"large", 4000, 8192, 40},    {"performance", 8000, 16384, 80}};
  ASSERT_EQ(tiers().size(), std::size(expected));
  for (const auto& e : expected) {
    const auto tier = tierDefaults(e.name);
    EXPECT_EQ(tier.name, e.name);
    EXPECT_EQ(tier.cpuMillis, e.cpuMillis) << e.name;
    EXPECT_EQ(tier.memoryMiB, e.memoryMiB) << e.name;
    EXPECT_EQ(tier.nodeBudget, e.budget) << e.name;
  }
}

TEST(Tiers, GrowFromSmallestToLargest) {
  for (std::size_t i = 1; i < tiers().size(); ++i) {
    EXPECT_GE(tiers()[i].cpuMillis, tiers()[i - 1].cpuMillis);
    EXPECT_GT(tiers()[i].memoryMiB, tiers()[i - 1].memoryMiB);
    EXPECT_GT(tiers()[i].nodeBudget, tiers()[i - 1].nodeBudget);
  }
}

TEST(Tiers, UnknownTierIsRefusedWithTheValidNames) {
  try {
    tierDefaults("huge");
    FAIL() << "expected a refusal";
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(),
                 "unknown tier 'huge': expected one of micro, small, standard, medium, large, "
                 "performance");
  }
  EXPECT_THROW(tierDefaults(""), std::invalid_argument);
  EXPECT_THROW(tierDefaults("Micro"), std::invalid_argument);
}

}  // namespace
}  // namespace warren::sizing
