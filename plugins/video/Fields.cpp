#include "Fields.h"

#include "Shared.h"

#include <cmath>

namespace video {
namespace {

const Json* present(const Json& data, const char* key) {
  const Json* value = data.find(key);
  return value == nullptr || value->isNull() ? nullptr : value;
}

}  // namespace

double numberField(const Json& data, const char* key, double fallback, double low, double high) {
  const Json* value = present(data, key);
  if (value == nullptr) return fallback;
  if (!value->isNumber() || value->asNumber() < low || value->asNumber() > high) {
    unrecoverable(std::string("invalid job data: '") + key + "' must be a number from " +
                  seconds(low) + " to " + seconds(high));
  }
  return value->asNumber();
}

int intField(const Json& data, const char* key, int fallback, int low, int high) {
  const Json* value = present(data, key);
  if (value == nullptr) return fallback;
  if (!value->isNumber() || value->asNumber() != std::trunc(value->asNumber()) ||
      value->asNumber() < low || value->asNumber() > high) {
    unrecoverable(std::string("invalid job data: '") + key + "' must be a whole number from " +
                  std::to_string(low) + " to " + std::to_string(high));
  }
  return static_cast<int>(value->asNumber());
}

Fit fitField(const Json& data, const char* key, Fit fallback) {
  const std::string fit =
      choiceField(data, key, fallback == Fit::Pad ? "pad" : "crop", {"pad", "crop"});
  return fit == "pad" ? Fit::Pad : Fit::Crop;
}

std::string choiceField(const Json& data, const char* key, const std::string& fallback,
                        std::initializer_list<const char*> choices) {
  const Json* value = present(data, key);
  if (value == nullptr) return fallback;
  std::string list;
  for (const char* choice : choices) {
    if (value->isString() && value->asString() == choice) return choice;
    list += list.empty() ? "" : " or ";
    list += std::string("'") + choice + "'";
  }
  unrecoverable(std::string("invalid job data: '") + key + "' must be " + list);
}

}  // namespace video
