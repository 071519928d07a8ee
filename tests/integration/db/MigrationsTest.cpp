// The migrations runner on both backends: once per version, in order, a failure rolls back only
// the failing file, and nodes starting together apply each file once.
#include <gtest/gtest.h>

#include <atomic>
#include <future>

#include "Helpers.h"
#include "PostgresServer.h"
#include "TempDir.h"

namespace warren::db {
namespace {

using test::fastOptions;
using test::firstValue;
using warren::test::writeFile;

class MigrationsTest : public ::testing::TestWithParam<Backend> {
 protected:
  static void TearDownTestSuite() { server_.reset(); }

  void SetUp() override {
    if (GetParam() == Backend::postgresql) {
      // Started by the first PostgreSQL test of the suite (the SQLite ones need no server).
      if (!server_) server_ = std::make_unique<warren::test::PostgresServer>();
      if (!server_->running()) server_->start();
      // A fresh database per test: warren_migrations starts empty.
      database_ = "m" + std::to_string(++counter_);
      server_->sql("CREATE DATABASE " + database_);
    }
  }

  Options options() const {
    if (GetParam() == Backend::postgresql) return fastOptions(server_->url(database_));
    Options o = fastOptions("");
    o.dataDir = dir_.path().string();
    return o;
  }

  std::filesystem::path migrations(const std::string& name) const { return dir_ / name; }

  static std::string count(Database& db, const std::string& sql) {
    return firstValue(db.query(Intent::read, sql), "n");
  }

  warren::test::TempDir dir_{"warren-migrate"};
  std::string database_;
  static std::unique_ptr<warren::test::PostgresServer> server_;
  static std::atomic<int> counter_;
};
std::unique_ptr<warren::test::PostgresServer> MigrationsTest::server_;
std::atomic<int> MigrationsTest::counter_{0};

TEST_P(MigrationsTest, AppliedOnceInVersionOrder) {
  const auto dir = migrations("plugin");
  writeFile(dir / "0002_fill.sql",
            "INSERT INTO items (name) VALUES ('a');\nINSERT INTO items (name) VALUES ('b');\n");
  writeFile(dir / "0001_items.sql",
            "-- the first one\nCREATE TABLE items (name TEXT NOT NULL);\n"
            "CREATE INDEX items_name ON items (name);\n");
  Database db(options());
  const MigrationReport first = db.runMigrations("publisher", dir);
  ASSERT_TRUE(first.ok) << first.error;
  EXPECT_EQ(first.applied, (std::vector<std::string>{"0001_items.sql", "0002_fill.sql"}));

  const MigrationReport again = db.runMigrations("publisher", dir);
  ASSERT_TRUE(again.ok) << again.error;
  EXPECT_TRUE(again.applied.empty());
  EXPECT_EQ(count(db, "SELECT count(*) AS n FROM items"), "2");

  // A new file later: only it runs.
  writeFile(dir / "0003_more.sql", "INSERT INTO items (name) VALUES ('c');");
  const MigrationReport third = db.runMigrations("publisher", dir);
  EXPECT_EQ(third.applied, std::vector<std::string>{"0003_more.sql"});
  EXPECT_EQ(count(db, "SELECT count(*) AS n FROM items"), "3");

  const DbResult recorded =
      db.query(Intent::read,
               "SELECT scope, version, name, applied_at FROM warren_migrations ORDER BY version");
  const auto list = test::rows(recorded);
  ASSERT_EQ(list->size(), 3u);
  EXPECT_EQ(list->getObject(0)->getValue<std::string>("scope"), "publisher");
  EXPECT_EQ(list->getObject(0)->getValue<Poco::Int64>("version"), 1);
  EXPECT_EQ(list->getObject(0)->getValue<std::string>("name"), "items");
  EXPECT_FALSE(list->getObject(2)->getValue<std::string>("applied_at").empty());
}

TEST_P(MigrationsTest, ScopesAreIndependent) {
  const auto one = migrations("one");
  const auto two = migrations("two");
  writeFile(one / "0001_t1.sql", "CREATE TABLE t1 (v INTEGER);");
  writeFile(two / "0001_t2.sql", "CREATE TABLE t2 (v INTEGER);");
  Database db(options());
  EXPECT_EQ(db.runMigrations("one", one).applied, std::vector<std::string>{"0001_t1.sql"});
  EXPECT_EQ(db.runMigrations("two", two).applied, std::vector<std::string>{"0001_t2.sql"});
  EXPECT_EQ(count(db, "SELECT count(*) AS n FROM warren_migrations"), "2");
}

TEST_P(MigrationsTest, AVersionAppliedUnderAnotherNameIsAConflict) {
  // A plugin's descriptor and a migrations directory share the scope plugin:<name>; a version
  // both use must not be taken for applied.
  const auto dir = migrations("dir");
  writeFile(dir / "0001_from_dir.sql", "CREATE TABLE from_dir (v INTEGER);");
  Database db(options());
  ASSERT_TRUE(db.runMigrations("plugin:x", dir).ok);
  Migration declared;
  declared.version = 1;
  declared.name = "from_descriptor";
  declared.file = "1_from_descriptor";
  declared.sql = "CREATE TABLE from_descriptor (v INTEGER);";
  const MigrationReport report = db.applyMigrations("plugin:x", {declared});
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.error,
            "migration 1_from_descriptor (scope plugin:x): version 1 of this scope was applied as "
            "'from_dir': give the steps distinct versions");
  declared.name = "from_dir";  // the same step: applied before, nothing to do
  EXPECT_TRUE(db.applyMigrations("plugin:x", {declared}).ok);
}

TEST_P(MigrationsTest, AFailureRollsBackOnlyThatFileAndNamesIt) {
  const auto dir = migrations("bad");
  writeFile(dir / "0001_ok.sql", "CREATE TABLE kept (v INTEGER);");
  writeFile(dir / "0002_broken.sql",
            "CREATE TABLE half (v INTEGER);\nINSERT INTO kept VALUES (1);\nTHIS IS NOT SQL;\n");
  writeFile(dir / "0003_after.sql", "CREATE TABLE after_broken (v INTEGER);");
  Database db(options());
  const MigrationReport report = db.runMigrations("plugin", dir);
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.applied, std::vector<std::string>{"0001_ok.sql"});
  EXPECT_NE(report.error.find("migration 0002_broken.sql (scope plugin) failed"), std::string::npos)
      << report.error;
  EXPECT_TRUE(db.query(Intent::read, "SELECT * FROM kept").ok);
  EXPECT_EQ(count(db, "SELECT count(*) AS n FROM kept"), "0");  // the insert was rolled back
  EXPECT_FALSE(db.query(Intent::read, "SELECT * FROM half").ok);
  EXPECT_FALSE(db.query(Intent::read, "SELECT * FROM after_broken").ok);
  EXPECT_EQ(count(db, "SELECT count(*) AS n FROM warren_migrations"), "1");

