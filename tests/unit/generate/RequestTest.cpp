// content:generate job data as the plugin reads it (behind the host's schema check), and the
// brand profile from the job.
#include "Brand.h"
#include "Request.h"

#include "job/Failure.h"

#include <gtest/gtest.h>

namespace warren::test {
namespace {

using common::Json;
using common::platform::Platform;

std::string refusal(const Json& data) {
  try {
    generate::parseRequest(data);
  } catch (const common::job::Unrecoverable& e) {
    return e.what();
  }
  return "(accepted)";
}

TEST(GenerateRequest, EveryField) {
  const generate::Request r = generate::parseRequest({{"brandProfileId", 7},
                                                      {"analysisId", "12"},
                                                      {"platforms", {"twitter", "bluesky"}},
                                                      {"variants", 3},
                                                      {"goal", "opening day"},
                                                      {"language", "fr"},
                                                      {"mediaKeys", {"a.jpg"}},
                                                      {"scheduleAt", "2030-05-01T09:30:00+02:00"},
                                                      {"accounts", {{"x", "acc-1"}}},
                                                      {"store", true}});
  EXPECT_EQ(r.brandProfileId, "7");
  EXPECT_EQ(r.analysisId, "12");
  EXPECT_EQ(r.platforms, (std::vector<Platform>{Platform::X, Platform::Bluesky}));
  EXPECT_EQ(r.variants, 3u);
  EXPECT_EQ(r.goal, "opening day");
  EXPECT_EQ(r.language, "fr");
  EXPECT_EQ(r.mediaKeys, std::vector<std::string>{"a.jpg"});
  EXPECT_EQ(r.scheduleAtMs, 1903851000000);  // 2030-05-01T07:30:00Z
  EXPECT_EQ(r.accounts.at(Platform::X), "acc-1");
  EXPECT_TRUE(r.store);
}

TEST(GenerateRequest, Refusals) {
  const Json base = {{"brandProfileId", "b"}, {"materialId", "m"}, {"platforms", {"x"}}};
  EXPECT_EQ(refusal(base), "(accepted)");
  Json data = base;
  data["analysisId"] = 3;
  EXPECT_EQ(refusal(data),
            "invalid job data: give exactly one of 'analysis', 'analysisId' and 'materialId'");
  data = base;
  data["platforms"] = {"x", "twitter"};
  EXPECT_EQ(refusal(data), "invalid job data: platform 'x' is given twice");
  data["platforms"] = {"myspace"};
  EXPECT_EQ(refusal(data),
            "invalid job data: platform \"myspace\" is not one of x, bluesky, mastodon, "
            "linkedin, threads, instagram, facebook");
  data = base;
  data["scheduleAt"] = "tomorrow";
  EXPECT_EQ(refusal(data),
            "invalid job data: 'scheduleAt' is not an RFC 3339 date-time: "
            "'tomorrow'");
  data = base;
  data.erase("brandProfileId");
  EXPECT_EQ(refusal(data), "invalid job data: 'brandProfileId' is required");
}

TEST(GenerateRequest, DateTimes) {
  EXPECT_EQ(generate::parseDateTime("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(generate::parseDateTime("2026-12-31T23:59:59.250Z"), 1798761599250);
  EXPECT_EQ(generate::parseDateTime("2026-12-31T23:59:59-01:30"), 1798766999000);
  EXPECT_FALSE(generate::parseDateTime("2026-12-31 23:59:59"));
  EXPECT_FALSE(generate::parseDateTime("2026-13-01T00:00:00Z"));
  EXPECT_FALSE(generate::parseDateTime("2026-12-31T23:59:59"));
}

TEST(GenerateBrand, FromTheJob) {
  const generate::BrandProfile brand =
      generate::brandFromJson("7", {{"name", "Acme"},
                                    {"requiredHashtags", {"Acme", "#AcmeBread"}},
                                    {"bannedHashtags", {"#Sale"}},
                                    {"bannedWords", {"cheap"}},
                                    {"emojiPolicy", "none"},
                                    {"callToAction", "Visit us!"},
                                    {"language", "en"}});
  EXPECT_EQ(brand.from, "job");
  EXPECT_EQ(brand.requiredHashtags, (std::vector<std::string>{"#Acme", "#AcmeBread"}));
  EXPECT_EQ(brand.emoji, generate::EmojiPolicy::none);
  EXPECT_EQ(brand.callToAction, "Visit us!");
  try {
    generate::brandFromJson("7", {{"requiredHashtags", {"two words"}}});
    FAIL();
  } catch (const common::job::Unrecoverable& e) {
    EXPECT_STREQ(e.what(), "brand.requiredHashtags: 'two words' is not a hashtag");
  }
}

}  // namespace
}  // namespace warren::test
