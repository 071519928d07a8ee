// Readable failure messages of a validation (private to host/json).
#pragma once

#include "json/SchemaEngine.h"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <string>

namespace warren::json::engine {

// The first `limit` distinct failures of `results` as "<JSON Pointer>: <what was expected>",
// "; "-joined. valijson's summary lines of nested failures ("failed to validate item #0...")
// are left out: the nested failure says it better.
std::string describeFailures(const valijson::ValidationResults& results,
                             const nlohmann::json& document, const nlohmann::json& schema,
                             const Patterns& patterns, std::size_t limit);

}  // namespace warren::json::engine
