// A content:generate job's data, read once (the host checked it against
// schemas/content-generate.data.json; what a schema cannot say is checked here).
#pragma once

#include "json/Json.h"
#include "platform/Platform.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace generate {

struct Request {
  std::string brandProfileId;
  std::optional<common::Json> brand;     // the profile given in the job
  std::optional<common::Json> analysis;  // given in the job
  std::optional<std::string> analysisId;
  std::optional<std::string> materialId;
  std::vector<common::platform::Platform> platforms;  // in the job's order, "twitter" as x
  std::size_t variants = 1;
  std::string goal;
  std::string language;  // "" when not given
  std::optional<std::vector<std::string>> mediaKeys;
  std::optional<std::int64_t> scheduleAtMs;  // Unix ms
  std::string scheduleAtText;                // as given
  std::map<common::platform::Platform, std::string> accounts;
  bool store = false;
};

// Throws job::Unrecoverable naming the field that is wrong.
Request parseRequest(const common::Json& data);

// RFC 3339 date-time ("2026-05-01T09:30:00Z", "...+02:00", fractions) as Unix ms; nullopt when
// it is not one.
std::optional<std::int64_t> parseDateTime(const std::string& text);

// A string or integer id as text ("7" for 7); nullopt when absent.
std::optional<std::string> idOf(const common::Json& data, const char* key);

}  // namespace generate
