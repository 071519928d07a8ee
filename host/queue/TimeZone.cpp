#include "queue/TimeZone.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <mutex>
#include <optional>
#include <unordered_map>

#include "queue/Cron.h"

namespace warren::queue {

namespace calendar {

std::int64_t floorDiv(std::int64_t a, std::int64_t b) {
  std::int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

// H. Hinnant's days_from_civil / civil_from_days.
std::int64_t daysFromCivil(std::int64_t year, int month, int day) {
  year -= month <= 2 ? 1 : 0;
  const std::int64_t era = floorDiv(year, 400);
  const std::int64_t yoe = year - era * 400;
  const std::int64_t doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

Date civilFromDays(std::int64_t days) {
  const std::int64_t z = days + 719468;
  const std::int64_t era = floorDiv(z, 146097);
  const std::int64_t doe = z - era * 146097;
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  const int day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  const int month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  return {yoe + era * 400 + (month <= 2 ? 1 : 0), month, day};
}

bool isLeapYear(std::int64_t year) {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int daysInMonth(std::int64_t year, int month) {
  static constexpr std::array<int, 12> kDays{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && isLeapYear(year) ? 29 : kDays[static_cast<std::size_t>(month - 1)];
}

}  // namespace calendar

namespace {

constexpr std::int64_t kSecondsPerDay = 86400;

using calendar::daysFromCivil;
using calendar::daysInMonth;
using calendar::floorDiv;
using calendar::isLeapYear;

[[noreturn]] void unknownZone(const std::string& name) {
  throw CronError("unknown time zone '" + name + "'");
}

// ---- POSIX TZ rule parsing -------------------------------------------------------------------

class PosixParser {
 public:
  explicit PosixParser(const std::string& s) : s_(s) {}

  std::optional<TimeZone::PosixRule> parse() {
    TimeZone::PosixRule r;
    if (!name()) return std::nullopt;
    auto off = offset();
    if (!off) return std::nullopt;
    r.stdOffset = -*off;
    if (done()) return r;
    if (!name()) return std::nullopt;
    r.hasDst = true;
    r.dstOffset = r.stdOffset + 3600;
    if (!done() && peek() != ',') {
      off = offset();
      if (!off) return std::nullopt;
      r.dstOffset = -*off;
    }
    if (done()) {
      // No rule given: POSIX leaves it implementation-defined; glibc uses the US rule.
      r.start = {'M', 0, 3, 2, 7200};
      r.end = {'M', 0, 11, 1, 7200};
      return r;
    }
    if (peek() != ',') return std::nullopt;
    ++i_;
    auto start = date();
    if (!start || done() || peek() != ',') return std::nullopt;
    ++i_;
    auto end = date();
    if (!end || !done()) return std::nullopt;
    r.start = *start;
    r.end = *end;
    return r;
  }

 private:
  bool done() const { return i_ >= s_.size(); }
  char peek() const { return s_[i_]; }

  bool name() {
    if (done()) return false;
    if (peek() == '<') {
      const std::size_t close = s_.find('>', i_);
      if (close == std::string::npos || close - i_ < 4) return false;
      i_ = close + 1;
      return true;
    }
    const std::size_t begin = i_;
    while (!done() && std::isalpha(static_cast<unsigned char>(peek())) != 0) ++i_;
    return i_ - begin >= 3;
  }

  std::optional<int> number(int maxValue) {
    if (done() || std::isdigit(static_cast<unsigned char>(peek())) == 0) return std::nullopt;
    int v = 0;
    while (!done() && std::isdigit(static_cast<unsigned char>(peek())) != 0) {
      v = v * 10 + (peek() - '0');
      if (v > maxValue) return std::nullopt;
      ++i_;
    }
    return v;
  }

  // [+-]hh[:mm[:ss]] in seconds (hours up to 167 as RFC 8536 allows for rule times).
  std::optional<std::int32_t> offset() {
    int sign = 1;
    if (!done() && (peek() == '+' || peek() == '-')) {
      sign = peek() == '-' ? -1 : 1;
      ++i_;
    }
    auto h = number(167);
    if (!h) return std::nullopt;
    std::int32_t total = *h * 3600;
    for (int part = 0; part < 2 && !done() && peek() == ':'; ++part) {
      ++i_;
      auto v = number(59);
      if (!v) return std::nullopt;
      total += part == 0 ? *v * 60 : *v;
    }
    return sign * total;
  }

  std::optional<TimeZone::PosixRule::Date> date() {
    TimeZone::PosixRule::Date d;
    if (done()) return std::nullopt;
    if (peek() == 'M') {
      ++i_;
      auto m = number(12);
      if (!m || *m < 1 || done() || peek() != '.') return std::nullopt;
      ++i_;
      auto w = number(5);
      if (!w || *w < 1 || done() || peek() != '.') return std::nullopt;
      ++i_;
      auto wd = number(6);
      if (!wd) return std::nullopt;
      d.kind = 'M';
      d.month = *m;
      d.week = *w;
      d.day = *wd;
    } else if (peek() == 'J') {
      ++i_;
      auto n = number(365);
      if (!n || *n < 1) return std::nullopt;
      d.kind = 'J';
      d.day = *n;
    } else {
      auto n = number(365);
      if (!n) return std::nullopt;
      d.kind = 'D';
      d.day = *n;
    }
    if (!done() && peek() == '/') {
      ++i_;
      auto t = offset();
      if (!t) return std::nullopt;
      d.time = *t;
    }
    return d;
  }

  const std::string& s_;
  std::size_t i_ = 0;
};

// Local (wall clock) seconds since the epoch at which `d` happens in `year`.
std::int64_t ruleLocalTime(const TimeZone::PosixRule::Date& d, std::int64_t year) {
  std::int64_t day = 0;
  switch (d.kind) {
    case 'J':
      day = daysFromCivil(year, 1, 1) + d.day - 1 + (isLeapYear(year) && d.day >= 60 ? 1 : 0);
      break;
    case 'D':
      day = daysFromCivil(year, 1, 1) + d.day;
      break;
    default: {
      const std::int64_t first = daysFromCivil(year, d.month, 1);
      const std::int64_t firstWeekday = ((first % 7) + 11) % 7;  // 1970-01-01 was a Thursday
      std::int64_t dom = 1 + ((d.day - firstWeekday) % 7 + 7) % 7 + (d.week - 1) * 7;
      while (dom > daysInMonth(year, d.month)) dom -= 7;
      day = first + dom - 1;
      break;
    }
  }
  return day * kSecondsPerDay + d.time;
}

// ---- TZif decoding ---------------------------------------------------------------------------

class Reader {
 public:
  Reader(const std::string& data, const std::string& name) : d_(data), name_(name) {}
  std::size_t pos() const { return pos_; }
  void need(std::size_t n) const {
    if (pos_ + n > d_.size()) throw CronError("time zone '" + name_ + "': truncated TZif data");
  }
  void skip(std::size_t n) {
    need(n);
    pos_ += n;
  }
  std::uint8_t u8() {
    need(1);
    return static_cast<std::uint8_t>(d_[pos_++]);
  }
  std::uint32_t u32() {
    std::uint32_t v = 0;
    for (int i = 0; i < 4; ++i) v = (v << 8) | u8();
    return v;
  }
  std::int64_t i64() {
    std::uint64_t v = 0;
    for (int i = 0; i < 8; ++i) v = (v << 8) | u8();
    return static_cast<std::int64_t>(v);
  }
  std::string rest() const { return d_.substr(pos_); }

 private:
  const std::string& d_;
  const std::string& name_;
  std::size_t pos_ = 0;
};

struct Header {
  char version = 0;
  std::uint32_t isutcnt = 0, isstdcnt = 0, leapcnt = 0, timecnt = 0, typecnt = 0, charcnt = 0;
};

Header readHeader(Reader& r, const std::string& name) {
  r.need(44);
  std::string magic;
  for (int i = 0; i < 4; ++i) magic += static_cast<char>(r.u8());
  if (magic != "TZif") throw CronError("time zone '" + name + "': not a TZif file");
  Header h;
  h.version = static_cast<char>(r.u8());
  r.skip(15);
  h.isutcnt = r.u32();
  h.isstdcnt = r.u32();
  h.leapcnt = r.u32();
  h.timecnt = r.u32();
  h.typecnt = r.u32();
  h.charcnt = r.u32();
  if (h.typecnt == 0) throw CronError("time zone '" + name + "': TZif data has no local time type");
  return h;
}

// ---- Lookup and cache ------------------------------------------------------------------------

std::string zoneDir() {
  const char* dir = std::getenv("TZDIR");  // NOLINT(concurrency-mt-unsafe): read-only use
  return dir != nullptr && *dir != '\0' ? std::string(dir) : std::string("/usr/share/zoneinfo");
}

bool safeZoneName(const std::string& name) {
  if (name.empty() || name.size() > 255 || name.front() == '/') return false;
  for (char c : name) {
    if (std::isalnum(static_cast<unsigned char>(c)) == 0 && c != '/' && c != '_' && c != '-' &&
        c != '+' && c != '.') {
      return false;
    }
  }
  std::size_t begin = 0;
  while (begin <= name.size()) {
    std::size_t end = name.find('/', begin);
    if (end == std::string::npos) end = name.size();
    const std::string part = name.substr(begin, end - begin);
    if (part.empty() || part == "." || part == "..") return false;
    begin = end + 1;
  }
  return true;
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::optional<std::string> readFile(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) return std::nullopt;
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (data.compare(0, 4, "TZif") != 0) return std::nullopt;
  return data;
}

struct Cache {
  std::mutex mutex;
  std::unordered_map<std::string, std::shared_ptr<const TimeZone>> zones;
  bool indexed = false;
  std::map<std::string, std::string> byLowerName;  // lower-case relative path -> relative path
};

Cache& cache() {
  static Cache c;
  return c;
}

// "UTC+5", "utc-03:30" (luxon's FixedOffsetZone.parseSpecifier); returns seconds east.
std::optional<std::int32_t> fixedOffsetSpecifier(const std::string& lowered) {
  if (lowered.compare(0, 3, "utc") != 0 || lowered.size() < 5) return std::nullopt;
  std::size_t i = 3;
  const int sign = lowered[i] == '-' ? -1 : lowered[i] == '+' ? 1 : 0;
  if (sign == 0) return std::nullopt;
  ++i;
  std::size_t digits = 0;
  int hours = 0;
  while (i < lowered.size() && std::isdigit(static_cast<unsigned char>(lowered[i])) != 0) {
    if (digits < 2) hours = hours * 10 + (lowered[i] - '0');  // more than 2 are refused below
    ++i;
    ++digits;
  }
  if (digits < 1 || digits > 2) return std::nullopt;
  int minutes = 0;
  if (i < lowered.size()) {
    if (lowered[i] != ':' || lowered.size() - i != 3 ||
        std::isdigit(static_cast<unsigned char>(lowered[i + 1])) == 0 ||
        std::isdigit(static_cast<unsigned char>(lowered[i + 2])) == 0) {
      return std::nullopt;
    }
    minutes = (lowered[i + 1] - '0') * 10 + (lowered[i + 2] - '0');
  }
  return sign * (hours * 3600 + minutes * 60);
}

}  // namespace

std::int32_t TimeZone::PosixRule::offsetAt(std::int64_t unixSeconds) const {
  if (!hasDst) return stdOffset;
  const std::int64_t year =
      calendar::civilFromDays(floorDiv(unixSeconds + stdOffset, kSecondsPerDay)).year;
  // Transitions of the neighbouring years too, so rules near New Year and southern-hemisphere
  // rules (DST across the year boundary) need no special cases. Ties: end before start.
  struct Change {
    std::int64_t at;
    int order;
    std::int32_t offset;
  };
  std::array<Change, 6> changes{};
  std::size_t n = 0;
  for (std::int64_t y = year - 1; y <= year + 1; ++y) {
    changes[n++] = {ruleLocalTime(start, y) - stdOffset, 1, dstOffset};
    changes[n++] = {ruleLocalTime(end, y) - dstOffset, 0, stdOffset};
  }
  std::sort(changes.begin(), changes.end(), [](const Change& a, const Change& b) {
    return a.at != b.at ? a.at < b.at : a.order < b.order;
  });
  std::int32_t result = stdOffset;
  for (const Change& c : changes) {
    if (c.at > unixSeconds) break;
    result = c.offset;
  }
  return result;
}

std::int32_t TimeZone::offsetAt(std::int64_t unixSeconds) const {
  if (transitions_.empty() || unixSeconds < transitions_.front()) {
    if (transitions_.empty() && hasFooter_) return footer_.offsetAt(unixSeconds);
    return initialOffset_;
  }
  if (unixSeconds >= transitions_.back() && hasFooter_) return footer_.offsetAt(unixSeconds);
  const auto it = std::upper_bound(transitions_.begin(), transitions_.end(), unixSeconds);
  return offsets_[static_cast<std::size_t>(std::distance(transitions_.begin(), it) - 1)];
}

std::shared_ptr<const TimeZone> TimeZone::fromPosix(const std::string& name,
                                                    const std::string& rule) {
  auto parsed = PosixParser(rule).parse();
  if (!parsed) throw CronError("time zone '" + name + "': bad POSIX TZ rule '" + rule + "'");
  std::shared_ptr<TimeZone> tz(new TimeZone());
  tz->name_ = name;
  tz->hasFooter_ = true;
  tz->footer_ = *parsed;
  tz->initialOffset_ = parsed->stdOffset;
  return tz;
}

std::shared_ptr<const TimeZone> TimeZone::fromTzif(const std::string& name,
                                                   const std::string& data) {
  Reader r(data, name);
  Header h = readHeader(r, name);
  const bool v2 = h.version >= '2';
  if (v2) {
    // Skip the 32-bit block; the 64-bit one follows with its own header.
    r.skip(std::size_t{h.timecnt} * 5 + std::size_t{h.typecnt} * 6 + h.charcnt +
           std::size_t{h.leapcnt} * 8 + h.isstdcnt + h.isutcnt);
    h = readHeader(r, name);
  }
  if (h.leapcnt != 0) {
    // "right/..." zones count leap seconds; ICU (and so cron-parser) has no such zones.
    throw CronError("time zone '" + name + "': leap-second zones are not supported");
  }
  // The counts are read from the file: the data must hold them before anything is allocated
  // (a damaged header would otherwise ask for up to 36 GB).
  r.need(std::size_t{h.timecnt} * (v2 ? 9 : 5) + std::size_t{h.typecnt} * 6);
  std::vector<std::int64_t> times(h.timecnt);
  for (auto& t : times) {
    t = v2 ? r.i64() : static_cast<std::int64_t>(static_cast<std::int32_t>(r.u32()));
  }
  std::vector<std::uint8_t> idx(h.timecnt);
  for (auto& i : idx) i = r.u8();
  std::vector<std::int32_t> utoff(h.typecnt);
  for (auto& o : utoff) {
    o = static_cast<std::int32_t>(r.u32());
    r.skip(2);  // isdst, desigidx
  }
  r.skip(std::size_t{h.charcnt} + h.isstdcnt + h.isutcnt);

  std::shared_ptr<TimeZone> tz(new TimeZone());
  tz->name_ = name;
  tz->initialOffset_ = utoff[0];
  tz->transitions_ = std::move(times);
  tz->offsets_.reserve(idx.size());
  for (std::uint8_t i : idx) {
    if (i >= utoff.size()) throw CronError("time zone '" + name + "': bad TZif type index");
    tz->offsets_.push_back(utoff[i]);
  }
  if (v2) {
    const std::string footer = r.rest();
    if (footer.size() >= 2 && footer.front() == '\n') {
      const std::size_t close = footer.find('\n', 1);
      const std::string rule = footer.substr(1, close == std::string::npos ? close : close - 1);
      if (!rule.empty()) {
        auto parsed = PosixParser(rule).parse();
        if (!parsed)
          throw CronError("time zone '" + name + "': bad POSIX TZ footer '" + rule + "'");
        tz->hasFooter_ = true;
        tz->footer_ = *parsed;
      }
    }
  }
  return tz;
}

std::shared_ptr<const TimeZone> TimeZone::utc() {
  static const std::shared_ptr<const TimeZone> zone = [] {
    std::shared_ptr<TimeZone> tz(new TimeZone());
    tz->name_ = "UTC";
    return std::shared_ptr<const TimeZone>(tz);
  }();
  return zone;
}

std::shared_ptr<const TimeZone> TimeZone::locate(const std::string& name) {
  const std::string lowered = lower(name);
  if (lowered == "utc" || lowered == "gmt") return utc();
  if (auto fixed = fixedOffsetSpecifier(lowered)) {
    std::shared_ptr<TimeZone> tz(new TimeZone());
    tz->name_ = name;
    tz->initialOffset_ = *fixed;
    return tz;
  }
  // Files of the zoneinfo tree that ICU (so cron-parser) does not know as zones.
  const bool notAZone = lowered == "factory" || lowered == "localtime" || lowered == "posixrules" ||
                        lowered.compare(0, 6, "posix/") == 0 ||
                        lowered.compare(0, 6, "right/") == 0;
  if (notAZone || !safeZoneName(name)) unknownZone(name);

  Cache& c = cache();
  std::lock_guard lock(c.mutex);
  if (auto it = c.zones.find(name); it != c.zones.end()) return it->second;

  const std::filesystem::path dir = zoneDir();
  std::optional<std::string> data = readFile(dir / name);
  if (!data) {
    // ICU matches zone names case-insensitively ("europe/berlin"); so do we, via an index of
    // the zoneinfo tree built on first need.
    if (!c.indexed) {
      c.indexed = true;
      std::error_code ec;
      for (auto it = std::filesystem::recursive_directory_iterator(dir, ec);
           !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
        if (!it->is_regular_file(ec)) continue;
        const std::string rel = std::filesystem::relative(it->path(), dir, ec).generic_string();
        if (!ec) c.byLowerName.emplace(lower(rel), rel);
      }
    }
    if (auto it = c.byLowerName.find(lowered); it != c.byLowerName.end()) {
      data = readFile(dir / it->second);
    }
  }
  if (!data) unknownZone(name);
  std::shared_ptr<const TimeZone> zone;
  try {
    zone = fromTzif(name, *data);
  } catch (const CronError&) {
    unknownZone(name);
  }
  c.zones.emplace(name, zone);
  return zone;
}

}  // namespace warren::queue
