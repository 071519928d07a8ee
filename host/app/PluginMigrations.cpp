#include "app/PluginMigrations.h"

#include <string>
#include <vector>

namespace warren::app {

void migratePlugin(db::Database& database, const plugins::Library& library) {
  const plugins::PluginInfo& info = library.info();
  if (info.migrations.empty()) return;
  const bool postgres = database.backend() == db::Backend::postgresql;
  std::vector<db::Migration> migrations;
  for (const plugins::MigrationSpec& spec : info.migrations) {
    db::Migration migration;
    migration.version = spec.version;
    migration.name = spec.name;
    migration.file = std::to_string(spec.version) + "_" + spec.name;  // how reports name it
    migration.sql = postgres ? spec.postgresql : spec.sqlite;
    migrations.push_back(std::move(migration));
  }
  const db::MigrationReport report =
      database.applyMigrations("plugin:" + info.name, std::move(migrations));
  if (!report.ok) {
    throw plugins::PluginError("plugin " + library.path().string() + " refused: " + report.error);
  }
}

}  // namespace warren::app
