// Internal: finds and loads the PostgreSQL module (see PostgresDriver.h) the first time a
// PostgreSQL URL is used.
#pragma once

#include "db/PostgresDriver.h"

#include <filesystem>

namespace warren::db::detail {

// $WARREN_MODULE_DIR/warren_postgres.so when that is set, else the file in the module directory
// next to the executable's (<bin>/../lib/warren/modules: build and install trees alike).
std::filesystem::path postgresModulePath();

// The driver, loading the module on the first call (RTLD_NOW | RTLD_LOCAL, never unloaded).
// Throws DbError (internal) naming the module's path and the loader's reason when it cannot be
// loaded; the next call tries again.
const PostgresDriver& postgresDriver();

}  // namespace warren::db::detail
