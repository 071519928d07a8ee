// Cron (cron-parser 5.10.0 semantics) and TimeZone (system TZif data). Expected values come from
// reference/expected.inc, produced by reference/generate.js with the npm package itself.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "queue/Cron.h"
#include "queue/TimeZone.h"

namespace warren::queue {
namespace {

struct ReferenceCase {
  std::string pattern;
  std::string tz;
  std::int64_t startMs;
  std::int64_t endMs;
  std::string seed;
  int count;  // occurrences asked for; fewer in `expected` means cron-parser found no more
  std::vector<std::int64_t> expected;
};

struct ParseCase {
  std::string pattern;
  bool accepted;
};

struct OffsetCase {
  std::string zone;
  std::vector<std::pair<std::int64_t, std::int32_t>> offsets;  // Unix seconds -> seconds east
};

#include "expected.inc"

// "2025-03-30T01:30:00Z" or "2025-03-30T01:30:00.250Z" -> Unix ms.
std::int64_t ms(const std::string& iso) {
  const auto num = [&](std::size_t pos, std::size_t len) {
    return std::stoi(iso.substr(pos, len));
  };
  const std::int64_t days = calendar::daysFromCivil(num(0, 4), num(5, 2), num(8, 2));
  std::int64_t t = ((days * 24 + num(11, 2)) * 60 + num(14, 2)) * 60 + num(17, 2);
  t *= 1000;
  if (iso.size() > 20 && iso[19] == '.') t += num(20, 3);
  return t;
}

std::string iso(std::int64_t t) {
  const std::int64_t days = calendar::floorDiv(t, 86'400'000);
  const std::int64_t rest = t - days * 86'400'000;
  const calendar::Date d = calendar::civilFromDays(days);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04lld-%02d-%02dT%02lld:%02lld:%02lld.%03lldZ",
                static_cast<long long>(d.year), d.month, d.day,
                static_cast<long long>(rest / 3'600'000),
                static_cast<long long>(rest / 60'000 % 60),
                static_cast<long long>(rest / 1000 % 60), static_cast<long long>(rest % 1000));
  return buf;
}

// The next `count` occurrences, chained as a BullMQ worker does (each from the previous one).
std::vector<std::string> run(const Cron& cron, const std::string& tz, const std::string& after,
                             int count, std::int64_t endMs = 0) {
  std::vector<std::string> out;
  std::int64_t t = ms(after);
  for (int i = 0; i < count; ++i) {
    const auto next = cron.next(t, tz, endMs);
    if (!next) break;
    out.push_back(iso(*next));
    t = *next;
  }
  return out;
}

std::string parseError(const std::string& pattern) {
  try {
    Cron::parse(pattern);
  } catch (const CronError& e) {
    return e.what();
  }
  return "(accepted)";
}

// ---- Reference table ---------------------------------------------------------------------------

class CronReference : public ::testing::TestWithParam<ReferenceCase> {};

TEST_P(CronReference, MatchesCronParser) {
  const ReferenceCase& c = GetParam();
  const Cron cron = Cron::parse(c.pattern, c.seed);
  std::vector<std::string> got;
  std::int64_t t = c.startMs;
  for (int i = 0; i < c.count; ++i) {
    const auto next = cron.next(t, c.tz, c.endMs);
    if (!next) break;
    got.push_back(iso(*next));
    t = *next;
  }
  std::vector<std::string> want;
  for (std::int64_t e : c.expected) want.push_back(iso(e));
  EXPECT_EQ(got, want) << "pattern '" << c.pattern << "' tz '" << c.tz << "' after "
                       << iso(c.startMs);
}

INSTANTIATE_TEST_SUITE_P(Table, CronReference, ::testing::ValuesIn(kReferenceCases),
                         [](const ::testing::TestParamInfo<ReferenceCase>& p) {
                           return "case" + std::to_string(p.index);
                         });

TEST(CronReferenceTable, IsLargeAndCoversTheSyntax) {
  EXPECT_GE(kReferenceCases.size(), 40U);
  const std::vector<std::string> needles{"L", "#", "/", "-", ",", "?", "@", "H", "JAN", "7"};
  for (const std::string& needle : needles) {
    bool found = false;
    for (const auto& c : kReferenceCases)
      found = found || c.pattern.find(needle) != std::string::npos;
    EXPECT_TRUE(found) << needle;
  }
}

class CronParseReference : public ::testing::TestWithParam<ParseCase> {};

TEST_P(CronParseReference, AcceptsWhatCronParserAccepts) {
  const ParseCase& c = GetParam();
  if (c.accepted) {
    EXPECT_NO_THROW(Cron::parse(c.pattern, "seed")) << "'" << c.pattern << "'";
  } else {
    EXPECT_THROW(Cron::parse(c.pattern, "seed"), CronError) << "'" << c.pattern << "'";
  }
}

INSTANTIATE_TEST_SUITE_P(Table, CronParseReference, ::testing::ValuesIn(kParseCases),
                         [](const ::testing::TestParamInfo<ParseCase>& p) {
                           return "case" + std::to_string(p.index);
                         });

// ---- Parse errors ------------------------------------------------------------------------------

TEST(CronParse, ErrorMessagesNameTheFieldAndText) {
  EXPECT_EQ(parseError("61 * * * *"),
            "invalid cron pattern '61 * * * *': minute field '61': value 61 out of range 0-59");
  EXPECT_EQ(parseError("0 24 * * *"),
            "invalid cron pattern '0 24 * * *': hour field '24': value 24 out of range 0-23");
  EXPECT_EQ(parseError("60 0 * * * *"),
            "invalid cron pattern '60 0 * * * *': second field '60': value 60 out of range 0-59");
  EXPECT_EQ(parseError("0 0 15W * *"),
            "invalid cron pattern '0 0 15W * *': day-of-month field '15W': invalid characters");
  EXPECT_EQ(parseError("0 0 * 13 *"),
            "invalid cron pattern '0 0 * 13 *': month field '13': value 13 out of range 1-12");
  EXPECT_EQ(
      parseError("0 0 * * MONDAY"),
      "invalid cron pattern '0 0 * * MONDAY': day-of-week field 'MONDAY': unknown name 'DAY'");
  // Found by the cron fuzzer: a day of week past int64 but below 1e21 (printed in full by
  // JavaScript) was cast to int64 (undefined behaviour).
  EXPECT_EQ(parseError("0005 777777777777777777777"),
            "invalid cron pattern '0005 777777777777777777777': day-of-week field "
            "'777777777777777777777': value 777777777777777777777 out of range 0-7");
  EXPECT_EQ(parseError("0 0 0 0 0 0 0"),
            "invalid cron pattern '0 0 0 0 0 0 0': too many fields (7, at most 6)");
  EXPECT_EQ(parseError("1,1 * * * *"),
            "invalid cron pattern '1,1 * * * *': minute field '1,1': duplicate value 1");
  EXPECT_EQ(parseError("5-1 * * * *"),
            "invalid cron pattern '5-1 * * * *': minute field '5-1': range '5-1' has min > max");
  EXPECT_EQ(parseError("*/0 * * * *"),
            "invalid cron pattern '*/0 * * * *': minute field '*/0': invalid step (must be a "
            "positive integer)");
  EXPECT_EQ(parseError("0 0 0-7 * *"),
            "invalid cron pattern '0 0 0-7 * *': day-of-month field '0-7': range '0-7' outside "
            "1-31");
  EXPECT_EQ(parseError("1,,2 * * * *"),
            "invalid cron pattern '1,,2 * * * *': minute field '1,,2': empty list element");
  EXPECT_EQ(parseError("0 0 30 2 *"),
            "invalid cron pattern '0 0 30 2 *': day-of-month field '30': month 2 never has day 30");
  EXPECT_EQ(parseError("0 0 * * L"),
            "invalid cron pattern '0 0 * * L': day-of-week field 'L': 'L' needs a weekday in "
            "front of it (e.g. 5L)");
  EXPECT_EQ(parseError("0 0 * * 1#6"),
            "invalid cron pattern '0 0 * * 1#6': day-of-week field '1#6': the occurrence after "
            "'#' must be 1 to 5");
  EXPECT_EQ(parseError("0 0 * * 1-5#2"),
            "invalid cron pattern '0 0 * * 1-5#2': day-of-week field '1-5#2': '#' cannot be "
            "combined with ',', '-' or '/'");
  EXPECT_EQ(parseError("0 0 123L * *"),
            "invalid cron pattern '0 0 123L * *': day-of-month field '123L': invalid value '123L'");
  EXPECT_EQ(parseError("H/0 * * * *"),
            "invalid cron pattern 'H/0 * * * *': minute field 'H/0': invalid step 0, must be "
            "positive");
  EXPECT_EQ(parseError("H(70-80) * * * *"),
            "invalid cron pattern 'H(70-80) * * * *': minute field 'H(70-80)': range 70-80 has no "
            "usable value");
  EXPECT_EQ(parseError("@YEARLY"),
            "invalid cron pattern '@YEARLY': day-of-week field '@YEARLY': unknown name 'YEA'");
}

TEST(CronParse, KeepsThePattern) {
  EXPECT_EQ(Cron::parse("@daily").pattern(), "@daily");
}

// ---- Explicit behaviour (also in the table; spelled out here for readers) -------------------

TEST(CronNext, EvenSecondsInUtc) {
  const Cron cron = Cron::parse("*/2 * * * * *");
  std::int64_t t = ms("2025-05-05T10:00:00.700Z");
  for (int i = 0; i < 100; ++i) {
    const auto next = cron.next(t, "UTC");
    ASSERT_TRUE(next);
    EXPECT_EQ(*next % 2000, 0) << iso(*next);
    EXPECT_GT(*next, t);
    EXPECT_LE(*next - t, 2000);
    t = *next;
  }
  EXPECT_EQ(*cron.next(ms("2025-05-05T10:00:58Z"), ""), ms("2025-05-05T10:01:00Z"));
}

TEST(CronNext, StrictlyAfter) {
  const Cron cron = Cron::parse("0 15 3 * * *");
  EXPECT_EQ(iso(*cron.next(ms("2025-01-01T03:15:00Z"), "UTC")), "2025-01-02T03:15:00.000Z");
  EXPECT_EQ(iso(*cron.next(ms("2025-01-01T03:14:59.999Z"), "UTC")), "2025-01-01T03:15:00.000Z");
}

TEST(CronNext, DayOfMonthOrDayOfWeekWhenBothRestricted) {
  // The 15th, or any Monday.
  EXPECT_EQ(run(Cron::parse("0 0 15 * 1"), "UTC", "2025-01-01T00:00:00Z", 4),
            (std::vector<std::string>{"2025-01-06T00:00:00.000Z", "2025-01-13T00:00:00.000Z",
                                      "2025-01-15T00:00:00.000Z", "2025-01-20T00:00:00.000Z"}));
}

TEST(CronNext, BerlinSpringForward) {
  // 2025-03-30: 02:00 CET -> 03:00 CEST. The non-existent 02:30 runs at 03:30 CEST (01:30Z).
  EXPECT_EQ(run(Cron::parse("30 2 * * *"), "Europe/Berlin", "2025-03-29T00:00:00Z", 3),
            (std::vector<std::string>{"2025-03-29T01:30:00.000Z", "2025-03-30T01:30:00.000Z",
                                      "2025-03-31T00:30:00.000Z"}));
  // Hours 2 and 3 both land on 03:00 CEST, which runs once.
  EXPECT_EQ(run(Cron::parse("0 0 2,3 * * *"), "Europe/Berlin", "2025-03-30T00:00:00Z", 2),
            (std::vector<std::string>{"2025-03-30T01:00:00.000Z", "2025-03-31T00:00:00.000Z"}));
}

TEST(CronNext, BerlinFallBack) {
  // 2025-10-26: 03:00 CEST -> 02:00 CET. Every 30 minutes keeps running through both 02:xx.
  EXPECT_EQ(run(Cron::parse("0 */30 * * * *"), "Europe/Berlin", "2025-10-26T00:00:00Z", 4),
            (std::vector<std::string>{"2025-10-26T00:30:00.000Z", "2025-10-26T01:00:00.000Z",
                                      "2025-10-26T01:30:00.000Z", "2025-10-26T02:00:00.000Z"}));
  // A restricted hour runs in the first 02:30 only.
  EXPECT_EQ(run(Cron::parse("30 2 * * *"), "Europe/Berlin", "2025-10-25T12:00:00Z", 2),
            (std::vector<std::string>{"2025-10-26T00:30:00.000Z", "2025-10-27T01:30:00.000Z"}));
}

TEST(CronNext, NewYorkTransitions) {
  // 2025-03-09: 02:00 EST -> 03:00 EDT; 02:30 runs at 03:30 EDT (07:30Z).
  EXPECT_EQ(run(Cron::parse("30 2 * * *"), "America/New_York", "2025-03-08T12:00:00Z", 2),
            (std::vector<std::string>{"2025-03-09T07:30:00.000Z", "2025-03-10T06:30:00.000Z"}));
  // 2025-11-02: 02:00 EDT -> 01:00 EST; 01:30 runs once (EDT), every-30-minutes runs in both.
  EXPECT_EQ(run(Cron::parse("30 1 * * *"), "America/New_York", "2025-11-01T12:00:00Z", 2),
            (std::vector<std::string>{"2025-11-02T05:30:00.000Z", "2025-11-03T06:30:00.000Z"}));
  EXPECT_EQ(run(Cron::parse("0 */30 * * * *"), "America/New_York", "2025-11-02T05:00:00Z", 4),
            (std::vector<std::string>{"2025-11-02T05:30:00.000Z", "2025-11-02T06:00:00.000Z",
                                      "2025-11-02T06:30:00.000Z", "2025-11-02T07:00:00.000Z"}));
}

TEST(CronNext, EndBoundIsInclusive) {
  const Cron cron = Cron::parse("0 0 * * *");
  const std::int64_t end = ms("2025-01-03T00:00:00Z");
  EXPECT_EQ(run(cron, "UTC", "2025-01-01T00:00:00Z", 5, end),
            (std::vector<std::string>{"2025-01-02T00:00:00.000Z", "2025-01-03T00:00:00.000Z"}));
  EXPECT_FALSE(cron.next(end, "UTC", end));
  EXPECT_FALSE(cron.next(end + 86'400'000, "UTC", end));
  EXPECT_FALSE(cron.next(end - 1, "UTC", end - 1));
  EXPECT_TRUE(cron.next(end - 1, "UTC", 0));
}

TEST(CronNext, GivesUpLikeCronParser) {
  // Five Fridays in February: 2036, then 2064 is beyond cron-parser's 10000-step search.
  const Cron cron = Cron::parse("0 0 * 2 5#5");
  EXPECT_EQ(iso(*cron.next(ms("2025-01-01T00:00:00Z"), "UTC")), "2036-02-29T00:00:00.000Z");
  EXPECT_FALSE(cron.next(ms("2036-02-29T00:00:00Z"), "UTC"));
}

TEST(CronNext, RandomHashWithoutSeedStaysInRange) {
  for (int i = 0; i < 20; ++i) {
    const Cron cron = Cron::parse("H(10-20) * * * *");
    const auto next = cron.next(ms("2025-01-01T00:30:00Z"), "UTC");
    ASSERT_TRUE(next);
    const std::int64_t minute = (*next / 60'000) % 60;
    EXPECT_GE(minute, 10);
    EXPECT_LE(minute, 20);
    EXPECT_EQ(*next % 60'000, 0);
  }
}

TEST(CronNext, UnknownZone) {
  const Cron cron = Cron::parse("0 0 * * *");
  try {
    (void)cron.next(0, "Mars/Olympus_Mons");
    FAIL() << "no exception";
  } catch (const CronError& e) {
    EXPECT_STREQ(e.what(), "unknown time zone 'Mars/Olympus_Mons'");
  }
  EXPECT_THROW((void)cron.next(0, "../../etc/passwd"), CronError);
  EXPECT_THROW((void)cron.next(0, "posixrules"), CronError);
  EXPECT_THROW((void)cron.next(0, "right/UTC"), CronError);
  EXPECT_THROW((void)cron.next(0, "local"), CronError);
  EXPECT_THROW((void)cron.next(0, "GMT+2"), CronError);  // not a zone for ICU either
}

TEST(CronNext, ThreadSafe) {
  const Cron cron = Cron::parse("30 2 * * *");
  const std::vector<std::string> zones{"Europe/Berlin", "America/New_York", "Australia/Sydney",
                                       "Asia/Kolkata",  "Europe/Paris",     "Asia/Tokyo"};
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&, i] {
      for (int k = 0; k < 200; ++k) {
        const std::string& zone = zones[static_cast<std::size_t>(k + i) % zones.size()];
        const auto next = cron.next(ms("2025-03-29T00:00:00Z") + k * 3'600'000LL, zone);
        if (!next) ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
}

// ---- TimeZone ----------------------------------------------------------------------------------

class TimeZoneReference : public ::testing::TestWithParam<OffsetCase> {};

TEST_P(TimeZoneReference, OffsetsMatchIcu) {
  const OffsetCase& c = GetParam();
  const auto zone = TimeZone::locate(c.zone);
  for (const auto& [t, offset] : c.offsets) {
    EXPECT_EQ(zone->offsetAt(t), offset) << c.zone << " at " << iso(t * 1000);
  }
}

INSTANTIATE_TEST_SUITE_P(Table, TimeZoneReference, ::testing::ValuesIn(kOffsetCases),
                         [](const ::testing::TestParamInfo<OffsetCase>& p) {
                           std::string name;
                           for (char ch : p.param.zone) {
                             name += std::isalnum(static_cast<unsigned char>(ch)) ? ch : '_';
                           }
                           return name;
                         });

TEST(TimeZone, KnownOffsets) {
  auto at = [](const std::string& zone, const std::string& when) {
    return TimeZone::locate(zone)->offsetAt(ms(when) / 1000);
  };
  EXPECT_EQ(at("UTC", "2025-07-01T00:00:00Z"), 0);
  EXPECT_EQ(at("Europe/Berlin", "2025-03-30T00:59:59Z"), 3600);
  EXPECT_EQ(at("Europe/Berlin", "2025-03-30T01:00:00Z"), 7200);
  EXPECT_EQ(at("Europe/Berlin", "2025-10-26T00:59:59Z"), 7200);
  EXPECT_EQ(at("Europe/Berlin", "2025-10-26T01:00:00Z"), 3600);
  EXPECT_EQ(at("America/New_York", "2025-03-09T06:59:59Z"), -18000);
  EXPECT_EQ(at("America/New_York", "2025-03-09T07:00:00Z"), -14400);
  EXPECT_EQ(at("America/New_York", "2025-11-02T06:00:00Z"), -18000);
  EXPECT_EQ(at("Australia/Sydney", "2025-01-15T00:00:00Z"), 39600);  // southern summer: AEDT
  EXPECT_EQ(at("Australia/Sydney", "2025-07-15T00:00:00Z"), 36000);
  EXPECT_EQ(at("Asia/Kolkata", "2025-07-15T00:00:00Z"), 19800);
  // 2045 is past the transitions listed in the TZif files: the POSIX footer decides.
  EXPECT_EQ(at("Europe/Berlin", "2045-03-26T00:59:59Z"), 3600);
  EXPECT_EQ(at("Europe/Berlin", "2045-03-26T01:00:00Z"), 7200);
  EXPECT_EQ(at("America/New_York", "2045-11-05T05:59:59Z"), -14400);
  EXPECT_EQ(at("America/New_York", "2045-11-05T06:00:00Z"), -18000);
  EXPECT_EQ(at("Australia/Sydney", "2045-04-01T15:59:59Z"), 39600);
  EXPECT_EQ(at("Australia/Sydney", "2045-04-01T16:00:00Z"), 36000);
  EXPECT_EQ(at("Australia/Sydney", "2045-09-30T15:59:59Z"), 36000);
  EXPECT_EQ(at("Australia/Sydney", "2045-09-30T16:00:00Z"), 39600);
}

TEST(TimeZone, NamesAndCache) {
  EXPECT_EQ(TimeZone::locate("Europe/Berlin"), TimeZone::locate("Europe/Berlin"));
  EXPECT_EQ(TimeZone::locate("utc")->offsetAt(0), 0);
  EXPECT_EQ(TimeZone::locate("GMT")->offsetAt(0), 0);
  EXPECT_EQ(TimeZone::locate("UTC+5")->offsetAt(0), 18000);
  EXPECT_EQ(TimeZone::locate("UTC-03:30")->offsetAt(0), -12600);
  EXPECT_EQ(TimeZone::locate("Etc/GMT+5")->offsetAt(0), -18000);
  EXPECT_EQ(TimeZone::locate("europe/berlin")->offsetAt(ms("2025-07-01T00:00:00Z") / 1000), 7200);
  EXPECT_THROW(TimeZone::locate(""), CronError);
  EXPECT_THROW(TimeZone::locate("Europe/"), CronError);
  EXPECT_THROW(TimeZone::locate("/usr/share/zoneinfo/UTC"), CronError);
  EXPECT_THROW(TimeZone::locate("zone.tab"), CronError);
  // Found by the cron fuzzer: the hours of a long "UTC-666..." overflowed an int before the
  // digit count refused them.
  EXPECT_THROW(TimeZone::locate("utc-66666666666666666666666666666666"), CronError);
}

TEST(TimeZone, PosixRules) {
  const auto berlin = TimeZone::fromPosix("x", "CET-1CEST,M3.5.0,M10.5.0/3");
  EXPECT_EQ(berlin->offsetAt(ms("2060-03-28T00:59:59Z") / 1000), 3600);
  EXPECT_EQ(berlin->offsetAt(ms("2060-03-28T01:00:00Z") / 1000), 7200);
  EXPECT_EQ(berlin->offsetAt(ms("2060-10-31T00:59:59Z") / 1000), 7200);
  EXPECT_EQ(berlin->offsetAt(ms("2060-10-31T01:00:00Z") / 1000), 3600);
  EXPECT_EQ(TimeZone::fromPosix("x", "<+0545>-5:45")->offsetAt(0), 20700);
  // Irish "negative DST": IST is standard time, GMT the winter "DST".
  const auto dublin = TimeZone::fromPosix("x", "IST-1GMT0,M10.5.0,M3.5.0/1");
  EXPECT_EQ(dublin->offsetAt(ms("2060-01-15T00:00:00Z") / 1000), 0);
  EXPECT_EQ(dublin->offsetAt(ms("2060-07-15T00:00:00Z") / 1000), 3600);
  // Rule times outside 0-24h (RFC 8536), America/Nuuk: 2060-03-27 23:00 local (-02).
  const auto nuuk = TimeZone::fromPosix("x", "<-02>2<-01>,M3.5.0/-1,M10.5.0/0");
  EXPECT_EQ(nuuk->offsetAt(ms("2060-03-28T00:59:59Z") / 1000), -7200);
  EXPECT_EQ(nuuk->offsetAt(ms("2060-03-28T01:00:00Z") / 1000), -3600);
  // DST all year (Jn rules at 25:00).
  const auto always = TimeZone::fromPosix("x", "EST5EDT,0/0,J365/25");
  EXPECT_EQ(always->offsetAt(ms("2060-01-01T12:00:00Z") / 1000), -14400);
  EXPECT_EQ(always->offsetAt(ms("2060-12-31T23:00:00Z") / 1000), -14400);
  EXPECT_THROW(TimeZone::fromPosix("x", "CET-1CEST,M13.5.0,M10.5.0"), CronError);
  EXPECT_THROW(TimeZone::fromPosix("x", "X1"), CronError);
}

TEST(TimeZone, RejectsMalformedTzif) {
  EXPECT_THROW(TimeZone::fromTzif("x", "TZif2"), CronError);
  EXPECT_THROW(TimeZone::fromTzif("x", "not a tzif file at all, no no no no no no no no"),
               CronError);
}

// Found by the cron fuzz target (tests/fuzz/Cron.cpp): a header claiming billions of transitions
// had them allocated (and zeroed) before the data was found too short.
TEST(TimeZone, HeaderCountsBeyondTheDataAreRefusedBeforeAllocating) {
  // "TZif", the version, 15 reserved bytes, then isutcnt isstdcnt leapcnt timecnt typecnt charcnt.
  const auto header = [](char version, std::uint32_t timecnt) {
    std::string h = std::string("TZif") + version + std::string(15, '\0') + std::string(12, '\0');
    for (const std::uint32_t count : {timecnt, std::uint32_t{1}, std::uint32_t{0}}) {
      for (int shift = 24; shift >= 0; shift -= 8) h += static_cast<char>((count >> shift) & 0xff);
    }
    return h;
  };
  const std::string v1 = header('\0', 0xffffffff) + std::string(64, '\0');
  const std::string v2 =
      header('2', 0) + std::string(6, '\0') + header('2', 0xffffffff) + std::string(64, '\0');
  for (const std::string& tzif : {v1, v2}) {
    try {
      TimeZone::fromTzif("x", tzif);
      FAIL() << "expected CronError";
    } catch (const CronError& e) {
      EXPECT_STREQ(e.what(), "time zone 'x': truncated TZif data");
    }
  }
}

}  // namespace
}  // namespace warren::queue
