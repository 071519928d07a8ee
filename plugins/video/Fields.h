// Reading job data fields with the refusal messages users see ("invalid job data: ...").
#pragma once

#include "Json.h"
#include "Shared.h"

#include "media/Geometry.h"

#include <initializer_list>
#include <string>

namespace video {

// A number in [low, high]; `fallback` when the field is absent or null.
double numberField(const Json& data, const char* key, double fallback, double low, double high);
// A whole number in [low, high]; `fallback` when absent or null.
int intField(const Json& data, const char* key, int fallback, int low, int high);
// "pad" or "crop"; `fallback` when absent or null.
Fit fitField(const Json& data, const char* key, Fit fallback);
// One of `choices` (e.g. {"jpeg", "png"}); `fallback` when absent or null.
std::string choiceField(const Json& data, const char* key, const std::string& fallback,
                        std::initializer_list<const char*> choices);

}  // namespace video
