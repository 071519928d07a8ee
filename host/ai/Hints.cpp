#include "ai/Hints.h"

#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeParser.h>
#include <Poco/Timestamp.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <string>

namespace warren::ai {
namespace {

using std::chrono::milliseconds;

std::optional<std::string> header(const Json& headers, const char* name) {
  if (!headers.is_object() || !headers.contains(name) || !headers[name].is_string()) {
    return std::nullopt;
  }
  return headers[name].get<std::string>();
}

// A non-negative decimal number ("1", "0.25"), or nullopt.
std::optional<double> number(std::string_view text) {
  if (text.empty() || text.size() > 32) return std::nullopt;
  const std::string s(text);
  char* end = nullptr;
  const double value = std::strtod(s.c_str(), &end);
  if (end != s.c_str() + s.size() || !std::isfinite(value) || value < 0) return std::nullopt;
  if (s.find_first_not_of("0123456789.") != std::string::npos) return std::nullopt;
  return value;
}

milliseconds untilTime(SystemClock::time_point when, SystemClock::time_point now) {
  return std::max(milliseconds(0), std::chrono::ceil<milliseconds>(when - now));
}

// The IMF-fixdate of RFC 9110 ("Sun, 06 Nov 1994 08:49:37 GMT"): Poco's parser alone accepts
// nearly any text.
bool httpDateShape(std::string_view v) {
  return v.size() == 29 && v[3] == ',' && v[4] == ' ' && v.substr(25) == " GMT" &&
         std::isdigit(static_cast<unsigned char>(v[5])) && v[19] == ':' && v[22] == ':';
}

// YYYY-MM-DDTHH:MM:SS, then fractions and a zone that Poco reads.
bool rfc3339Shape(std::string_view v) {
  if (v.size() < 20) return false;
  for (std::size_t i : {0u, 1u, 2u, 3u, 5u, 6u, 8u, 9u, 11u, 12u, 14u, 15u, 17u, 18u}) {
    if (!std::isdigit(static_cast<unsigned char>(v[i]))) return false;
  }
  return v[4] == '-' && v[7] == '-' && (v[10] == 'T' || v[10] == 't') && v[13] == ':' &&
         v[16] == ':';
}

std::optional<SystemClock::time_point> parseWith(const std::string& format,
                                                 std::string_view value) {
  Poco::DateTime parsed;
  int tzd = 0;
  if (!Poco::DateTimeParser::tryParse(format, std::string(value), parsed, tzd)) return std::nullopt;
  parsed.makeUTC(tzd);
  return SystemClock::from_time_t(0) +
         std::chrono::microseconds(parsed.timestamp().epochMicroseconds());
}

std::optional<milliseconds> geminiRetryDelay(const Json& body) {
  if (!body.is_object() || !body.contains("error") || !body["error"].is_object()) {
    return std::nullopt;
  }
  const Json& details = body["error"].value("details", Json::array());
  if (!details.is_array()) return std::nullopt;
  for (const auto& detail : details) {
    if (!detail.is_object() || !detail.contains("retryDelay") || !detail["retryDelay"].is_string())
      continue;
    const std::string type = detail.value("@type", "");
    if (type.find("RetryInfo") == std::string::npos) continue;
    return parseDuration(detail["retryDelay"].get<std::string>());
  }
  return std::nullopt;
}

// The reset time of the limit the response says is exhausted (its remaining count is 0); the
// latest when several are. A reset header of a limit with room left says nothing about this 429.
std::optional<milliseconds> resetHeaders(const Json& headers, SystemClock::time_point now) {
  std::optional<milliseconds> latest;
  const auto consider = [&](std::optional<milliseconds> wait, const std::string& remaining) {
    if (wait && header(headers, remaining.c_str()) == "0")
      latest = std::max(latest.value_or(*wait), *wait);
  };
  for (const char* kind : {"requests", "tokens"}) {
    if (const auto value = header(headers, (std::string("x-ratelimit-reset-") + kind).c_str())) {
      consider(parseDuration(*value), std::string("x-ratelimit-remaining-") + kind);
    }
  }
  for (const char* kind : {"requests", "tokens", "input-tokens", "output-tokens"}) {
    const std::string prefix = std::string("anthropic-ratelimit-") + kind;
    if (const auto value = header(headers, (prefix + "-reset").c_str())) {
      const auto when = parseRfc3339(*value);
      consider(when ? std::optional(untilTime(*when, now)) : std::nullopt, prefix + "-remaining");
    }
  }
  return latest;
}

}  // namespace

std::optional<milliseconds> parseRetryAfter(std::string_view value, SystemClock::time_point now) {
  if (const auto seconds = number(value)) {
    return milliseconds(static_cast<std::int64_t>(std::ceil(*seconds * 1000)));
  }
  if (!httpDateShape(value)) return std::nullopt;
  if (const auto when = parseWith(Poco::DateTimeFormat::HTTP_FORMAT, value)) {
    return untilTime(*when, now);
  }
  return std::nullopt;
}

std::optional<milliseconds> parseDuration(std::string_view value) {
  if (value.empty()) return std::nullopt;
  double total = 0;
  std::size_t i = 0;
  while (i < value.size()) {
    const std::size_t start = i;
    while (i < value.size() &&
           (std::isdigit(static_cast<unsigned char>(value[i])) || value[i] == '.'))
      ++i;
    const auto amount = number(value.substr(start, i - start));
    if (!amount) return std::nullopt;
    const std::size_t unitStart = i;
    while (i < value.size() && std::isalpha(static_cast<unsigned char>(value[i]))) ++i;
    const std::string_view unit = value.substr(unitStart, i - unitStart);
    if (unit == "h") {
      total += *amount * 3600000;
    } else if (unit == "m") {
      total += *amount * 60000;
    } else if (unit == "s") {
      total += *amount * 1000;
    } else if (unit == "ms") {
      total += *amount;
    } else if (unit == "us") {
      total += *amount / 1000;
    } else if (unit == "ns") {
      total += *amount / 1e6;
    } else {
      return std::nullopt;
    }
  }
  return milliseconds(static_cast<std::int64_t>(std::ceil(total)));
}

std::optional<SystemClock::time_point> parseRfc3339(std::string_view value) {
  if (!rfc3339Shape(value)) return std::nullopt;
  for (const auto& format :
       {Poco::DateTimeFormat::ISO8601_FRAC_FORMAT, Poco::DateTimeFormat::ISO8601_FORMAT}) {
    if (const auto when = parseWith(format, value)) return when;
  }
  return std::nullopt;
}

RetryHint retryHint(int code, const Json& headers, const Json& body, SystemClock::time_point now) {
  RetryHint hint;
  if (const auto should = header(headers, "x-should-retry")) {
    if (*should == "true") hint.shouldRetry = true;
    if (*should == "false") hint.shouldRetry = false;
  }
  if (const auto ms = header(headers, "retry-after-ms")) {
    if (const auto value = number(*ms)) {
      hint.wait = milliseconds(static_cast<std::int64_t>(std::ceil(*value)));
      return hint;
    }
  }
  if (const auto after = header(headers, "retry-after")) {
    if ((hint.wait = parseRetryAfter(*after, now))) return hint;
  }
  if ((hint.wait = geminiRetryDelay(body))) return hint;
  if (code == 429) hint.wait = resetHeaders(headers, now);
  return hint;
}

}  // namespace warren::ai
