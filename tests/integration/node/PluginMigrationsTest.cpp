// A plugin's own migrations (ABI 1.2 descriptor): applied by the node before the plugin's init,
// once, with the SQL of the node's backend (SQLite by default, PostgreSQL with DATABASE_URL), next
// to a queue's migrations directory; a failing one refuses the plugin naming the migration and
// the database's error.
#include "NodeProcess.h"
#include "Paths.h"
#include "PostgresServer.h"
#include "QueueState.h"
#include "RedisServer.h"
#include "TempDir.h"

#include "db/Database.h"
#include "queue/Producer.h"

#include <gtest/gtest.h>

#include <fstream>

namespace warren::test {
namespace {

using namespace std::chrono_literals;

std::size_t occurrences(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

// Runs one abi12:notes job on the node and returns its return value.
std::string notesThroughThePlugin(const std::string& redisUrl, const std::string& queue) {
  QueueState state(redisUrl, queue);
  queue::Producer producer(state.connection(), "bull", queue);
  const std::string id = producer.add("abi12:notes", "{}", "{}");
  std::optional<queue::JobView> job;
  eventually(
      [&] {
        job = producer.getJob(id);
        return job && (job->state == "completed" || job->state == "failed");
      },
      20s);
  if (!job) return "<no job>";
  return job->state == "completed" ? job->returnvalue.value_or("") : *job->failedReason;
}

std::string startFailure(NodeOptions options) {
  try {
    NodeProcess node(std::move(options));
    return "<started>\n" + node.log();
  } catch (const std::exception& e) {
    return e.what();
  }
}

TEST(PluginMigrations, AppliedOnceOnSqliteBeforeThePluginStarts) {
  RedisServer redis;
  TempDir data("warren-shared-data");
  TempDir directory("warren-queue-migrations");
  std::ofstream(directory / "0100_extra.sql") << "CREATE TABLE abi12_extra (v INTEGER);";
  for (int start = 0; start < 2; ++start) {
    NodeProcess node(NodeOptions("notes", redis.url())
                         .withPlugin(fixture("abi12").string())
                         .set("node.data_dir=" + data.path().string())
                         .set("queue.notes.migrations=" + directory.path().string()));
    // The plugin's init reads the table its migrations create: it started, so they ran first.
    EXPECT_EQ(notesThroughThePlugin(redis.url(), "notes"), R"([{"body":"seeded by migration 2"}])");
    EXPECT_EQ(node.stop(SIGTERM), 0) << node.log();
    const std::string log = node.log();
    EXPECT_EQ(occurrences(log, "\"file\":\"1_create_notes\""), start == 0 ? 1u : 0u) << log;
    EXPECT_EQ(occurrences(log, "\"file\":\"2_seed_note\""), start == 0 ? 1u : 0u) << log;
    EXPECT_EQ(occurrences(log, "\"file\":\"0100_extra.sql\""), start == 0 ? 1u : 0u) << log;
  }
  db::Options options;
  options.dataDir = data.path().string();
  db::Database database(options);
  const db::DbResult rows = database.query(
      db::Intent::read,
      "SELECT version, name FROM warren_migrations WHERE scope = 'plugin:abi12' ORDER BY version");
  ASSERT_TRUE(rows.ok) << rows.error;
  EXPECT_EQ(rows.rowsJson,
            R"([{"version":1,"name":"create_notes"},{"version":2,"name":"seed_note"}])");
  EXPECT_TRUE(database.query(db::Intent::read, "SELECT v FROM abi12_extra").ok);
}

TEST(PluginMigrations, AFailingOneRefusesThePluginNamingItAndTheDatabasesError) {
  RedisServer redis;
  const std::string path = fixture("abi12_broken").string();
  const std::string failure = startFailure(NodeOptions("broken", redis.url()).withPlugin(path));
  EXPECT_NE(failure.find("plugin " + path +
                         " refused: migration 3_broken (scope plugin:abi12_broken) failed: "),
            std::string::npos)
      << failure;
  EXPECT_NE(failure.find("failed: near \";\": syntax error"), std::string::npos) << failure;
}

class PluginMigrationsOnPostgres : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = std::make_unique<PostgresServer>(); }
  static void TearDownTestSuite() { server_.reset(); }
  static std::unique_ptr<PostgresServer> server_;
};
std::unique_ptr<PostgresServer> PluginMigrationsOnPostgres::server_;

TEST_F(PluginMigrationsOnPostgres, AppliedWithThePostgresqlText) {
  RedisServer redis;
  server_->sql("CREATE DATABASE notes");
  for (int start = 0; start < 2; ++start) {
    NodeProcess node(NodeOptions("notes", redis.url())
                         .withPlugin(fixture("abi12").string())
                         .env("DATABASE_URL=" + server_->url("notes")));
    EXPECT_EQ(notesThroughThePlugin(redis.url(), "notes"), R"([{"body":"seeded by migration 2"}])");
    EXPECT_EQ(node.stop(SIGTERM), 0) << node.log();
  }
  // BIGSERIAL: the PostgreSQL text ran, not the SQLite one.
  EXPECT_EQ(server_->sql("SELECT data_type FROM information_schema.columns WHERE table_name = "
                         "'abi12_notes' AND column_name = 'id'",
                         "notes"),
            "bigint\n");
  EXPECT_EQ(server_->sql("SELECT version || ' ' || name FROM warren_migrations WHERE scope = "
                         "'plugin:abi12' ORDER BY version",
                         "notes"),
            "1 create_notes\n2 seed_note\n");
  EXPECT_EQ(server_->sql("SELECT count(*) FROM abi12_notes", "notes"), "1\n");
}

TEST_F(PluginMigrationsOnPostgres, AFailingOneNamesPostgresqlsError) {
  RedisServer redis;
  server_->sql("CREATE DATABASE broken");
  const std::string path = fixture("abi12_broken").string();
  const std::string failure = startFailure(NodeOptions("broken", redis.url())
                                               .withPlugin(path)
                                               .env("DATABASE_URL=" + server_->url("broken")));
  EXPECT_NE(failure.find("plugin " + path +
                         " refused: migration 3_broken (scope plugin:abi12_broken) failed: "),
            std::string::npos)
      << failure;
  EXPECT_NE(failure.find("failed: syntax error at or near \";\" [SQLSTATE 42601]\n"),
            std::string::npos)
      << failure;
  // The steps before it stay applied.
  EXPECT_EQ(server_->sql("SELECT count(*) FROM warren_migrations WHERE scope = "
                         "'plugin:abi12_broken'",
                         "broken"),
            "2\n");
}

}  // namespace
}  // namespace warren::test
