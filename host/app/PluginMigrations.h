// A plugin's own database migrations (ABI 1.2, declared in its descriptor), applied by the host
// before the plugin's init, in scope "plugin:<name>", with the SQL text for the node's backend.
#pragma once

#include "db/Database.h"
#include "plugins/Library.h"

namespace warren::app {

// Applies the migrations of `library` not yet recorded in `database`; nothing when the plugin
// declares none. Throws plugins::PluginError ("plugin PATH refused: ...") naming the migration
// and the database's error when one fails.
void migratePlugin(db::Database& database, const plugins::Library& library);

}  // namespace warren::app
