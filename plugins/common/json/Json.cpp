#include "json/Json.h"

#include "job/Failure.h"

namespace common {
namespace {

const Json* member(const Json& object, std::string_view key) {
  if (!object.is_object()) return nullptr;
  const auto it = object.find(std::string(key));
  if (it == object.end() || it->is_null()) return nullptr;
  return &*it;
}

[[noreturn]] void wrongType(std::string_view key, const char* expected) {
  throw job::Unrecoverable("invalid job data: '" + std::string(key) + "' must be " + expected);
}

}  // namespace

Json parseJson(std::string_view text, std::string_view what) {
  try {
    return Json::parse(text.begin(), text.end());
  } catch (const Json::parse_error& e) {
    throw job::Unrecoverable("invalid JSON in " + std::string(what) + ": " + e.what());
  }
}

std::string dumpJson(const Json& value) {
  return value.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::string stringOr(const Json& object, std::string_view key, std::string fallback) {
  const Json* value = member(object, key);
  if (value == nullptr) return fallback;
  if (!value->is_string()) wrongType(key, "a string");
  return value->get<std::string>();
}

std::optional<std::string> optionalString(const Json& object, std::string_view key) {
  const Json* value = member(object, key);
  if (value == nullptr) return std::nullopt;
  if (!value->is_string()) wrongType(key, "a string");
  return value->get<std::string>();
}

std::int64_t intOr(const Json& object, std::string_view key, std::int64_t fallback) {
  const Json* value = member(object, key);
  if (value == nullptr) return fallback;
  if (!value->is_number_integer()) wrongType(key, "a whole number");
  return value->get<std::int64_t>();
}

double numberOr(const Json& object, std::string_view key, double fallback) {
  const Json* value = member(object, key);
  if (value == nullptr) return fallback;
  if (!value->is_number()) wrongType(key, "a number");
  return value->get<double>();
}

bool boolOr(const Json& object, std::string_view key, bool fallback) {
  const Json* value = member(object, key);
  if (value == nullptr) return fallback;
  if (!value->is_boolean()) wrongType(key, "true or false");
  return value->get<bool>();
}

}  // namespace common
