// post:publish to a fake X: text, threads, images (simple upload), a video in chunks with
// processing, rotating refresh tokens (two workers refreshing one account at once), a post
// sent without an answer found among the account's recent posts, duplicates and usage caps.
#include "Fixture.h"

#include <thread>

namespace warren::test {
namespace {

class X : public PublishTest {
 protected:
  // An account whose access token expires now: the first job refreshes it.
  std::string xAccount(bool expired = false) {
    Json fields = {
        {"platform", "x"}, {"userId", "44196397"}, {"handle", "ann"}, {"issueRefresh", true}};
    if (expired) fields["accessExpiresInS"] = -10;
    const Json issued = fakes_->account(fields);
    return host_->addAccount(
        {{"platform", "x"},
         {"handle", "@ann"},
         {"baseUrl", fakes_->base("x")},
         {"platformUserId", "44196397"},
         {"clientId", "client-1"},
         {"scopes", "tweet.read tweet.write users.read offline.access media.write"},
         {"accessToken", issued["accessToken"]},
         {"refreshToken", issued["refreshToken"]}});
  }
};

TEST_F(X, TextAndAThreadThroughReplies) {
  const std::string account = xAccount();
  Json data = post("x", account, "first https://example.com/launch");
  data["post"]["thread"] = {"second", "third"};
  const JobRun run = publish(data);
  ASSERT_TRUE(run.completed()) << run.describe();
  const Json posts = fakes_->posts("x");
  ASSERT_EQ(posts.size(), 3u);
  EXPECT_EQ(posts[0]["extra"]["original"], "first https://example.com/launch");
  EXPECT_EQ(posts[1]["replyTo"], posts[0]["id"]);
  EXPECT_EQ(posts[2]["replyTo"], posts[1]["id"]);
  EXPECT_EQ(run.result()["url"], "https://x.com/ann/status/" + posts[0]["id"].get<std::string>());
}

TEST_F(X, ImagesAndAChunkedVideo) {
  const std::string account = xAccount();
  fakes_->scenario("x", {{"mediaPolls", 2}});
  host_->putMedia(makeImage(host_->dir(), "a.png", 120, 80), "img/a.png", "image/png");
  host_->putMedia(makeVideo(host_->dir(), "v.mp4", 2, 640, 360), "vid/v.mp4", "video/mp4");
  Json images = post("x", account, "picture");
  images["post"]["mediaKeys"] = {"img/a.png"};
  const JobRun first = publish(images);
  ASSERT_TRUE(first.completed()) << first.describe();
  Json video = post("x", account, "clip");
  video["post"]["mediaKeys"] = {"vid/v.mp4"};
  const JobRun run = publish(video, "job-2");
  ASSERT_TRUE(run.completed()) << run.describe();
  const Json posts = fakes_->posts("x");
  ASSERT_EQ(posts.size(), 2u);
  EXPECT_EQ(posts[0]["media"][0]["contentType"], "image/png");
  EXPECT_EQ(posts[1]["media"][0]["contentType"], "video/mp4");
  EXPECT_EQ(posts[1]["media"][0]["size"], std::filesystem::file_size(host_->dir() / "v.mp4"));
}

TEST_F(X, AnExpiredTokenIsRefreshedAndTheRotatedRefreshTokenKept) {
  const std::string account = xAccount(true);
  const JobRun run = publish(post("x", account, "after a refresh"));
  ASSERT_TRUE(run.completed()) << run.describe();
  EXPECT_EQ(fakes_->counter("x.refresh"), 1);
  // The new refresh token was saved: the next expiry refreshes with it (the old one is spent).
  fakes_->admin("POST", "/tokens", {{"platform", "x"}, {"action", "expire"}, {"kind", "access"}});
  ASSERT_TRUE(publish(post("x", account, "after another"), "job-2").completed());
  EXPECT_EQ(fakes_->counter("x.refresh"), 2);
  EXPECT_EQ(accountStatus(account), "active");
}

TEST_F(X, TwoWorkersRefreshingOneAccountAtOnceRefreshOnce) {
  const std::string account = xAccount(true);
  auto second = host_->newInstance();
  JobRun a;
  JobRun b;
  std::mutex mutex;
  std::thread other([&] {
    plugins::JobContext context(
        jobInput("post:publish", post("x", account, "from worker B"), "job-b", "post-publish"),
        recordingSinks(b, mutex));
    b.outcome = second->handle(context);
  });
  a = publish(post("x", account, "from worker A"), "job-a");
  other.join();
  ASSERT_TRUE(a.completed()) << a.describe();
  ASSERT_TRUE(b.completed()) << b.describe();
  EXPECT_EQ(fakes_->counter("x.refresh"), 1);  // the loser used the winner's token
  EXPECT_EQ(fakes_->posts("x").size(), 2u);
  EXPECT_EQ(host_->sql("SELECT token_version FROM platform_accounts")[0]["token_version"], 1);
}

TEST_F(X, ARevokedRefreshTokenMarksTheAccount) {
  const std::string account = xAccount(true);
  fakes_->admin("POST", "/tokens", {{"platform", "x"}, {"action", "revoke"}, {"kind", "refresh"}});
  const JobRun run = publish(post("x", account, "no"));
  EXPECT_EQ(run.outcome.outcome, WARREN_JOB_FAILED_UNRECOVERABLE);
  EXPECT_EQ(run.outcome.error,
            "x account " + account +
                " (@ann) needs re-authorisation (marked needs_reauth): token refresh refused: x: "
                "Value passed for the token was invalid.");
  EXPECT_EQ(accountStatus(account), "needs_reauth");
}

TEST_F(X, APostSentWithoutAnAnswerIsFoundAmongRecentPosts) {
  const std::string account = xAccount();
  fakes_->scenario("x", {{"failAfterCreate", 1}});
  const JobRun run = publish(post("x", account, "see https://example.com/x and more"));
  ASSERT_TRUE(run.completed()) << run.describe();
  const Json posts = fakes_->posts("x");
  ASSERT_EQ(posts.size(), 1u);  // X shows the link as t.co; the text still matches
  EXPECT_EQ(run.result()["platformPostId"], posts[0]["id"]);
  EXPECT_EQ(fakes_->counter("x.createTweet"), 1);
}

TEST_F(X, DuplicateContentFailsForGoodWithXsMessage) {
  const std::string account = xAccount();
  ASSERT_TRUE(publish(post("x", account, "same words"), "job-1").completed());
  const JobRun run = publish(post("x", account, "same words"), "job-2");
  EXPECT_EQ(run.outcome.outcome, WARREN_JOB_FAILED_UNRECOVERABLE);
  EXPECT_EQ(run.outcome.error,
            "x: Forbidden: You are not allowed to create a Tweet with duplicate content.");
}

TEST_F(X, AUsageCapLimitsThePlatformNotOnlyTheAccount) {
  const std::string account = xAccount();
  fakes_->scenario("x", {{"rateLimitNext", 1}, {"rateLimitWhole", true}});
  const JobRun run = publish(post("x", account, "capped"));
  EXPECT_EQ(run.outcome.outcome, WARREN_JOB_RATE_LIMITED) << run.describe();
  EXPECT_EQ(host_->sql("SELECT scope FROM platform_rate_limits")[0]["scope"], "x");
}

TEST_F(X, TooLongByXsWeightedCountIsRefusedBeforeSending) {
  const std::string account = xAccount();
  // 140 CJK characters weigh 280; one more is too many.
  std::string text;
  for (int i = 0; i < 141; ++i) text += "\xE6\xBC\xA2";
  const JobRun run = publish(post("x", account, text));
  EXPECT_EQ(run.outcome.error, "the post is too long for x: 282 of 280 (x-weighted)");
  EXPECT_EQ(fakes_->counter("x.createTweet"), 0);
}

}  // namespace
}  // namespace warren::test
