// When a published post's metrics are collected next: young posts often, old ones rarely, and
// none after the last band (Settings::bands, e.g. 6h=1h,24h=3h,72h=12h,7d=24h).
#pragma once

#include "Settings.h"

#include <cstdint>
#include <vector>

namespace publish::analytics {

// The time of the next collection of a post published at `publishedAt`, collected at `now`;
// 0 when it is older than the last band (collection stops).
std::int64_t nextCollection(const std::vector<Band>& bands, std::int64_t publishedAt,
                            std::int64_t now);

}  // namespace publish::analytics
