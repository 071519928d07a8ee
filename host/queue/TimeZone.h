// IANA time zones read from the system zoneinfo (TZif files), for cron schedules (Cron.h).
// libstdc++ 12 has no std::chrono tzdb, and setenv("TZ") + localtime is not thread-safe, so the
// TZif 64-bit data and its POSIX TZ footer (for instants past the last listed transition) are
// decoded here. Instances are immutable and shared; lookups by name are cached (thread-safe).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace warren::queue {

// Proleptic Gregorian calendar helpers (days counted from 1970-01-01).
namespace calendar {
std::int64_t floorDiv(std::int64_t a, std::int64_t b);
std::int64_t daysFromCivil(std::int64_t year, int month, int day);
struct Date {
  std::int64_t year;
  int month;  // 1..12
  int day;    // 1..31
};
Date civilFromDays(std::int64_t days);
bool isLeapYear(std::int64_t year);
int daysInMonth(std::int64_t year, int month);  // month 1..12
}  // namespace calendar

class TimeZone {
 public:
  // Accepts what luxon (cron-parser's date library) accepts, except the process-local zone:
  //  * "UTC" / "GMT" (any case) and fixed offsets "UTC+5", "utc-03:30";
  //  * IANA names found under $TZDIR or /usr/share/zoneinfo ("Europe/Berlin", "Etc/GMT+5"),
  //    matched case-insensitively like ICU does when the exact name is not a file.
  // Throws CronError "unknown time zone '<name>'" otherwise (also for "", "local", "system").
  static std::shared_ptr<const TimeZone> locate(const std::string& name);
  static std::shared_ptr<const TimeZone> utc();

  // Builds a zone from TZif file contents (exposed for tests). Throws CronError when malformed.
  static std::shared_ptr<const TimeZone> fromTzif(const std::string& name, const std::string& data);
  // Builds a zone from a POSIX TZ rule such as "CET-1CEST,M3.5.0,M10.5.0/3" (exposed for tests).
  static std::shared_ptr<const TimeZone> fromPosix(const std::string& name,
                                                   const std::string& rule);

  const std::string& name() const { return name_; }
  // Offset from UTC, in seconds east of Greenwich, in effect at the given Unix time (seconds).
  std::int32_t offsetAt(std::int64_t unixSeconds) const;

  // A POSIX TZ rule ("std offset [dst [offset] [,start[/time],end[/time]]]"), decoded.
  struct PosixRule {
    struct Date {
      char kind = 'M';  // 'J' (Julian 1..365, no Feb 29), 'D' (0..365), 'M' (month.week.day)
      int day = 0;      // J/D: day number; M: weekday 0..6 (Sunday = 0)
      int month = 0;    // M only
      int week = 0;     // M only, 1..5 (5 = last)
      std::int32_t time = 7200;  // seconds after local midnight, may be negative or > 24h
    };
    std::int32_t stdOffset = 0;  // seconds east of UTC
    std::int32_t dstOffset = 0;
    bool hasDst = false;
    Date start, end;
    std::int32_t offsetAt(std::int64_t unixSeconds) const;
  };

 private:
  TimeZone() = default;

  std::string name_;
  std::vector<std::int64_t> transitions_;  // Unix seconds, ascending
  std::vector<std::int32_t> offsets_;      // offset in effect from transitions_[i]
  std::int32_t initialOffset_ = 0;         // before the first transition
  bool hasFooter_ = false;
  PosixRule footer_;
};

}  // namespace warren::queue
