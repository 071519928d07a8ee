// JSON for the content plugins: nlohmann::json (Debian's nlohmann-json3-dev), plus the few
// helpers every plugin needs to read job data and write results with readable errors.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace common {

using Json = nlohmann::json;

// Parses JSON text; throws job::Unrecoverable("invalid JSON in <what>: <reason>") when it is not.
Json parseJson(std::string_view text, std::string_view what);

// Compact text of a value, with invalid UTF-8 replaced (a result must always be valid JSON).
std::string dumpJson(const Json& value);

// Typed reads of an object member with a default; a member of the wrong type throws
// job::Unrecoverable naming the field (the host checked the data against the job's schema, so
// this is a second line of defence for fields a schema cannot express).
std::string stringOr(const Json& object, std::string_view key, std::string fallback = {});
std::optional<std::string> optionalString(const Json& object, std::string_view key);
std::int64_t intOr(const Json& object, std::string_view key, std::int64_t fallback);
double numberOr(const Json& object, std::string_view key, double fallback);
bool boolOr(const Json& object, std::string_view key, bool fallback);

}  // namespace common
