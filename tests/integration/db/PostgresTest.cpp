// The database layer against a real PostgreSQL 15 (password authentication over TCP).
#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <future>
#include <thread>

#include "Helpers.h"
#include "PostgresServer.h"
#include "StderrCapture.h"
#include "TempDir.h"
#include "metrics/ProcessMetrics.h"
#include "metrics/Registry.h"

namespace warren::db {
namespace {

using Clock = std::chrono::steady_clock;
using test::fastOptions;
using test::firstValue;
using test::rows;

constexpr const char* kPassword = "Pg-s3cret-Pw9";

class PostgresTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    warren::test::PostgresServerOptions options;
    options.password = kPassword;
    server_ = std::make_unique<warren::test::PostgresServer>(options);
  }
  static void TearDownTestSuite() { server_.reset(); }
  void SetUp() override {
    if (!server_->running()) server_->start();
  }

  static std::unique_ptr<warren::test::PostgresServer> server_;
};
std::unique_ptr<warren::test::PostgresServer> PostgresTest::server_;

TEST_F(PostgresTest, ParameterTypesRoundTrip) {
  Database db(fastOptions(server_->url()));
  ASSERT_EQ(db.backend(), Backend::postgresql);
  ASSERT_TRUE(db.query(Intent::write,
                       "CREATE TABLE types_rt (i BIGINT, n INT, f DOUBLE PRECISION, b BOOLEAN, "
                       "t TEXT, z TEXT, j JSONB, raw BYTEA, num NUMERIC)")
                  .ok);
  const DbResult insert =
      db.query(Intent::write,
               "INSERT INTO types_rt VALUES ($1, $2, $3, $4, $5, $6, $7, decode($8, 'base64'), $9)",
               R"([9007199254740993, -7, 0.1, true, "h\u00e9llo \"q\" \\ \n", null, {"k":[1,2]},
          "AAH/", "12345678901234567890.5"])");
  ASSERT_TRUE(insert.ok) << insert.error;
  EXPECT_EQ(insert.affected, 1);
  EXPECT_EQ(insert.rowsJson, "[]");

  const DbResult select = db.query(Intent::read, "SELECT * FROM types_rt");
  const auto row = rows(select)->getObject(0);
  EXPECT_EQ(select.affected, 1);
  EXPECT_EQ(row->get("i").extract<Poco::Int64>(), 9007199254740993);
  EXPECT_EQ(row->get("n").convert<Poco::Int64>(), -7);
  EXPECT_EQ(row->get("f").extract<double>(), 0.1);
  EXPECT_TRUE(row->get("b").extract<bool>());
  EXPECT_EQ(row->get("t").extract<std::string>(), "h\xC3\xA9llo \"q\" \\ \n");
  EXPECT_TRUE(row->get("z").isEmpty());
  EXPECT_EQ(row->get("j").extract<std::string>(), R"({"k": [1, 2]})");  // json as text
  EXPECT_EQ(row->get("raw").extract<std::string>(), "AAH/");            // bytea as base64
  // numeric keeps every digit in the JSON text (bound from a string: a JSON number is a double)
  EXPECT_NE(select.rowsJson.find("\"num\":12345678901234567890.5"), std::string::npos)
      << select.rowsJson;

  const DbResult scalars = db.query(
      Intent::read,
      "SELECT count(*) AS c, 'NaN'::float8 AS nan, $1::text AS placeholder_in_text, '$1' AS lit",
      R"(["x"])");
  const auto s = rows(scalars)->getObject(0);
  EXPECT_EQ(s->get("c").convert<Poco::Int64>(), 1);
  EXPECT_EQ(s->get("nan").extract<std::string>(), "NaN");
  EXPECT_EQ(s->get("placeholder_in_text").extract<std::string>(), "x");
  EXPECT_EQ(s->get("lit").extract<std::string>(), "$1");
}

