// The SQLite default: no DATABASE_URL -> <dataDir>/warren.db, WAL, same statements as PostgreSQL.
#include <gtest/gtest.h>

#include <future>

#include "Helpers.h"
#include "TempDir.h"

namespace warren::db {
namespace {

using test::fastOptions;
using test::firstValue;
using test::rows;

class SqliteTest : public ::testing::Test {
 protected:
  Options options() {
    Options o = fastOptions("");
    o.dataDir = (dir_ / "data").string();  // created on demand
    return o;
  }
  warren::test::TempDir dir_{"warren-sqlite"};
};

TEST_F(SqliteTest, NoUrlMeansAWalFileInTheDataDirectory) {
  Database db(options());
  EXPECT_EQ(db.backend(), Backend::sqlite);
  EXPECT_FALSE(db.hasReplica());
  EXPECT_EQ(db.describe(), (dir_ / "data" / "warren.db").string());
  EXPECT_TRUE(std::filesystem::exists(dir_ / "data" / "warren.db"));
  EXPECT_EQ(firstValue(db.query(Intent::read, "PRAGMA journal_mode"), "journal_mode"), "wal");
  EXPECT_EQ(firstValue(db.query(Intent::read, "PRAGMA foreign_keys"), "foreign_keys"), "1");
  EXPECT_TRUE(db.ping().ok);
}

TEST_F(SqliteTest, ParameterTypesRoundTrip) {
  Database db(options());
  ASSERT_TRUE(db.query(Intent::write,
                       "CREATE TABLE types_rt (i INTEGER, f REAL, b BOOLEAN, t TEXT, z TEXT, "
                       "raw BLOB, j TEXT)")
                  .ok);
  const DbResult insert =
      db.query(Intent::write, "INSERT INTO types_rt VALUES ($1, $2, $3, $4, $5, X'0001FF', $6)",
               R"([9007199254740993, 0.1, true, "h\u00e9llo \"q\" \\ \n", null, {"k":[1,2]}])");
  ASSERT_TRUE(insert.ok) << insert.error;
  EXPECT_EQ(insert.affected, 1);

  const DbResult select = db.query(Intent::read, "SELECT *, count(*) OVER () AS c FROM types_rt");
  const auto row = rows(select)->getObject(0);
  EXPECT_EQ(row->get("i").extract<Poco::Int64>(), 9007199254740993);
  EXPECT_EQ(row->get("f").extract<double>(), 0.1);
  EXPECT_TRUE(row->get("b").extract<bool>());  // BOOLEAN column: a JSON boolean
  EXPECT_EQ(row->get("t").extract<std::string>(), "h\xC3\xA9llo \"q\" \\ \n");
  EXPECT_TRUE(row->get("z").isEmpty());
  EXPECT_EQ(row->get("raw").extract<std::string>(), "AAH/");  // blob as base64
  EXPECT_EQ(row->get("j").extract<std::string>(), R"({"k":[1,2]})");
  EXPECT_EQ(row->get("c").convert<Poco::Int64>(), 1);  // computed columns keep their type

  const DbResult scalars =
      db.query(Intent::read, "SELECT $2 AS second, $1 AS first, '$1' AS lit, 2.5 AS r, 7 AS n",
               R"(["a", "b"])");
  const auto s = rows(scalars)->getObject(0);
  EXPECT_EQ(s->get("second").extract<std::string>(), "b");
  EXPECT_EQ(s->get("first").extract<std::string>(), "a");
  EXPECT_EQ(s->get("lit").extract<std::string>(), "$1");
  EXPECT_EQ(s->get("r").extract<double>(), 2.5);
  EXPECT_EQ(s->get("n").convert<Poco::Int64>(), 7);
}

TEST_F(SqliteTest, AffectedRowsAndErrors) {
  Database db(options());
  ASSERT_TRUE(db.query(Intent::write, "CREATE TABLE a (v INTEGER UNIQUE)").ok);
  EXPECT_EQ(db.query(Intent::write, "INSERT INTO a VALUES ($1), ($2), ($3)", "[1,2,3]").affected,
            3);
  EXPECT_EQ(db.query(Intent::write, "UPDATE a SET v = v * 10 WHERE v > $1", "[1]").affected, 2);
  EXPECT_EQ(db.query(Intent::write, "CREATE TABLE b (x INTEGER)").affected, 0);
  EXPECT_EQ(db.query(Intent::read, "SELECT * FROM a").affected, 3);

  const DbResult unique = db.query(Intent::write, "INSERT INTO a VALUES ($1)", "[1]");
  EXPECT_FALSE(unique.ok);
  EXPECT_EQ(unique.kind, ErrorKind::sql);
  EXPECT_NE(unique.error.find("UNIQUE constraint failed"), std::string::npos) << unique.error;
  EXPECT_EQ(db.query(Intent::write, "SELEC 1").kind, ErrorKind::sql);
  const DbResult count = db.query(Intent::read, "SELECT $1, $2", "[1]");
  EXPECT_EQ(count.kind, ErrorKind::invalid);
  EXPECT_EQ(count.error, "the statement takes 2 parameters but 1 were given");
  EXPECT_EQ(db.query(Intent::write, "SELECT 1; SELECT 2").kind, ErrorKind::invalid);
  EXPECT_TRUE(db.query(Intent::write, "SELECT 1; -- trailing comment").ok);
  EXPECT_EQ(db.query(Intent::write, "").kind, ErrorKind::invalid);
}

TEST_F(SqliteTest, PoolExhaustionAndConcurrentWriters) {
  Options o = options();
  o.poolSize = 1;
  o.acquireTimeout = std::chrono::milliseconds(200);
  {
    Database db(o);
    Lease held = db.lease();
    EXPECT_EQ(db.query(Intent::read, "SELECT 1").error,
              "database pool exhausted: all 1 connections busy for 200 ms");
  }
  o.poolSize = 4;
  o.acquireTimeout = std::chrono::milliseconds(5000);
  Database db(o);
  ASSERT_TRUE(db.query(Intent::write, "CREATE TABLE w (v INTEGER)").ok);
  std::vector<std::future<bool>> writers;
  for (int t = 0; t < 4; ++t)
    writers.push_back(std::async(std::launch::async, [&, t] {
      bool ok = true;
      for (int i = 0; i < 25; ++i)
        ok = ok && db.query(Intent::write, "INSERT INTO w VALUES ($1)",
                            "[" + std::to_string(t * 100 + i) + "]")
                       .ok;
      return ok;
    }));
  for (auto& writer : writers) EXPECT_TRUE(writer.get());
  EXPECT_EQ(firstValue(db.query(Intent::read, "SELECT count(*) AS n FROM w"), "n"), "100");
}

TEST_F(SqliteTest, ExplicitFileUrl) {
  Options o = fastOptions("sqlite://" + (dir_ / "custom.db").string());
  Database db(o);
  EXPECT_TRUE(db.query(Intent::write, "CREATE TABLE x (v INTEGER)").ok);
  EXPECT_TRUE(std::filesystem::exists(dir_ / "custom.db"));
}

TEST_F(SqliteTest, AReadReplicaNeedsPostgresOnBothSides) {
  Options o = options();
  o.replicaUrl = "postgres://reader@127.0.0.1:1/app";  // refused before any connection
  try {
    Database db(o);
    FAIL() << "accepted a replica for SQLite";
  } catch (const DbError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::invalid);
    EXPECT_NE(std::string(e.what()).find("needs PostgreSQL"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace warren::db