  // Fixed: the run picks up where it stopped.
  writeFile(dir / "0002_broken.sql", "CREATE TABLE half (v INTEGER);");
  const MigrationReport fixed = db.runMigrations("plugin", dir);
  ASSERT_TRUE(fixed.ok) << fixed.error;
  EXPECT_EQ(fixed.applied, (std::vector<std::string>{"0002_broken.sql", "0003_after.sql"}));
}

TEST_P(MigrationsTest, AFileThatCommitsItselfIsRefused) {
  const auto dir = migrations("txn");
  writeFile(dir / "0001_commits.sql", "CREATE TABLE c (v INTEGER); COMMIT;");
  Database db(options());
  const MigrationReport report = db.runMigrations("plugin", dir);
  EXPECT_FALSE(report.ok);
  EXPECT_NE(report.error.find("0001_commits.sql"), std::string::npos) << report.error;
  EXPECT_NE(report.error.find("BEGIN/COMMIT"), std::string::npos) << report.error;
}

TEST_P(MigrationsTest, NodesStartingTogetherApplyEachFileOnce) {
  const auto dir = migrations("race");
  // Not idempotent on purpose: a second run of any file would fail or add a row.
  writeFile(dir / "0001_log.sql", "CREATE TABLE applied_log (file TEXT NOT NULL);");
  for (int i = 2; i <= 6; ++i) {
    const std::string sleep = GetParam() == Backend::postgresql ? "SELECT pg_sleep(0.05);\n" : "";
    writeFile(dir / ("000" + std::to_string(i) + "_step.sql"),
              sleep + "INSERT INTO applied_log VALUES ('" + std::to_string(i) + "');");
  }
  Database one(options());
  Database two(options());
  auto first = std::async(std::launch::async, [&] { return one.runMigrations("race", dir); });
  auto second = std::async(std::launch::async, [&] { return two.runMigrations("race", dir); });
  const MigrationReport a = first.get();
  const MigrationReport b = second.get();
  ASSERT_TRUE(a.ok) << a.error;
  ASSERT_TRUE(b.ok) << b.error;
  EXPECT_EQ(a.applied.size() + b.applied.size(), 6u);
  EXPECT_EQ(count(one, "SELECT count(*) AS n FROM applied_log"), "5");
  EXPECT_EQ(count(one, "SELECT count(DISTINCT file) AS n FROM applied_log"), "5");
  EXPECT_EQ(count(one, "SELECT count(*) AS n FROM warren_migrations"), "6");
}

TEST_P(MigrationsTest, HostMigrationsCreateTheNodesTable) {
  Database db(options());
  const MigrationReport report = db.runHostMigrations();
  ASSERT_TRUE(report.ok) << report.error;
  EXPECT_EQ(report.applied, std::vector<std::string>{"0001_warren_nodes.sql"});
  EXPECT_TRUE(db.query(Intent::write,
                       "INSERT INTO warren_nodes (node_id, started_ms, last_seen_ms) "
                       "VALUES ($1, $2, $3)",
                       R"(["node-1", 1, 2])")
                  .ok);
  EXPECT_TRUE(db.runHostMigrations().applied.empty());
  EXPECT_EQ(firstValue(db.query(Intent::read,
                                "SELECT scope AS n FROM warren_migrations WHERE version = 1"),
                       "n"),
            "host");
}

TEST_P(MigrationsTest, MissingDirectoryIsAnError) {
  Database db(options());
  const MigrationReport report = db.runMigrations("plugin", migrations("absent"));
  EXPECT_FALSE(report.ok);
  EXPECT_NE(report.error.find("does not exist"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Backends, MigrationsTest,
                         ::testing::Values(Backend::postgresql, Backend::sqlite),
                         [](const ::testing::TestParamInfo<Backend>& param) {
                           return param.param == Backend::postgresql ? "PostgreSQL" : "SQLite";
                         });

}  // namespace
}  // namespace warren::db
