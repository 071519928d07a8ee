// The HTTP rules of the outbound client that need no socket: which requests it accepts, which
// it may retry and after how long, and how response headers reach the plugin.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace warren::outbound {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

// A method is an RFC 9110 token ("GET", "POST", "PROPFIND", ...), sent as given.
bool validMethod(std::string_view method);
// GET, HEAD, PUT, DELETE, OPTIONS and TRACE: safe to send twice.
bool idempotentMethod(std::string_view method);
// Throws std::invalid_argument("header 'NAME': REASON") for a name that is not a token, a value
// with CR, LF or NUL (header injection), or a header the client sets itself
// (Content-Length, Transfer-Encoding, Connection).
void checkRequestHeader(std::string_view name, std::string_view value);

// The response headers as a JSON object: lower-case names in sorted order, repeated headers
// joined with ", ". Bytes that are not UTF-8 become U+FFFD.
std::string headersJson(const HeaderList& headers);
// Appends `text` as a JSON string (quotes included), replacing invalid UTF-8 with U+FFFD.
void appendJsonString(std::string& out, std::string_view text);

// A Retry-After value (delay-seconds or an HTTP-date) as a delay from `now`; nullopt when the
// text is neither. A date in the past is no delay.
std::optional<std::chrono::milliseconds> parseRetryAfter(std::string_view value,
                                                         std::chrono::system_clock::time_point now);

// The wait before attempt `failed + 1`: base * 2^(failed-1), capped, then scaled to between half
// and all of itself by `random` in [0, 1) ("equal jitter": spread out, never near zero).
std::chrono::milliseconds backoffDelay(unsigned failed, std::chrono::milliseconds base,
                                       std::chrono::milliseconds cap, double random);

// 429 and 5xx responses are worth another attempt of an idempotent request.
bool retryableStatus(int code);

}  // namespace warren::outbound
