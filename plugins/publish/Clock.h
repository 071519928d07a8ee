// Wall-clock time as the plugin's tables store it: Unix epoch milliseconds.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace publish {

inline std::int64_t nowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// RFC 3339 UTC with milliseconds ("2026-08-21T12:00:00.000Z"), as Bluesky's createdAt wants.
std::string isoTime(std::int64_t epochMs);
// Parses RFC 3339 / ISO 8601 UTC times ("2026-08-21T12:05:00.000000Z", "...+00:00"); -1 when
// the text is not one.
std::int64_t parseIsoTime(const std::string& text);

}  // namespace publish
