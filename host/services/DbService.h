// The SDK's database service (warren_db_api) over the host's Database: plugins run
// parameterised statements with read or write intent and get rows back as JSON.
#pragma once

#include <warren/plugin.h>

namespace warren::db {
class Database;
}

namespace warren::services {

// The table to install with plugins::installServices({.db = dbApi(database)}). It serves
// `database` from then on (the last one passed wins); `database` must outlive every plugin
// instance. The table itself is static.
const warren_db_api* dbApi(db::Database& database);

}  // namespace warren::services
