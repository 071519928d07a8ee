// analytics:collect: metrics of published posts from each platform's fake, batched as far as
// the platform allows, stored in post_metrics, returned; the age-banded cadence; deleted posts
// marked and never asked again.
#include "Fixture.h"

namespace warren::test {
namespace {

class Analytics : public PublishTest {
 protected:
  JobRun collect(const Json& data, const std::string& id = "collect-1") {
    return host_->run("analytics:collect", data, id, "analytics-collect");
  }
  std::string published(const std::string& platform, const std::string& account,
                        const std::string& text) {
    const JobRun run = publish(post(platform, account, text), "pub-" + text);
    EXPECT_TRUE(run.completed()) << run.describe();
    return run.result()["publicationId"];
  }
  void setMetrics(const std::string& platform, const std::string& id, const Json& metrics) {
    fakes_->admin("POST", "/posts", {{"platform", platform}, {"id", id}, {"metrics", metrics}});
  }
};

TEST_F(Analytics, SnapshotsOfMastodonAndBlueskyPosts) {
  const std::string mastodon = mastodonAccount();
  const std::string bluesky = blueskyAccount();
  const std::string m = published("mastodon", mastodon, "m1");
  const std::string b = published("bluesky", bluesky, "b1");
  setMetrics("mastodon", fakes_->posts("mastodon")[0]["id"],
             {{"likes", 5}, {"reposts", 2}, {"replies", 1}});
  setMetrics("bluesky", fakes_->posts("bluesky")[0]["id"],
             {{"likes", 9}, {"quotes", 3}, {"bookmarks", 4}});
  const JobRun run = collect({{"postIds", {m, b}}});
  ASSERT_TRUE(run.completed()) << run.describe();
  const Json result = run.result();
  EXPECT_EQ(result["collected"], 2);
  EXPECT_EQ(result["failed"], Json::array());
  std::map<std::string, Json> byId;
  for (const Json& snapshot : result["snapshots"]) byId[snapshot["publicationId"]] = snapshot;
  EXPECT_EQ(byId[m]["metrics"],
            Json({{"likes", 5}, {"reposts", 2}, {"replies", 1}, {"quotes", 0}}));
  EXPECT_EQ(byId[b]["metrics"],
            Json({{"likes", 9}, {"reposts", 0}, {"replies", 0}, {"quotes", 3}, {"bookmarks", 4}}));
  const Json rows = host_->sql(
      "SELECT publication_id, likes, quotes, impressions FROM post_metrics ORDER BY likes");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[1]["likes"], 9);
  EXPECT_TRUE(rows[1]["impressions"].is_null());
}

TEST_F(Analytics, LinkedInReactionsAndCommentsFromSocialMetadata) {
  const Json issued = fakes_->account({{"platform", "linkedin"},
                                       {"userId", "urn:li:person:ann"},
                                       {"handle", "Ann"},
                                       {"scopes", "w_member_social r_member_social"}});
  const std::string account = host_->addAccount({{"platform", "linkedin"},
                                                 {"handle", "Ann"},
                                                 {"baseUrl", fakes_->base("linkedin")},
                                                 {"platformUserId", "urn:li:person:ann"},
                                                 {"scopes", "w_member_social r_member_social"},
                                                 {"accessToken", issued["accessToken"]}});
  const std::string id = published("linkedin", account, "li1");
  setMetrics("linkedin", fakes_->posts("linkedin")[0]["id"],
             {{"likes", 7}, {"praise", 2}, {"replies", 3}});
  const JobRun run = collect({{"postIds", {id}}});
  ASSERT_TRUE(run.completed()) << run.describe();
  const Json result = run.result();
  EXPECT_EQ(result["failed"], Json::array()) << result.dump();
  ASSERT_EQ(result["collected"], 1) << result.dump();
  EXPECT_EQ(result["snapshots"][0]["metrics"], Json({{"likes", 9}, {"replies", 3}}));
}

TEST_F(Analytics, BlueskyIsAskedTwentyFivePostsAtATime) {
  const std::string account = blueskyAccount();
  Json ids = Json::array();
  for (int i = 0; i < 30; ++i)
    ids.push_back(published("bluesky", account, "post " + std::to_string(i)));
  const std::int64_t before = fakes_->counter("bluesky.getPosts");
  const JobRun run = collect({{"postIds", ids}});
  ASSERT_TRUE(run.completed()) << run.describe();
  EXPECT_EQ(run.result()["collected"], 30);
  EXPECT_EQ(fakes_->counter("bluesky.getPosts") - before, 2);
}

TEST_F(Analytics, DeletedPostsAreMarkedAndNotAskedAgain) {
  const std::string account = mastodonAccount();
  const std::string gone = published("mastodon", account, "soon gone");
  const std::string kept = published("mastodon", account, "kept");
  fakes_->admin(
      "POST", "/posts",
      {{"platform", "mastodon"}, {"id", fakes_->posts("mastodon")[0]["id"]}, {"deleted", true}});
  host_->sql("UPDATE publications SET metrics_next_at = 1");  // both due now
  const JobRun run = collect(Json::object());
  ASSERT_TRUE(run.completed()) << run.describe();
  EXPECT_EQ(run.result()["deleted"], 1);
  EXPECT_EQ(run.result()["collected"], 1);
  EXPECT_EQ(host_->sql("SELECT metrics_state FROM publications WHERE id = $1",
                       Json::array({gone}))[0]["metrics_state"],
            "deleted");
  host_->sql("UPDATE publications SET metrics_next_at = 1 WHERE id = $1", Json::array({kept}));
  const JobRun next = collect(Json::object(), "collect-2");
  EXPECT_EQ(next.result()["collected"], 1);
  EXPECT_EQ(next.result()["deleted"], 0);
  EXPECT_EQ(next.result()["snapshots"][0]["publicationId"], kept);
}

TEST_F(Analytics, TheCadenceFollowsThePostsAgeAndStopsAfterTheLastBand) {
  const std::string account = mastodonAccount();
  const std::string young = published("mastodon", account, "young");
  const std::string old = published("mastodon", account, "old");
  const Json young0 =
      host_->sql("SELECT published_at, metrics_next_at FROM publications WHERE id = $1",
                 Json::array({young}))[0];
  // First collection: an hour after publishing (the first band's interval).
  EXPECT_EQ(
      young0["metrics_next_at"].get<std::int64_t>() - young0["published_at"].get<std::int64_t>(),
      3600000);
  // Nothing is due yet: a sweep collects nothing.
  EXPECT_EQ(collect(Json::object()).result()["collected"], 0);
  // "old" was published eight days ago: collected once more, then done.
  const std::int64_t eightDays = 8ll * 24 * 3600 * 1000;
  host_->sql(
      "UPDATE publications SET published_at = published_at - $2, metrics_next_at = 1 WHERE id = $1",
      Json::array({old, eightDays}));
  host_->sql("UPDATE publications SET metrics_next_at = 1 WHERE id = $1", Json::array({young}));
  const JobRun run = collect(Json::object(), "collect-2");
  EXPECT_EQ(run.result()["collected"], 2);
  const Json rows = host_->sql(
      "SELECT id, metrics_state, metrics_next_at, metrics_interval_ms FROM publications ORDER BY "
      "id");
  for (const Json& row : rows) {
    if (row["id"] == old) {
      EXPECT_EQ(row["metrics_state"], "done");
      EXPECT_TRUE(row["metrics_next_at"].is_null());
    } else {
      EXPECT_EQ(row["metrics_state"], "pending");
      EXPECT_EQ(row["metrics_interval_ms"], 3600000);
    }
  }
}

TEST_F(Analytics, XIsAskedAHundredIdsAtATimeAndAPlatformWithoutMetricsIsSkipped) {
  const Json issued = fakes_->account({{"platform", "x"}, {"userId", "9"}, {"handle", "ann"}});
  const std::string x = host_->addAccount({{"platform", "x"},
                                           {"handle", "@ann"},
                                           {"baseUrl", fakes_->base("x")},
                                           {"accessToken", issued["accessToken"]}});
  const std::string hook = webhookAccount();
  const std::string a = published("x", x, "x one");
  const std::string b = published("x", x, "x two");
  const std::string w = published("webhook", hook, "hooked");
  setMetrics("x", fakes_->posts("x")[1]["id"], {{"likes", 3}, {"impressions", 120}});
  const std::int64_t before = fakes_->counter("x.lookup");
  const JobRun run = collect({{"postIds", {a, b, w}}});
  ASSERT_TRUE(run.completed()) << run.describe();
  EXPECT_EQ(run.result()["collected"], 2);
  EXPECT_EQ(fakes_->counter("x.lookup") - before, 1);
  EXPECT_EQ(host_->sql("SELECT metrics_state FROM publications WHERE id = $1",
                       Json::array({w}))[0]["metrics_state"],
            "unsupported");
  for (const Json& s : run.result()["snapshots"]) {
    if (s["publicationId"] == b) {
      EXPECT_EQ(s["metrics"]["impressions"], 120);
    }
  }
}

TEST_F(Analytics, ARateLimitedAccountIsReportedAndTriedAgainLater) {
  const std::string account = mastodonAccount();
  const std::string id = published("mastodon", account, "popular");
  // More 429s in a row than the host's HTTP client retries a GET.
  fakes_->scenario("mastodon", {{"rateLimitNext", 5}, {"rateLimitResetS", 1}});
  const JobRun run = collect({{"postIds", {id}}});
  ASSERT_TRUE(run.completed()) << run.describe();
  EXPECT_EQ(run.result()["collected"], 0);
  ASSERT_EQ(run.result()["failed"].size(), 1u);
  EXPECT_NE(run.result()["failed"][0]["error"].get<std::string>().find("rate limit"),
            std::string::npos);
}

}  // namespace
}  // namespace warren::test
