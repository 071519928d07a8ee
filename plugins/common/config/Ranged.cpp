#include "config/Ranged.h"

#include <stdexcept>
#include <string>

namespace common::config {

std::int64_t ranged(const warren::Host& host, const char* key, std::int64_t fallback,
                    std::int64_t low, std::int64_t high) {
  const std::int64_t value = host.getInt(key, fallback);
  if (value < low || value > high)
    throw std::invalid_argument(std::string(key) + " must be from " + std::to_string(low) + " to " +
                                std::to_string(high) + ", not " + std::to_string(value));
  return value;
}

}  // namespace common::config
