// JSON values of the AI service: requests, responses and providers' wire bodies. Ordered, so a
// schema's properties reach the provider in the order the plugin wrote them.
#pragma once

#include <nlohmann/json.hpp>

namespace warren::ai {

using Json = nlohmann::ordered_json;

}  // namespace warren::ai
