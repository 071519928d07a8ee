// Cron patterns of job schedulers (host/queue/Cron) and the time zones they run in
// (host/queue/TimeZone), as producers store them in Redis (repeat.pattern, repeat.tz).
// The input is "PATTERN\0TZ\0" followed by up to 16 bytes that pick the start and end times;
// an input starting with "TZif" is a zoneinfo file instead, and "posix:RULE" a POSIX TZ rule.
// Holds: a bad pattern or zone is a CronError and nothing else; the next run is after the start,
// on a whole second and not past the end; a POSIX rule's offsets stay within its 167 hours.
#include "Fuzz.h"

#include "queue/Cron.h"
#include "queue/TimeZone.h"

#include <cstring>

namespace {

using warren::fuzz::check;
using warren::queue::Cron;
using warren::queue::CronError;
using warren::queue::TimeZone;

// A Unix time in ms from 8 input bytes, kept in years 1970..2200 (cron-parser's useful range).
std::int64_t instant(std::string_view bytes, std::size_t at) {
  std::uint64_t raw = 0;
  if (bytes.size() >= at + 8) std::memcpy(&raw, bytes.data() + at, 8);
  return static_cast<std::int64_t>(raw % 7'258'118'400'000ull);
}

// POSIX offsets are [+-]hh[:mm[:ss]] with hh up to 167 (RFC 8536); TZif files may hold any
// 32-bit offset, so only the rule's bound is checked.
void checkZone(const TimeZone& zone, std::int64_t seconds, bool posix) {
  for (const std::int64_t t : {seconds, -seconds, seconds * 40, std::int64_t{0}}) {
    const std::int32_t offset = zone.offsetAt(t);
    check(!posix || (offset > -168 * 3600 && offset < 168 * 3600), "a POSIX offset past 167 h");
  }
}

void zone(const std::string& input) {
  try {
    const bool posix = input.rfind("TZif", 0) != 0;
    const auto tz =
        posix ? TimeZone::fromPosix("fuzz", input.substr(6)) : TimeZone::fromTzif("fuzz", input);
    checkZone(*tz, static_cast<std::int64_t>(input.size()) * 86'407, posix);
  } catch (const CronError&) {
  }
}

void schedule(const std::vector<std::string>& parts) {
  const std::string tz = parts.size() > 1 ? parts[1] : "";
  const std::string times = parts.size() > 2 ? parts[2] : "";
  const std::int64_t after = instant(times, 0);
  const std::int64_t end = times.size() >= 16 ? after + instant(times, 8) : 0;
  try {
    // Seeded, so that H values (random per parse otherwise) are the same on every run.
    const Cron cron = Cron::parse(parts[0], "fuzz-seed");
    const auto next = cron.next(after, tz, end);
    if (!next) return;
    check(*next > after, "the next run is not after the start");
    check(*next % 1000 == 0, "the next run is not on a whole second");
    check(end == 0 || *next <= end, "the next run is past the end");
  } catch (const CronError&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input = warren::fuzz::text(data, size);
  if (input.rfind("TZif", 0) == 0 || input.rfind("posix:", 0) == 0) {
    zone(std::string(input));
    return 0;
  }
  schedule(warren::fuzz::split(input, '\0', 3));
  return 0;
}
