// A queue's plugin migrations (queue.NAME.migrations) run once, before the plugin starts, in the
// node's database (SQLite in the data directory by default); a failing one stops the start-up.
#include "NodeProcess.h"
#include "RedisServer.h"
#include "TempDir.h"

#include "db/Database.h"

#include <gtest/gtest.h>

#include <fstream>

namespace warren::test {
namespace {

void write(const std::filesystem::path& path, const std::string& text) {
  std::ofstream(path) << text;
}

TEST(NodeMigrations, APluginsMigrationsRunOnceBeforeItServes) {
  RedisServer redis;
  TempDir migrations("warren-plugin-migrations");
  TempDir data("warren-shared-data");
  write(migrations / "0001_things.sql", "CREATE TABLE plugin_things (id INTEGER PRIMARY KEY);");
  write(migrations / "0002_seed.sql", "INSERT INTO plugin_things (id) VALUES (7);");
  for (int start = 0; start < 2; ++start) {  // the second start applies nothing again
    NodeProcess node(NodeOptions("migrating", redis.url())
                         .set("node.data_dir=" + data.path().string())
                         .set("queue.migrating.migrations=" + migrations.path().string()));
    EXPECT_EQ(node.stop(SIGTERM), 0) << node.log();
    const bool applied = node.log().find("0002_seed.sql") != std::string::npos;
    EXPECT_EQ(applied, start == 0) << node.log();
  }
  db::Options options;
  options.dataDir = data.path().string();
  db::Database database(options);
  const db::DbResult rows = database.query(db::Intent::read, "SELECT id FROM plugin_things");
  ASSERT_TRUE(rows.ok) << rows.error;
  EXPECT_EQ(rows.rowsJson, "[{\"id\":7}]");
}

TEST(NodeMigrations, AFailingMigrationStopsTheStartWithItsFileNamed) {
  RedisServer redis;
  TempDir migrations("warren-plugin-migrations");
  write(migrations / "0001_broken.sql", "CREATE TABLE oops (;");
  try {
    NodeProcess node(NodeOptions("broken", redis.url())
                         .set("queue.broken.migrations=" + migrations.path().string()));
    ADD_FAILURE() << "the node started despite a failing migration:\n" << node.log();
  } catch (const std::exception& e) {
    // NodeProcess reports the start-up failure with the node's output.
    EXPECT_NE(std::string(e.what()).find("migrations of queue 'broken' failed"), std::string::npos)
        << e.what();
    EXPECT_NE(std::string(e.what()).find("0001_broken.sql"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace warren::test
