// post:publish to a fake Mastodon: text, threads, images, a video that processes
// asynchronously, exactly once across retries, crashes and a 5xx after the status was
// created, revoked tokens, rate limits and the platform's own refusals.
#include "Fixture.h"

#include <chrono>
#include <thread>

namespace warren::test {
namespace {

class Mastodon : public PublishTest {};

TEST_F(Mastodon, PublishesTextWithAnIdempotencyKey) {
  const std::string account = mastodonAccount();
  const JobRun run = publish(post("mastodon", account, "Hello from Warren"));
  ASSERT_TRUE(run.completed()) << run.describe();
  const Json posts = fakes_->posts("mastodon");
  ASSERT_EQ(posts.size(), 1u);
  EXPECT_EQ(posts[0]["text"], "Hello from Warren");
  EXPECT_FALSE(posts[0]["idempotencyKey"].get<std::string>().empty());
  const Json result = run.result();
  EXPECT_EQ(result["platform"], "mastodon");
  EXPECT_EQ(result["platformPostId"], posts[0]["id"]);
  EXPECT_EQ(result["url"], posts[0]["url"]);
  EXPECT_EQ(result["accountId"], account);
  EXPECT_FALSE(result.contains("thread"));
  const Json ledger = host_->sql("SELECT state, platform_post_id FROM publications");
  ASSERT_EQ(ledger.size(), 1u);
  EXPECT_EQ(ledger[0]["state"], "published");
  EXPECT_EQ(ledger[0]["platform_post_id"], posts[0]["id"]);
}

TEST_F(Mastodon, TheSameJobAgainReturnsTheSameResultWithoutPosting) {
  const std::string account = mastodonAccount();
  const JobRun first = publish(post("mastodon", account, "Once"), "job-7");
  ASSERT_TRUE(first.completed()) << first.describe();
  const JobRun again = publish(post("mastodon", account, "Once"), "job-7");
  ASSERT_TRUE(again.completed()) << again.describe();
  EXPECT_EQ(again.result(), first.result());
  EXPECT_EQ(fakes_->posts("mastodon").size(), 1u);
  EXPECT_EQ(fakes_->counter("mastodon.createStatus"), 1);
}

TEST_F(Mastodon, AThreadRepliesToItself) {
  const std::string account = mastodonAccount();
  Json data = post("mastodon", account, "1/3 the start");
  data["post"]["thread"] = {"2/3 the middle", "3/3 the end"};
  data["post"]["visibility"] = "unlisted";
  data["post"]["language"] = "en";
  const JobRun run = publish(data);
  ASSERT_TRUE(run.completed()) << run.describe();
  const Json posts = fakes_->posts("mastodon");
  ASSERT_EQ(posts.size(), 3u);
  EXPECT_EQ(posts[0]["replyTo"], "");
  EXPECT_EQ(posts[1]["replyTo"], posts[0]["id"]);
  EXPECT_EQ(posts[2]["replyTo"], posts[1]["id"]);
  EXPECT_EQ(posts[2]["extra"]["visibility"], "unlisted");
  EXPECT_EQ(posts[2]["extra"]["language"], "en");
  const Json thread = run.result()["thread"];
  ASSERT_EQ(thread.size(), 3u);
  EXPECT_EQ(thread[2]["platformPostId"], posts[2]["id"]);
  EXPECT_EQ(run.result()["platformPostId"], posts[0]["id"]);
}

TEST_F(Mastodon, ImagesWithAltTexts) {
  const std::string account = mastodonAccount();
  host_->putMedia(makeImage(host_->dir(), "a.png", 64, 48), "media/a.png", "image/png");
  host_->putMedia(makeImage(host_->dir(), "b.png", 32, 32), "media/b.png", "image/png");
  Json data = post("mastodon", account, "Two pictures");
  data["post"]["mediaKeys"] = {"media/a.png", "media/b.png"};
  data["post"]["altTexts"] = {"an orange rectangle", "an orange square"};
  const JobRun run = publish(data);
  ASSERT_TRUE(run.completed()) << run.describe();
  const Json posts = fakes_->posts("mastodon");
  ASSERT_EQ(posts.size(), 1u);
  ASSERT_EQ(posts[0]["media"].size(), 2u);
  EXPECT_EQ(posts[0]["media"][0]["description"], "an orange rectangle");
  EXPECT_EQ(posts[0]["media"][1]["type"], "image");
}

TEST_F(Mastodon, AVideoIsPostedOnceItHasProcessed) {
  const std::string account = mastodonAccount();
  fakes_->scenario("mastodon", {{"mediaPolls", 2}});
  host_->putMedia(makeVideo(host_->dir(), "clip.mp4", 1, 320, 180), "renditions/clip.mp4",
                  "video/mp4");
  Json data = post("mastodon", account, "A clip");
  data["post"]["mediaKeys"] = {"renditions/clip.mp4"};
  const JobRun run = publish(data);
  ASSERT_TRUE(run.completed()) << run.describe();
  const Json posts = fakes_->posts("mastodon");
  ASSERT_EQ(posts.size(), 1u);
  ASSERT_EQ(posts[0]["media"].size(), 1u);
  EXPECT_EQ(posts[0]["media"][0]["type"], "video");
}

TEST_F(Mastodon, AServerErrorAfterTheStatusWasCreatedPostsNoSecondCopy) {
  const std::string account = mastodonAccount();
  fakes_->scenario("mastodon", {{"failAfterCreate", 1}, {"failStatus", 503}});
  const JobRun run = publish(post("mastodon", account, "Created, then 503"));
  ASSERT_TRUE(run.completed()) << run.describe();
  const Json posts = fakes_->posts("mastodon");
  ASSERT_EQ(posts.size(), 1u);
  EXPECT_EQ(run.result()["platformPostId"], posts[0]["id"]);
  EXPECT_EQ(fakes_->counter("mastodon.idempotentReplays"), 1);
}

TEST_F(Mastodon, ARunStoppedBeforeTheAnswerIsReconciledByTheNextRun) {
  const std::string account = mastodonAccount();
  fakes_->scenario("mastodon", {{"hangAfterCreateMs", 1500}});
  const JobRun first = host_->runStopped("post:publish", post("mastodon", account, "Interrupted"),
                                         "job-9", std::chrono::milliseconds(400));
  EXPECT_EQ(first.outcome.outcome, WARREN_JOB_FAILED_RETRYABLE) << first.describe();
  std::this_thread::sleep_for(std::chrono::milliseconds(1300));  // the fake finishes its answer
  ASSERT_EQ(fakes_->posts("mastodon").size(), 1u);
  EXPECT_EQ(host_->sql("SELECT progress FROM publications")[0]["progress"].get<std::string>().find(
                "sending") != std::string::npos,
            true);
  fakes_->scenario("mastodon", {{"hangAfterCreateMs", 0}});
  const JobRun second = host_->run("post:publish", post("mastodon", account, "Interrupted"),
                                   "job-9", "post-publish", 2);
  ASSERT_TRUE(second.completed()) << second.describe();
  const Json posts = fakes_->posts("mastodon");
  ASSERT_EQ(posts.size(), 1u);
  EXPECT_EQ(second.result()["platformPostId"], posts[0]["id"]);
}

TEST_F(Mastodon, ARevokedTokenMarksTheAccountAndFailsForGood) {
  const std::string account = mastodonAccount();
  fakes_->admin("POST", "/tokens", {{"platform", "mastodon"}, {"action", "revoke"}});
  const JobRun run = publish(post("mastodon", account, "Nope"));
  EXPECT_EQ(run.outcome.outcome, WARREN_JOB_FAILED_UNRECOVERABLE) << run.describe();
  EXPECT_EQ(run.outcome.error,
            "mastodon account " + account +
                " (@alice@mastodon.example) needs re-authorisation (marked needs_reauth): "
                "mastodon: The access token is invalid");
  EXPECT_EQ(accountStatus(account), "needs_reauth");
  const std::int64_t requests = fakes_->counter("mastodon.requests");
  const JobRun next = publish(post("mastodon", account, "Later"), "job-2");
  EXPECT_EQ(next.outcome.outcome, WARREN_JOB_FAILED_UNRECOVERABLE);
  EXPECT_EQ(next.outcome.error,
            "mastodon account " + account +
                " (@alice@mastodon.example) needs re-authorisation: mastodon: The "
                "access token is invalid");
  EXPECT_EQ(fakes_->counter("mastodon.requests"), requests);
  EXPECT_TRUE(fakes_->posts("mastodon").empty());
}

TEST_F(Mastodon, ARateLimitDelaysTheJobUntilTheResetWithoutCallingAgain) {
  const std::string account = mastodonAccount();
  fakes_->scenario("mastodon", {{"rateLimitNext", 1}, {"rateLimitResetS", 30}});
  const JobRun run = publish(post("mastodon", account, "Too fast"));
  EXPECT_EQ(run.outcome.outcome, WARREN_JOB_DELAYED) << run.describe();
  EXPECT_NE(run.outcome.error.find("mastodon rate limit of mastodon account " + account),
            std::string::npos)
      << run.outcome.error;
  const Json limits = host_->sql("SELECT scope, reset_at FROM platform_rate_limits");
  ASSERT_EQ(limits.size(), 1u);
  EXPECT_EQ(limits[0]["scope"], "mastodon:" + account);
  const std::int64_t requests = fakes_->counter("mastodon.requests");
  const JobRun next = publish(post("mastodon", account, "Still too fast"), "job-2");
  EXPECT_NE(next.outcome.error.find("is rate limited until"), std::string::npos) << next.describe();
  EXPECT_EQ(fakes_->counter("mastodon.requests"), requests);
  EXPECT_TRUE(fakes_->posts("mastodon").empty());
}

TEST_F(Mastodon, ThePlatformsRefusalFailsForGoodWithItsMessage) {
  const std::string account = mastodonAccount();
  const JobRun run = publish(post("mastodon", account, std::string(501, 'a')));
  EXPECT_EQ(run.outcome.outcome, WARREN_JOB_FAILED_UNRECOVERABLE) << run.describe();
  EXPECT_EQ(run.outcome.error, "mastodon: Validation failed: Text character limit of 500 exceeded");
  EXPECT_EQ(host_->sql("SELECT state FROM publications")[0]["state"], "failed");
}

TEST_F(Mastodon, APostRowBecomesPublished) {
  const std::string account = mastodonAccount();
  host_->sql(
      "INSERT INTO posts (id, brand_profile_id, platform, account_id, text, thread, status, "
      "created_at, updated_at) "
      "VALUES ('post-1', 'brand-1', 'mastodon', $1, 'From a draft', '[\"and more\"]', 'draft', 1, "
      "1)",
      Json::array({account}));
  const JobRun run = publish({{"postId", "post-1"}});
  ASSERT_TRUE(run.completed()) << run.describe();
  const Json row = host_->sql(
      "SELECT status, platform_post_id, url, published_at FROM posts WHERE id = 'post-1'")[0];
  EXPECT_EQ(row["status"], "published");
  const Json posts = fakes_->posts("mastodon");
  ASSERT_EQ(posts.size(), 2u);
  EXPECT_EQ(row["platform_post_id"], posts[0]["id"]);
  EXPECT_EQ(run.result()["postId"], "post-1");
  // Another job for the same post (another job id) publishes nothing more.
  const JobRun again = publish({{"postId", "post-1"}}, "job-2");
  ASSERT_TRUE(again.completed()) << again.describe();
  EXPECT_EQ(fakes_->posts("mastodon").size(), 2u);
}

TEST_F(Mastodon, MediaOverTheLimitFailBeforeAnyUpload) {
  const std::string account = mastodonAccount();
  for (int i = 0; i < 5; ++i) {
    host_->putMedia(makeImage(host_->dir(), "i.png", 8, 8), "m/" + std::to_string(i) + ".png",
                    "image/png");
  }
  Json data = post("mastodon", account, "Five");
  data["post"]["mediaKeys"] = {"m/0.png", "m/1.png", "m/2.png", "m/3.png", "m/4.png"};
  const JobRun run = publish(data);
  EXPECT_EQ(run.outcome.outcome, WARREN_JOB_FAILED_UNRECOVERABLE);
  EXPECT_EQ(run.outcome.error, "mastodon takes at most 4 images per post; the post has 5");
  EXPECT_TRUE(fakes_->admin("GET", "/media?platform=mastodon")["media"].empty());
  data["post"]["mediaKeys"] = {"m/missing.png"};
  const JobRun missing = publish(data, "job-2");
  EXPECT_EQ(missing.outcome.error, "media 'm/missing.png' is not in object storage");
}

}  // namespace
}  // namespace warren::test