// Without its module a PostgreSQL URL fails at once, naming the file and the loader's reason;
// nothing else needs it (no server is contacted here).
TEST(PostgresModule, AMissingModuleIsAClearError) {
  const warren::test::TempDir empty("warren-no-module");
  ASSERT_EQ(::setenv("WARREN_MODULE_DIR", empty.path().c_str(), 1), 0);
  const std::string path = (empty.path() / "warren_postgres.so").string();
  try {
    Database db(fastOptions("postgresql://user:pw@127.0.0.1:1/db"));
    FAIL() << "opened a PostgreSQL database without the module";
  } catch (const DbError& e) {
    EXPECT_EQ(std::string(e.what()), "cannot load the PostgreSQL module " + path + ": " + path +
                                         ": cannot open shared object file: No such file or "
                                         "directory");
  }
}

TEST_F(PostgresTest, AffectedRowsAndReturning) {
  Database db(fastOptions(server_->url()));
  ASSERT_TRUE(db.query(Intent::write, "CREATE TABLE affected (id SERIAL PRIMARY KEY, v INT)").ok);
  const DbResult inserted = db.query(
      Intent::write, "INSERT INTO affected (v) VALUES ($1), ($2), ($3) RETURNING id", "[1,2,3]");
  EXPECT_EQ(inserted.affected, 3);
  EXPECT_EQ(rows(inserted)->size(), 3u);
  EXPECT_EQ(db.query(Intent::write, "UPDATE affected SET v = v + 1 WHERE v >= $1", "[2]").affected,
            2);
  EXPECT_EQ(db.query(Intent::write, "DELETE FROM affected WHERE v = 100").affected, 0);
}

TEST_F(PostgresTest, ErrorsAreValues) {
  Database db(fastOptions(server_->url()));
  const DbResult syntax = db.query(Intent::write, "SELEC 1");
  EXPECT_FALSE(syntax.ok);
  EXPECT_EQ(syntax.kind, ErrorKind::sql);
  EXPECT_NE(syntax.error.find("SQLSTATE 42601"), std::string::npos) << syntax.error;

  const DbResult missing = db.query(Intent::read, "SELECT * FROM no_such_table");
  EXPECT_EQ(missing.kind, ErrorKind::sql);
  EXPECT_NE(missing.error.find("no_such_table"), std::string::npos);

  const DbResult badParams = db.query(Intent::read, "SELECT $1::int", "{not json");
  EXPECT_EQ(badParams.kind, ErrorKind::invalid);
  EXPECT_NE(badParams.error.find("params_json"), std::string::npos);

  const DbResult count = db.query(Intent::read, "SELECT $1::int + $2::int", "[1]");
  EXPECT_FALSE(count.ok);
  EXPECT_EQ(count.kind, ErrorKind::invalid);
  EXPECT_NE(count.error.find("requires 2"), std::string::npos) << count.error;

  const DbResult two = db.query(Intent::write, "SELECT 1; SELECT 2");
  EXPECT_FALSE(two.ok);
  EXPECT_EQ(db.query(Intent::write, "  ").kind, ErrorKind::invalid);

  // The session that saw the errors is still good.
  EXPECT_EQ(firstValue(db.query(Intent::read, "SELECT 41 + 1 AS x"), "x"), "42");
}

TEST_F(PostgresTest, PoolExhaustionGivesAClearErrorWithinTheTimeout) {
  Options options = fastOptions(server_->url());
  options.poolSize = 1;
  options.acquireTimeout = std::chrono::milliseconds(300);
  Database db(options);
  const metrics::Labels pool = {{"pool", "primary"}};
  const double timeoutsBefore = metrics::registry().value(metrics::names::dbPoolWaitTimeouts, pool);
  EXPECT_EQ(metrics::registry().value(metrics::names::dbPoolMax, pool), 1);
  {
    Lease held = db.lease(Intent::write);
    ASSERT_TRUE(held.query("SELECT 1").ok);
    EXPECT_EQ(metrics::registry().value(metrics::names::dbPoolConnections,
                                        {{"pool", "primary"}, {"state", "busy"}}),
              1);
    const auto start = Clock::now();
    const DbResult result = db.query(Intent::write, "SELECT 1");
    const auto waited = Clock::now() - start;
    EXPECT_FALSE(result.ok);
    EXPECT_EQ(result.kind, ErrorKind::timeout);
    EXPECT_EQ(result.error, "database pool exhausted: all 1 connections busy for 300 ms");
    EXPECT_GE(waited, std::chrono::milliseconds(290));
    EXPECT_LT(waited, std::chrono::milliseconds(2000));
    // A read (no replica) waits for the same pool.
    EXPECT_EQ(db.query(Intent::read, "SELECT 1").kind, ErrorKind::timeout);
  }
  EXPECT_EQ(metrics::registry().value(metrics::names::dbPoolWaitTimeouts, pool),
            timeoutsBefore + 2);
  // Released: the next statement gets the session.
  EXPECT_TRUE(db.query(Intent::write, "SELECT 1").ok);
}

