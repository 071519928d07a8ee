// post:publish to a fake Threads: text, replies, an image and a video by URL (the container
// waits until FINISHED), a lost publish answer, and the long-lived token refreshed a week
// before it expires.
#include "Fixture.h"

namespace warren::test {
namespace {

class Threads : public PublishTest {
 protected:
  std::string threadsAccount(std::int64_t expiresInS = 0) {
    const Json issued = fakes_->account({{"platform", "threads"},
                                         {"userId", "17841400000"},
                                         {"handle", "ann"},
                                         {"accessExpiresInS", expiresInS}});
    Json fields = {{"platform", "threads"},
                   {"handle", "@ann"},
                   {"baseUrl", fakes_->base("threads")},
                   {"platformUserId", "17841400000"},
                   {"accessToken", issued["accessToken"]}};
    if (expiresInS > 0)
      fields["tokenExpiresAt"] = (std::chrono::duration_cast<std::chrono::milliseconds>(
                                      std::chrono::system_clock::now().time_since_epoch())
                                      .count() +
                                  expiresInS * 1000);
    return host_->addAccount(fields);
  }
};

TEST_F(Threads, TextAndAThread) {
  const std::string account = threadsAccount();
  Json data = post("threads", account, "one");
  data["post"]["thread"] = {"two"};
  const JobRun run = publish(data);
  ASSERT_TRUE(run.completed()) << run.describe();
  const Json posts = fakes_->posts("threads");
  ASSERT_EQ(posts.size(), 2u);
  EXPECT_EQ(posts[1]["replyTo"], posts[0]["id"]);
}

TEST_F(Threads, AnImageAndAVideoByUrl) {
  const std::string account = threadsAccount();
  fakes_->scenario("threads", {{"mediaPolls", 2}});
  host_->putMedia(makeImage(host_->dir(), "a.png", 100, 100), "img/a.png", "image/png");
  host_->putMedia(makeVideo(host_->dir(), "v.mp4", 1, 360, 640), "vid/v.mp4", "video/mp4");
  Json image = post("threads", account, "image");
  image["post"]["mediaKeys"] = {"img/a.png"};
  ASSERT_TRUE(publish(image).completed());
  Json video = post("threads", account, "video");
  video["post"]["mediaKeys"] = {"vid/v.mp4"};
  const JobRun run = publish(video, "job-2");
  ASSERT_TRUE(run.completed()) << run.describe();
  const Json posts = fakes_->posts("threads");
  ASSERT_EQ(posts.size(), 2u);
  EXPECT_EQ(posts[0]["media"][0]["type"], "IMAGE");
  EXPECT_EQ(posts[1]["media"][0]["type"], "VIDEO");
  EXPECT_EQ(posts[1]["media"][0]["size"], std::filesystem::file_size(host_->dir() / "v.mp4"));
}

TEST_F(Threads, ALostPublishAnswerIsFoundAndTheContainerNotPublishedTwice) {
  const std::string account = threadsAccount();
  fakes_->scenario("threads", {{"failAfterCreate", 1}, {"failStatus", 500}});
  const JobRun run = publish(post("threads", account, "exactly once"));
  ASSERT_TRUE(run.completed()) << run.describe();
  const Json posts = fakes_->posts("threads");
  ASSERT_EQ(posts.size(), 1u);
  EXPECT_EQ(run.result()["platformPostId"], posts[0]["id"]);
}

TEST_F(Threads, ATokenExpiringWithinAWeekIsRefreshedFirst) {
  const std::string account = threadsAccount(3 * 24 * 3600);
  ASSERT_TRUE(publish(post("threads", account, "fresh token")).completed());
  EXPECT_EQ(fakes_->counter("threads.refresh"), 1);
  const Json row = host_->sql("SELECT token_expires_at, token_version FROM platform_accounts")[0];
  EXPECT_EQ(row["token_version"], 1);
}

TEST_F(Threads, AnExpiredTokenCannotBeRefreshedAndMarksTheAccount) {
  const std::string account = threadsAccount();
  fakes_->admin("POST", "/tokens", {{"platform", "threads"}, {"action", "expire"}});
  const JobRun run = publish(post("threads", account, "no"));
  EXPECT_EQ(run.outcome.outcome, WARREN_JOB_FAILED_UNRECOVERABLE);
  EXPECT_EQ(run.outcome.error,
            "threads account " + account +
                " (@ann) needs re-authorisation (marked needs_reauth): token refresh refused: "
                "threads: Error validating access token: Session has expired");
}

}  // namespace
}  // namespace warren::test
