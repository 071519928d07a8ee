// Reading a plugin's numeric config key that must lie in a range: the key's value (or the
// fallback when it is not set), or std::invalid_argument naming the key, the range and the value,
// so init fails with a readable reason.
#pragma once

#include <warren/plugin.hpp>

#include <cstdint>

namespace common::config {

std::int64_t ranged(const warren::Host& host, const char* key, std::int64_t fallback,
                    std::int64_t low, std::int64_t high);

}  // namespace common::config
