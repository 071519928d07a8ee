#include "outbound/HttpOptions.h"

#include <charconv>
#include <cmath>
#include <stdexcept>

namespace warren::outbound {
namespace {

constexpr std::string_view kGrammar =
    "expected RATE/UNIT like 5/s or 300/min, then optionally burst N";

bool isSpace(char c) {
  return c == ' ' || c == '\t';
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && isSpace(text.front())) text.remove_prefix(1);
  while (!text.empty() && isSpace(text.back())) text.remove_suffix(1);
  return text;
}

[[noreturn]] void refuse(std::string_view text, std::string_view reason) {
  throw std::invalid_argument("invalid rate limit '" + std::string(text) +
                              "': " + std::string(reason));
}

// Seconds in one UNIT, or 0 when the unit is unknown.
double unitSeconds(std::string_view unit) {
  if (unit == "s" || unit == "sec" || unit == "second") return 1;
  if (unit == "min" || unit == "minute") return 60;
  if (unit == "h" || unit == "hour") return 3600;
  return 0;
}

unsigned parseBurst(std::string_view whole, std::string_view rest) {
  while (!rest.empty() && (isSpace(rest.front()) || rest.front() == ',' || rest.front() == ';'))
    rest.remove_prefix(1);
  if (rest.substr(0, 5) != "burst") refuse(whole, kGrammar);
  rest = trim(rest.substr(5));
  if (!rest.empty() && rest.front() == '=') rest = trim(rest.substr(1));
  unsigned burst = 0;
  const auto [end, error] = std::from_chars(rest.data(), rest.data() + rest.size(), burst);
  if (rest.empty() || error != std::errc() || end != rest.data() + rest.size() || burst == 0)
    refuse(whole, "burst must be a whole number of at least 1");
  return burst;
}

}  // namespace

RateLimit parseRateLimit(std::string_view text) {
  const std::string_view whole = trim(text);
  const auto slash = whole.find('/');
  if (slash == std::string_view::npos) refuse(text, kGrammar);
  const std::string_view rate = trim(whole.substr(0, slash));
  double perUnit = 0;
  const auto [rateEnd, rateError] =
      std::from_chars(rate.data(), rate.data() + rate.size(), perUnit);
  if (rate.empty() || rateError != std::errc() || rateEnd != rate.data() + rate.size())
    refuse(text, "'" + std::string(rate) + "' is not a number");
  if (!(perUnit > 0) || !std::isfinite(perUnit)) refuse(text, "the rate must be above 0");

  std::string_view after = whole.substr(slash + 1);
  std::size_t unitLength = 0;
  while (unitLength < after.size() && after[unitLength] >= 'a' && after[unitLength] <= 'z')
    ++unitLength;
  const std::string_view unit = after.substr(0, unitLength);
  const double seconds = unitSeconds(unit);
  if (seconds == 0) refuse(text, "unknown unit '" + std::string(unit) + "' (use s, min or h)");

  RateLimit limit{perUnit / seconds, 1};
  const std::string_view rest = after.substr(unitLength);
  if (!trim(rest).empty()) limit.burst = parseBurst(text, rest);
  return limit;
}

std::string describeRateLimit(const RateLimit& limit) {
  char buffer[32];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, limit.perSecond);
  std::string text(buffer, result.ptr);
  text += "/s";
  if (limit.burst != 1) text += " burst " + std::to_string(limit.burst);
  return text;
}

void validate(const HttpOptions& options) {
  const auto positive = [](std::chrono::milliseconds value, const char* name) {
    if (value.count() <= 0)
      throw std::invalid_argument(std::string(name) + " must be above 0 ms, not " +
                                  std::to_string(value.count()));
  };
  positive(options.connectTimeout, "connectTimeout");
  positive(options.requestTimeout, "requestTimeout");
  positive(options.backoffBase, "backoffBase");
  positive(options.backoffCap, "backoffCap");
  positive(options.idleExpiry, "idleExpiry");
  if (options.maxAttempts == 0) throw std::invalid_argument("maxAttempts must be at least 1");
  if (options.maxResponseBytes == 0)
    throw std::invalid_argument("maxResponseBytes must be at least 1");
  const auto checkLimit = [](const RateLimit& limit, const std::string& what) {
    if (!(limit.perSecond > 0) || !std::isfinite(limit.perSecond) || limit.burst == 0)
      throw std::invalid_argument("rate limit for " + what +
                                  " needs a rate above 0 and a burst of at least 1");
  };
  for (const auto& [host, limit] : options.rateLimits) checkLimit(limit, "host '" + host + "'");
  if (options.defaultRateLimit) checkLimit(*options.defaultRateLimit, "other hosts");
}

}  // namespace warren::outbound
