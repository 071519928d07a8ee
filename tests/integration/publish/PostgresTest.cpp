// The same ledger, accounts and metrics on PostgreSQL: the plugin's migrations and statements
// are portable, compare-and-set refreshes and leases hold there too.
#include "Fixture.h"
#include "PostgresServer.h"

#include <thread>

namespace warren::test {
namespace {

class OnPostgres : public PublishTest {
 protected:
  static void SetUpTestSuite() {
    PublishTest::SetUpTestSuite();
    postgres_ = new PostgresServer();
  }
  static void TearDownTestSuite() {
    delete postgres_;
    postgres_ = nullptr;
    PublishTest::TearDownTestSuite();
  }
  void SetUp() override {
    watchSecrets();
    fakes_->reset();
    const std::string name = "publish_" + std::to_string(++databases_);
    postgres_->sql("CREATE DATABASE " + name);
    host_ = std::make_unique<PublishHost>(plugins::ConfigValues{}, postgres_->url(name));
  }

  static PostgresServer* postgres_;
  static int databases_;
};

PostgresServer* OnPostgres::postgres_ = nullptr;
int OnPostgres::databases_ = 0;

TEST_F(OnPostgres, AThreadIsPublishedOnceAndAServerErrorReconciled) {
  const std::string account = mastodonAccount();
  fakes_->scenario("mastodon", {{"failAfterCreate", 1}});
  Json data = post("mastodon", account, "pg 1");
  data["post"]["thread"] = {"pg 2"};
  const JobRun run = publish(data);
  ASSERT_TRUE(run.completed()) << run.describe();
  EXPECT_EQ(fakes_->posts("mastodon").size(), 2u);
  const JobRun again = publish(data);
  ASSERT_TRUE(again.completed()) << again.describe();
  EXPECT_EQ(again.result(), run.result());
  EXPECT_EQ(fakes_->posts("mastodon").size(), 2u);
}

TEST_F(OnPostgres, TwoWorkersRefreshOneTokenOnce) {
  const Json issued = fakes_->account({{"platform", "x"},
                                       {"userId", "5"},
                                       {"handle", "pg"},
                                       {"issueRefresh", true},
                                       {"accessExpiresInS", -10}});
  const std::string account = host_->addAccount({{"platform", "x"},
                                                 {"handle", "@pg"},
                                                 {"baseUrl", fakes_->base("x")},
                                                 {"clientId", "c"},
                                                 {"accessToken", issued["accessToken"]},
                                                 {"refreshToken", issued["refreshToken"]}});
  auto second = host_->newInstance();
  JobRun b;
  std::thread other([&] { b = runOn(*second, "post:publish", post("x", account, "from B"), "b"); });
  const JobRun a = publish(post("x", account, "from A"), "a");
  other.join();
  ASSERT_TRUE(a.completed()) << a.describe();
  ASSERT_TRUE(b.completed()) << b.describe();
  EXPECT_EQ(fakes_->counter("x.refresh"), 1);
}

TEST_F(OnPostgres, AnotherJobForTheSamePostWaitsForTheLease) {
  const std::string account = mastodonAccount();
  host_->sql(
      "INSERT INTO posts (id, platform, account_id, text, created_at, updated_at) VALUES ('p1', "
      "'mastodon', "
      "$1, 'leased', 1, 1)",
      Json::array({account}));
  fakes_->scenario("mastodon", {{"hangAfterCreateMs", 800}});
  JobRun first;
  std::thread running([&] { first = publish({{"postId", "p1"}}, "job-1"); });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  auto second = host_->newInstance();
  const JobRun duplicate = runOn(*second, "post:publish", {{"postId", "p1"}}, "job-2");
  running.join();
  ASSERT_TRUE(first.completed()) << first.describe();
  EXPECT_NE(duplicate.outcome.outcome, WARREN_JOB_COMPLETED);
  EXPECT_NE(duplicate.outcome.error.find("is being published by post-publish/job-1"),
            std::string::npos)
      << duplicate.describe();
  EXPECT_EQ(fakes_->posts("mastodon").size(), 1u);
  // Once the first job is done, the second returns its result without posting.
  const JobRun later = runOn(*second, "post:publish", {{"postId", "p1"}}, "job-2");
  ASSERT_TRUE(later.completed()) << later.describe();
  EXPECT_EQ(later.result()["platformPostId"], first.result()["platformPostId"]);
  EXPECT_EQ(fakes_->posts("mastodon").size(), 1u);
}

TEST_F(OnPostgres, MetricsSnapshotsAndTheCadence) {
  const std::string account = blueskyAccount();
  const JobRun run = publish(post("bluesky", account, "measured"));
  ASSERT_TRUE(run.completed()) << run.describe();
  host_->sql("UPDATE publications SET metrics_next_at = 1");
  const JobRun collected =
      host_->run("analytics:collect", Json::object(), "c1", "analytics-collect");
  ASSERT_TRUE(collected.completed()) << collected.describe();
  EXPECT_EQ(collected.result()["collected"], 1);
  EXPECT_EQ(host_->sql("SELECT count(*) AS n FROM post_metrics")[0]["n"], 1);
}

TEST_F(OnPostgres, ReencryptMovesRowsToTheCurrentKey) {
  const std::string account = mastodonAccount();
  auto rotated = host_->newInstance({{"security.encryption_key", std::string(64, 'a')},
                                     {"security.encryption_key_previous", PublishHost::kKey}});
  const JobRun reencrypt = runOn(*rotated, "accounts:reencrypt", Json::object(), "re", "");
  ASSERT_TRUE(reencrypt.completed()) << reencrypt.describe();
  EXPECT_EQ(reencrypt.result()["rewritten"], 1);
  ASSERT_TRUE(
      runOn(*rotated, "post:publish", post("mastodon", account, "rotated"), "j").completed());
}

}  // namespace
}  // namespace warren::test
