// Internal: the host's own migrations (host/db/migrations/*.sql), built into the binary by
// EmbedMigrations.cmake so that an installed host needs no SQL files beside it.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace warren::db::detail {

// (file name, SQL text), in file name order.
const std::vector<std::pair<std::string, std::string>>& hostMigrations();

}  // namespace warren::db::detail
