#include "sizing/Profiles.h"

#include <stdexcept>
#include <string>

namespace warren::sizing {
namespace {

template <typename Row>
const Row& find(const std::vector<Row>& rows, std::string_view name, const char* what) {
  std::string names;
  for (const Row& row : rows) {
    if (row.name == name) return row;
    names += (names.empty() ? "" : ", ") + std::string(row.name);
  }
  throw std::invalid_argument("unknown " + std::string(what) + " '" + std::string(name) +
                              "': expected one of " + names);
}

}  // namespace

const std::vector<ProfileDefaults>& profiles() {
  static const std::vector<ProfileDefaults> rows = {
      {"development", 2, 5, log::Level::debug, false},
      {"staging", 5, 10, log::Level::info, true},
      {"production", 10, 20, log::Level::warn, true},
  };
  return rows;
}

const std::vector<TierDefaults>& tiers() {
  // The budget follows memory rather than CPU: most jobs wait on the network, and each slot is
  // given roughly 150–200 MiB once the host's own 200 MiB are set aside.
  static const std::vector<TierDefaults> rows = {
      {"micro", 500, 512, 2},     {"small", 1000, 1024, 5},  {"standard", 2000, 2048, 10},
      {"medium", 2000, 4096, 20}, {"large", 4000, 8192, 40}, {"performance", 8000, 16384, 80},
  };
  return rows;
}

ProfileDefaults profileDefaults(std::string_view profile) {
  return find(profiles(), profile, "profile");
}

TierDefaults tierDefaults(std::string_view tier) {
  return find(tiers(), tier, "tier");
}

}  // namespace warren::sizing
