// The analytics cadence: young posts often, old ones rarely, then not at all.
#include "Settings.h"
#include "analytics/Cadence.h"

#include <gtest/gtest.h>

#include <stdexcept>

namespace {

constexpr std::int64_t kHour = 3600 * 1000;

TEST(Cadence, BandsFromConfig) {
  const auto bands = publish::parseBands("6h=1h, 24h=3h,72h=12h,7d=24h");
  ASSERT_EQ(bands.size(), 4u);
  EXPECT_EQ(bands[0].ageMs, 6 * kHour);
  EXPECT_EQ(bands[0].everyMs, kHour);
  EXPECT_EQ(bands[3].ageMs, 7 * 24 * kHour);
}

TEST(Cadence, BadBandsAreRefusedWithTheReason) {
  const auto message = [](const std::string& text) {
    try {
      publish::parseBands(text);
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  EXPECT_EQ(message("6h"), "analytics_bands: '6h' is not AGE=INTERVAL");
  EXPECT_EQ(message("6h=1x"), "analytics_bands: '1x' is not a duration like 30m, 6h or 7d");
  EXPECT_EQ(message("24h=1h,6h=1h"), "analytics_bands: ages must increase");
}

TEST(Cadence, NextCollectionByAge) {
  const auto bands = publish::parseBands("6h=1h,24h=3h,7d=24h");
  const std::int64_t published = 1000 * kHour;
  EXPECT_EQ(publish::analytics::nextCollection(bands, published, published + kHour),
            published + 2 * kHour);
  EXPECT_EQ(publish::analytics::nextCollection(bands, published, published + 7 * kHour),
            published + 10 * kHour);
  EXPECT_EQ(publish::analytics::nextCollection(bands, published, published + 30 * kHour),
            published + 54 * kHour);
  EXPECT_EQ(publish::analytics::nextCollection(bands, published, published + 8 * 24 * kHour), 0);
}

}  // namespace