TEST_F(PostgresTest, SessionsAreReused) {
  Options options = fastOptions(server_->url());
  options.poolSize = 1;
  Database db(options);
  const std::string pid = firstValue(db.query(Intent::write, "SELECT pg_backend_pid() AS p"), "p");
  ASSERT_FALSE(pid.empty());
  for (int i = 0; i < 3; ++i)
    EXPECT_EQ(firstValue(db.query(Intent::read, "SELECT pg_backend_pid() AS p"), "p"), pid);
  EXPECT_EQ(metrics::registry().value(metrics::names::dbPoolConnections,
                                      {{"pool", "primary"}, {"state", "idle"}}),
            1);
}

TEST_F(PostgresTest, WaitersGetASessionWhenOneIsReturned) {
  Options options = fastOptions(server_->url());
  options.poolSize = 2;
  options.acquireTimeout = std::chrono::milliseconds(5000);
  Database db(options);
  std::vector<std::future<bool>> runs;
  for (int i = 0; i < 6; ++i)
    runs.push_back(std::async(std::launch::async,
                              [&] { return db.query(Intent::write, "SELECT pg_sleep(0.1)").ok; }));
  for (auto& run : runs) EXPECT_TRUE(run.get());
}

TEST_F(PostgresTest, RestartedPrimaryIsTransparent) {
  Database db(fastOptions(server_->url()));
  ASSERT_TRUE(db.query(Intent::write, "SELECT 1").ok);  // a pooled session now
  server_->stop();
  server_->start();
  // The pooled connection was closed by the server: noticed before use and replaced.
  const DbResult read = db.query(Intent::read, "SELECT 1 AS one");
  EXPECT_TRUE(read.ok) << read.error;
  const DbResult write = db.query(Intent::write, "SELECT 2 AS two");
  EXPECT_TRUE(write.ok) << write.error;
}

TEST_F(PostgresTest, PrimaryDownFailsBoundedThenRecovers) {
  Options options = fastOptions(server_->url());
  Database db(options);
  ASSERT_TRUE(db.query(Intent::write, "SELECT 1").ok);
  warren::test::StderrCapture capture;
  server_->stop();
  const auto start = Clock::now();
  const DbResult down = db.query(Intent::write, "SELECT 1");
  EXPECT_LT(Clock::now() - start, std::chrono::seconds(5));
  EXPECT_FALSE(down.ok);
  EXPECT_EQ(down.kind, ErrorKind::unavailable);
  EXPECT_NE(down.error.find("gave up after 3 attempts"), std::string::npos) << down.error;
  EXPECT_FALSE(db.query(Intent::read, "SELECT 1").ok);
  server_->start();
  const DbResult back = db.query(Intent::write, "SELECT 1");
  EXPECT_TRUE(back.ok) << back.error;
  const std::string log = capture.finish();
  EXPECT_EQ(test::countLines(log, {"\"level\":\"warn\"", "database unreachable"}), 1) << log;
  EXPECT_EQ(test::countLines(log, {"database reachable again"}), 1) << log;
  EXPECT_EQ(log.find(kPassword), std::string::npos);
}

