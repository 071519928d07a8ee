#include "Request.h"

#include "job/Failure.h"

#include <cctype>
#include <ctime>

namespace generate {
namespace {

using common::Json;
using common::job::Unrecoverable;

int digits(const std::string& text, std::size_t at, std::size_t count) {
  if (at + count > text.size()) return -1;
  int value = 0;
  for (std::size_t i = at; i < at + count; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) return -1;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

// Days from 1970-01-01 to y-m-d (proleptic Gregorian).
std::int64_t daysFromCivil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

}  // namespace

std::optional<std::int64_t> parseDateTime(const std::string& text) {
  // YYYY-MM-DDTHH:MM:SS[.f+](Z|±HH:MM)
  const int year = digits(text, 0, 4), month = digits(text, 5, 2), day = digits(text, 8, 2);
  const int hour = digits(text, 11, 2), minute = digits(text, 14, 2), second = digits(text, 17, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23 ||
      minute < 0 || minute > 59 || second < 0 || second > 60 || text.size() < 20 ||
      text[4] != '-' || text[7] != '-' || (text[10] != 'T' && text[10] != 't') || text[13] != ':' ||
      text[16] != ':') {
    return std::nullopt;
  }
  std::size_t at = 19;
  std::int64_t millis = 0;
  if (at < text.size() && text[at] == '.') {
    ++at;
    std::int64_t scale = 100;
    const std::size_t start = at;
    while (at < text.size() && std::isdigit(static_cast<unsigned char>(text[at]))) {
      millis += scale * (text[at] - '0');
      scale /= 10;
      ++at;
    }
    if (at == start) return std::nullopt;
  }
  std::int64_t offsetMinutes = 0;
  if (at < text.size() && (text[at] == 'Z' || text[at] == 'z')) {
    ++at;
  } else if (at < text.size() && (text[at] == '+' || text[at] == '-')) {
    const int oh = digits(text, at + 1, 2), om = digits(text, at + 4, 2);
    if (oh < 0 || om < 0 || at + 6 > text.size() || text[at + 3] != ':') return std::nullopt;
    offsetMinutes = (oh * 60 + om) * (text[at] == '-' ? -1 : 1);
    at += 6;
  } else {
    return std::nullopt;
  }
  if (at != text.size()) return std::nullopt;
  const std::int64_t days =
      daysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  const std::int64_t seconds =
      days * 86400 + hour * 3600 + minute * 60 + second - offsetMinutes * 60;
  return seconds * 1000 + millis;
}

std::optional<std::string> idOf(const Json& data, const char* key) {
  const auto found = data.find(key);
  if (found == data.end() || found->is_null()) return std::nullopt;
  if (found->is_number_integer()) return std::to_string(found->get<std::int64_t>());
  if (found->is_string() && !found->get<std::string>().empty()) return found->get<std::string>();
  throw Unrecoverable(std::string("invalid job data: '") + key +
                      "' must be a non-empty string or an integer");
}

Request parseRequest(const Json& data) {
  if (!data.is_object()) throw Unrecoverable("invalid job data: expected an object");
  Request request;
  const auto brandId = idOf(data, "brandProfileId");
  if (!brandId) throw Unrecoverable("invalid job data: 'brandProfileId' is required");
  request.brandProfileId = *brandId;
  if (const auto brand = data.find("brand"); brand != data.end() && !brand->is_null()) {
    if (!brand->is_object()) throw Unrecoverable("invalid job data: 'brand' must be an object");
    request.brand = *brand;
  }
  if (const auto analysis = data.find("analysis"); analysis != data.end() && !analysis->is_null()) {
    if (!analysis->is_object()) {
      throw Unrecoverable("invalid job data: 'analysis' must be an object");
    }
    request.analysis = *analysis;
  }
  request.analysisId = idOf(data, "analysisId");
  request.materialId = idOf(data, "materialId");
  const int sources =
      (request.analysis ? 1 : 0) + (request.analysisId ? 1 : 0) + (request.materialId ? 1 : 0);
  if (sources != 1) {
    throw Unrecoverable(
        "invalid job data: give exactly one of 'analysis', 'analysisId' and 'materialId'");
  }
  const auto platforms = data.find("platforms");
  if (platforms == data.end() || !platforms->is_array() || platforms->empty()) {
    throw Unrecoverable("invalid job data: 'platforms' must be a non-empty array");
  }
  for (const Json& name : *platforms) {
    const auto platform =
        name.is_string() ? common::platform::parsePlatform(name.get<std::string>()) : std::nullopt;
    if (!platform) {
      throw Unrecoverable("invalid job data: platform " + name.dump() +
                          " is not one of x, "
                          "bluesky, mastodon, linkedin, threads, instagram, facebook");
    }
    for (const auto seen : request.platforms) {
      if (seen == *platform) {
        throw Unrecoverable("invalid job data: platform '" +
                            std::string(common::platform::platformName(*platform)) +
                            "' is given twice");
      }
    }
    request.platforms.push_back(*platform);
  }
  const std::int64_t variants = common::intOr(data, "variants", 1);
  if (variants < 1 || variants > 5) {
    throw Unrecoverable("invalid job data: 'variants' must be from 1 to 5");
  }
  request.variants = static_cast<std::size_t>(variants);
  request.goal = common::stringOr(data, "goal");
  request.language = common::stringOr(data, "language");
  if (const auto keys = data.find("mediaKeys"); keys != data.end() && !keys->is_null()) {
    std::vector<std::string> list;
    for (const Json& key : *keys) {
      if (!key.is_string() || key.get<std::string>().empty()) {
        throw Unrecoverable("invalid job data: 'mediaKeys' must hold non-empty strings");
      }
      list.push_back(key.get<std::string>());
    }
    request.mediaKeys = std::move(list);
  }
  request.store = common::boolOr(data, "store", false);
  if (const auto at = common::optionalString(data, "scheduleAt")) {
    request.scheduleAtMs = parseDateTime(*at);
    if (!request.scheduleAtMs) {
      throw Unrecoverable("invalid job data: 'scheduleAt' is not an RFC 3339 date-time: '" + *at +
                          "'");
    }
    request.scheduleAtText = *at;
  }
  if (const auto accounts = data.find("accounts"); accounts != data.end() && !accounts->is_null()) {
    if (!accounts->is_object()) {
      throw Unrecoverable("invalid job data: 'accounts' must be an object");
    }
    for (const auto& [name, id] : accounts->items()) {
      const auto platform = common::platform::parsePlatform(name);
      if (!platform) {
        throw Unrecoverable("invalid job data: accounts: '" + name + "' is not a platform");
      }
      if (!id.is_string() || id.get<std::string>().empty()) {
        throw Unrecoverable("invalid job data: accounts." + name + " must be a non-empty string");
      }
      request.accounts[*platform] = id.get<std::string>();
    }
  }
  return request;
}

}  // namespace generate
