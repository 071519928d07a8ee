// Cron patterns of BullMQ job schedulers (protocol §9.3 step 6): parsing and next-run
// computation that reproduce the npm package cron-parser 5.10.0 (the version BullMQ 6.2.0 pins),
// including its DST handling (it runs on luxon; the relevant luxon arithmetic is emulated) and
// its leniencies. See tests/unit/cron/reference/ for the Node script that produced the expected
// results the unit tests compare against.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>

namespace warren::queue {

class CronError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

class Cron {
 public:
  // Parses a pattern as CronExpressionParser.parse(pattern) does (non-strict mode):
  //  * 6 fields "second minute hour day-of-month month day-of-week" or 5 (second = 0). Like
  //    cron-parser, 1 to 4 fields are accepted too, filled from the left with "0 * * * *"
  //    ("5" = every minute on Fridays); an empty pattern means "0 * * * * *".
  //  * lists, ranges, steps (*/n, a-b/n, a/n = a-max/n), '?' = '*', names JAN-DEC and SUN-SAT
  //    (any case; either kind is accepted in both the month and the day-of-week field), 7 = Sunday,
  //    L (day-of-month: last day; day-of-week: 5L = last Friday), # (1#2 = second Monday),
  //    H (hashed value, H(a-b), H/n, H(a-b)/n) and @yearly @annually @monthly @weekly @daily
  //    @hourly @minutely @secondly @weekdays @weekends (exact, lower case).
  //  * W is NOT accepted: cron-parser 5.10 rejects it.
  // Throws CronError naming the field and the offending text.
  static Cron parse(const std::string& pattern);
  // Same, with cron-parser's `hashSeed` option: H values are derived from the seed (same values
  // as cron-parser). Without a seed, as in BullMQ, cron-parser draws them at random per parse.
  static Cron parse(const std::string& pattern, const std::string& hashSeed);

  // First occurrence strictly after `afterMs` (Unix ms) in time zone `tz`, or std::nullopt if
  // there is none at or before `endMs` (inclusive, as cron-parser's endDate; 0 = no end) or if
  // cron-parser would give up (its 10000-step search limit, e.g. "0 0 * 2 5#5" after 2036).
  // `tz`: IANA name (TimeZone::locate); empty means UTC. (cron-parser without tz uses the Node
  // process's local zone; BullMQ passes repeat.tz when it is set, and Node hosts usually run in
  // UTC.) Unknown zone: CronError "unknown time zone '<tz>'".
  std::optional<std::int64_t> next(std::int64_t afterMs, const std::string& tz,
                                   std::int64_t endMs = 0) const;

  const std::string& pattern() const;

  struct Fields;  // the parsed fields (Cron.cpp)

 private:
  explicit Cron(std::shared_ptr<const Fields> fields) : fields_(std::move(fields)) {}
  static Cron parseWithRandom(const std::string& pattern, std::uint32_t seed);

  std::shared_ptr<const Fields> fields_;
};

}  // namespace warren::queue
