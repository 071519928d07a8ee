// When a provider asks to be called again, from its response: `retry-after-ms`, `retry-after`
// (seconds or an HTTP date), Gemini's RetryInfo.retryDelay in the error body, and on a 429 without
// those the reset header of the exhausted limit (remaining 0: OpenAI `x-ratelimit-reset-*`
// durations such as "6m0s", Anthropic `anthropic-ratelimit-*-reset` RFC 3339 times).
// `x-should-retry` says whether to retry at all.
#pragma once

#include "ai/Json.h"

#include <chrono>
#include <optional>
#include <string_view>

namespace warren::ai {

using SystemClock = std::chrono::system_clock;

struct RetryHint {
  std::optional<std::chrono::milliseconds> wait;
  std::optional<bool> shouldRetry;  // x-should-retry: true | false
};

// `headers`: the response headers as an object of lower-case names (the outbound client's
// headersJson); `body`: the parsed error body, or null.
RetryHint retryHint(int code, const Json& headers, const Json& body, SystemClock::time_point now);

// "120" (seconds, fractions allowed) or an HTTP date; nullopt when neither.
std::optional<std::chrono::milliseconds> parseRetryAfter(std::string_view value,
                                                         SystemClock::time_point now);
// Go and protobuf durations: "22s", "1.5s", "6m0s", "20ms", "1h2m3s"; nullopt otherwise.
std::optional<std::chrono::milliseconds> parseDuration(std::string_view value);
// An RFC 3339 time ("2026-01-01T00:00:05Z", "...+01:00", fractions allowed); nullopt otherwise.
std::optional<SystemClock::time_point> parseRfc3339(std::string_view value);

}  // namespace warren::ai
