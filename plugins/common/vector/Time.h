// Timestamps of stored vectors as microseconds since the Unix epoch (UTC), and their text forms:
// PostgreSQL gives and takes 'YYYY-MM-DDTHH:MM:SS.ffffffZ'; SQLite stores
// 'YYYY-MM-DDTHH:MM:SS.fffZ' (strftime's %f) and compares the text.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace common::vector {

constexpr std::int64_t kMicrosPerSecond = 1000000;
constexpr std::int64_t kMicrosPerDay = 86400 * kMicrosPerSecond;

std::int64_t nowMicros();

// 'YYYY-MM-DD[T| ]HH:MM:SS[.fraction][Z|+00|+00:00]'. Throws std::invalid_argument otherwise.
std::int64_t parseTimestamp(std::string_view text);
// 'YYYY-MM-DDTHH:MM:SS.<digits>Z' with 3 (milliseconds, rounded down) or 6 fraction digits.
std::string formatTimestamp(std::int64_t micros, int fractionDigits);

}  // namespace common::vector