TEST_F(PostgresTest, StatementsRetryUntilThePrimaryComesBack) {
  Options options = fastOptions(server_->url());
  options.retryAttempts = 40;
  options.retryDelay = std::chrono::milliseconds(50);
  options.retryMaxDelay = std::chrono::milliseconds(100);
  Database db(options);
  ASSERT_TRUE(db.query(Intent::write, "CREATE TABLE retried (v INT)").ok);
  server_->stop();
  // Both intents: nothing reached the server while it was down, so a write is safe to retry.
  auto write = std::async(std::launch::async, [&] {
    return db.query(Intent::write, "INSERT INTO retried VALUES ($1)", "[7]");
  });
  auto read = std::async(std::launch::async, [&] {
    return db.query(Intent::read, "SELECT count(*) AS n FROM retried");
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  server_->start();  // from this thread: the server must not die with a helper thread
  const DbResult written = write.get();
  EXPECT_TRUE(written.ok) << written.error;
  EXPECT_EQ(written.affected, 1);
  EXPECT_TRUE(read.get().ok);
  EXPECT_EQ(firstValue(db.query(Intent::read, "SELECT count(*) AS n FROM retried"), "n"), "1");
}

TEST_F(PostgresTest, KilledServerDoesNotCrashTheHost) {
  Database db(fastOptions(server_->url()));
  ASSERT_TRUE(db.query(Intent::write, "SELECT 1").ok);
  Lease held = db.lease(Intent::write);
  server_->kill();
  const DbResult lost = held.query("SELECT 1");
  EXPECT_FALSE(lost.ok);
  EXPECT_EQ(lost.kind, ErrorKind::unavailable);
  EXPECT_FALSE(db.query(Intent::read, "SELECT 1").ok);
  server_->start();
  EXPECT_TRUE(db.query(Intent::read, "SELECT 1").ok);
}

TEST_F(PostgresTest, LeaseRunsATransactionAndRollsBackWhatIsLeftOpen) {
  Database db(fastOptions(server_->url()));
  ASSERT_TRUE(db.query(Intent::write, "CREATE TABLE tx (v INT)").ok);
  {
    Lease lease = db.lease(Intent::write);
    ASSERT_TRUE(lease.query("BEGIN").ok);
    ASSERT_TRUE(lease.query("INSERT INTO tx VALUES ($1)", "[1]").ok);
    ASSERT_TRUE(lease.query("COMMIT").ok);
    ASSERT_TRUE(lease.query("BEGIN").ok);
    ASSERT_TRUE(lease.query("INSERT INTO tx VALUES ($1)", "[2]").ok);
  }  // returned with the transaction open: rolled back
  EXPECT_EQ(firstValue(db.query(Intent::read, "SELECT count(*) AS n FROM tx"), "n"), "1");
  // Also through query(): a BEGIN left open by one statement does not leak into the next.
  ASSERT_TRUE(db.query(Intent::write, "BEGIN").ok);
  EXPECT_EQ(firstValue(db.query(Intent::read, "SELECT count(*) AS n FROM tx"), "n"), "1");
}

TEST_F(PostgresTest, PasswordNeverAppearsInErrorsOrLogs) {
  warren::test::StderrCapture capture;
  {
    Database db(fastOptions(server_->url("no_such_database")));
    EXPECT_NE(db.describe().find(":***@127.0.0.1"), std::string::npos) << db.describe();
    EXPECT_EQ(db.describe().find(kPassword), std::string::npos);
    const DbResult result = db.query(Intent::write, "SELECT 1");
    EXPECT_FALSE(result.ok);
    EXPECT_NE(result.error.find("no_such_database"), std::string::npos) << result.error;
    EXPECT_EQ(result.error.find(kPassword), std::string::npos) << result.error;
  }
  {
    Options options = fastOptions("postgres://postgres:wrong-Pass-77@127.0.0.1:" +
                                  std::to_string(server_->port()) + "/postgres");
    Database db(options);
    const DbResult result = db.query(Intent::write, "SELECT 1");
    EXPECT_FALSE(result.ok);
    EXPECT_NE(result.error.find("password authentication failed"), std::string::npos)
        << result.error;
    EXPECT_EQ(result.error.find("wrong-Pass-77"), std::string::npos) << result.error;
    EXPECT_EQ(result.error.find("gave up"), std::string::npos);  // refused: not retried
  }
  const std::string log = capture.finish();
  EXPECT_NE(log.find("database configured"), std::string::npos);
  EXPECT_EQ(log.find(kPassword), std::string::npos) << log;
  EXPECT_EQ(log.find("wrong-Pass-77"), std::string::npos) << log;
}

}  // namespace
}  // namespace warren::db
