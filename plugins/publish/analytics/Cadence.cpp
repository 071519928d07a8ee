#include "analytics/Cadence.h"

namespace publish::analytics {

std::int64_t nextCollection(const std::vector<Band>& bands, std::int64_t publishedAt,
                            std::int64_t now) {
  const std::int64_t age = now - publishedAt;
  for (const Band& band : bands) {
    if (age < band.ageMs) return now + band.everyMs;
  }
  return 0;
}

}  // namespace publish::analytics
