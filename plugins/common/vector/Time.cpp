#include "vector/Time.h"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <stdexcept>

namespace common::vector {
namespace {

[[noreturn]] void invalid(std::string_view text) {
  throw std::invalid_argument("not a UTC timestamp: '" + std::string(text) + "'");
}

int digits(std::string_view text, std::size_t at, std::size_t count) {
  if (at + count > text.size()) invalid(text);
  int value = 0;
  for (std::size_t i = at; i < at + count; ++i) {
    if (text[i] < '0' || text[i] > '9') invalid(text);
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

std::int64_t floorDiv(std::int64_t a, std::int64_t b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)) ? 1 : 0);
}

}  // namespace

std::int64_t nowMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::int64_t parseTimestamp(std::string_view text) {
  if (text.size() < 19 || text[4] != '-' || text[7] != '-' ||
      (text[10] != 'T' && text[10] != ' ') || text[13] != ':' || text[16] != ':')
    invalid(text);
  std::tm tm{};
  tm.tm_year = digits(text, 0, 4) - 1900;
  tm.tm_mon = digits(text, 5, 2) - 1;
  tm.tm_mday = digits(text, 8, 2);
  tm.tm_hour = digits(text, 11, 2);
  tm.tm_min = digits(text, 14, 2);
  tm.tm_sec = digits(text, 17, 2);
  std::size_t at = 19;
  std::int64_t micros = 0;
  if (at < text.size() && text[at] == '.') {
    ++at;
    std::int64_t scale = 100000;
    const std::size_t start = at;
    while (at < text.size() && text[at] >= '0' && text[at] <= '9') {
      micros += (text[at] - '0') * scale;
      scale /= 10;
      ++at;
    }
    if (at == start) invalid(text);
  }
  const std::string_view zone = text.substr(at);
  if (!(zone.empty() || zone == "Z" || zone == "+00" || zone == "+00:00")) invalid(text);
  const std::time_t seconds = timegm(&tm);
  return static_cast<std::int64_t>(seconds) * kMicrosPerSecond + micros;
}

std::string formatTimestamp(std::int64_t micros, int fractionDigits) {
  const std::int64_t seconds = floorDiv(micros, kMicrosPerSecond);
  const std::int64_t fraction = micros - seconds * kMicrosPerSecond;
  const std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buffer[48];
  if (fractionDigits == 3) {
    std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                  tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                  static_cast<int>(fraction / 1000));
  } else {
    std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ", tm.tm_year + 1900,
                  tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                  static_cast<int>(fraction));
  }
  return buffer;
}

}  // namespace common::vector
