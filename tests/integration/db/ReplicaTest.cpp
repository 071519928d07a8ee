// Read routing with two PostgreSQL clusters: a primary and an independent "replica". Each holds
// a marker row naming itself, so a read shows which server answered.
#include <gtest/gtest.h>

#include <thread>

#include "Helpers.h"
#include "PostgresServer.h"
#include "StderrCapture.h"
#include "db/Metrics.h"
#include "metrics/Registry.h"

namespace warren::db {
namespace {

using Clock = std::chrono::steady_clock;
using test::countLines;
using test::fastOptions;
using test::firstValue;

class ReplicaTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    primary_ = std::make_unique<warren::test::PostgresServer>();
    replica_ = std::make_unique<warren::test::PostgresServer>();
    for (auto* server : {primary_.get(), replica_.get()}) {
      const std::string name = server == primary_.get() ? "primary" : "replica";
      server->sql("CREATE TABLE marker (server TEXT); INSERT INTO marker VALUES ('" + name +
                  "'); CREATE TABLE written (v INT);");
    }
  }
  static void TearDownTestSuite() {
    primary_.reset();
    replica_.reset();
  }
  void SetUp() override {
    if (!primary_->running()) primary_->start();
    if (!replica_->running()) replica_->start();
  }

  static std::string whoAnswers(Database& db, Intent intent) {
    return firstValue(db.query(intent, "SELECT server FROM marker"), "server");
  }

  static std::unique_ptr<warren::test::PostgresServer> primary_;
  static std::unique_ptr<warren::test::PostgresServer> replica_;
};
std::unique_ptr<warren::test::PostgresServer> ReplicaTest::primary_;
std::unique_ptr<warren::test::PostgresServer> ReplicaTest::replica_;

TEST_F(ReplicaTest, ReadsGoToTheReplicaAndWritesToThePrimary) {
  Database db(fastOptions(primary_->url(), replica_->url()));
  EXPECT_TRUE(db.hasReplica());
  EXPECT_TRUE(db.replicaUp());
  EXPECT_NE(db.describe().find("read replica"), std::string::npos);
  EXPECT_EQ(whoAnswers(db, Intent::read), "replica");
  EXPECT_EQ(whoAnswers(db, Intent::write), "primary");
  ASSERT_TRUE(db.query(Intent::write, "INSERT INTO written VALUES ($1)", "[1]").ok);
  EXPECT_EQ(primary_->sql("SELECT count(*) FROM written"), "1\n");
  EXPECT_EQ(replica_->sql("SELECT count(*) FROM written"), "0\n");
  // A read lease is a replica session, a write lease a primary one.
  Lease read = db.lease(Intent::read);
  EXPECT_EQ(firstValue(read.query("SELECT server FROM marker"), "server"), "replica");
  Lease write = db.lease(Intent::write);
  EXPECT_EQ(firstValue(write.query("SELECT server FROM marker"), "server"), "primary");
}

TEST_F(ReplicaTest, ReadsFallBackWithOneWarnLineAndReturnWhenTheReplicaIsBack) {
  Database db(fastOptions(primary_->url(), replica_->url()));
  ASSERT_EQ(whoAnswers(db, Intent::read), "replica");  // a pooled replica session
  auto& registry = metrics::registry();
  const double fallbacksBefore = registry.value(names::replicaFallbackReads, {});

  warren::test::StderrCapture capture;
  replica_->stop();
  for (int i = 0; i < 5; ++i) EXPECT_EQ(whoAnswers(db, Intent::read), "primary");
  EXPECT_FALSE(db.replicaUp());
  EXPECT_EQ(registry.value(names::replicaUp, {}), 0);
  // Past the recheck period the replica is tried again (still down: no new line).
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  for (int i = 0; i < 3; ++i) EXPECT_EQ(whoAnswers(db, Intent::read), "primary");
  EXPECT_EQ(registry.value(names::replicaFallbackReads, {}), fallbacksBefore + 8);

  replica_->start();
  const auto deadline = Clock::now() + std::chrono::seconds(5);
  std::string answer;
  while (Clock::now() < deadline && (answer = whoAnswers(db, Intent::read)) != "replica")
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_EQ(answer, "replica");
  EXPECT_TRUE(db.replicaUp());
  EXPECT_EQ(registry.value(names::replicaUp, {}), 1);
  EXPECT_EQ(whoAnswers(db, Intent::write), "primary");  // writes never moved

  const std::string log = capture.finish();
  EXPECT_EQ(countLines(log, {"\"level\":\"warn\""}), 1) << log;
  EXPECT_EQ(countLines(log, {"\"level\":\"warn\"", "database replica unreachable"}), 1) << log;
  EXPECT_EQ(countLines(log, {"database replica answers again"}), 1) << log;
}

TEST_F(ReplicaTest, ASecondOutageLogsAgain) {
  Database db(fastOptions(primary_->url(), replica_->url()));
  ASSERT_EQ(whoAnswers(db, Intent::read), "replica");
  warren::test::StderrCapture capture;
  for (int outage = 0; outage < 2; ++outage) {
    replica_->kill();  // a crash this time
    EXPECT_EQ(whoAnswers(db, Intent::read), "primary");
    EXPECT_EQ(whoAnswers(db, Intent::read), "primary");
    replica_->start();
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
    EXPECT_EQ(whoAnswers(db, Intent::read), "replica");
  }
  const std::string log = capture.finish();
  EXPECT_EQ(countLines(log, {"\"level\":\"warn\"", "database replica unreachable"}), 2) << log;
}

}  // namespace
}  // namespace warren::db
