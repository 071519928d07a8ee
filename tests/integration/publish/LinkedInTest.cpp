// post:publish to a fake LinkedIn: little-text commentary that arrives whole, images and a
// video through initializeUpload, refresh with the client secret, and a post whose answer was
// lost: found when the account may read its posts, unconfirmed (never sent again) when not.
#include "Fixture.h"

namespace warren::test {
namespace {

class LinkedIn : public PublishTest {
 protected:
  std::string linkedinAccount(const std::string& scopes = "w_member_social", bool expired = false) {
    Json fields = {{"platform", "linkedin"},
                   {"userId", "urn:li:person:abc123"},
                   {"handle", "Ann Example"},
                   {"scopes", scopes},
                   {"issueRefresh", true}};
    if (expired) fields["accessExpiresInS"] = -10;
    const Json issued = fakes_->account(fields);
    return host_->addAccount({{"platform", "linkedin"},
                              {"handle", "Ann Example"},
                              {"baseUrl", fakes_->base("linkedin")},
                              {"platformUserId", "urn:li:person:abc123"},
                              {"scopes", scopes},
                              {"clientId", "li-client"},
                              {"secret", "li-client-secret"},
                              {"accessToken", issued["accessToken"]},
                              {"refreshToken", issued["refreshToken"]}});
  }
};

TEST_F(LinkedIn, CommentaryWithReservedCharactersArrivesWhole) {
  const std::string account = linkedinAccount();
  const std::string text = "Launch (beta) today [for real] #launch *now* - see <https://ex.com>";
  const JobRun run = publish(post("linkedin", account, text));
  ASSERT_TRUE(run.completed()) << run.describe();
  const Json posts = fakes_->posts("linkedin");
  ASSERT_EQ(posts.size(), 1u);
  EXPECT_EQ(posts[0]["text"], text);
  EXPECT_FALSE(posts[0]["extra"]["cut"]);
  EXPECT_EQ(run.result()["platformPostId"], posts[0]["id"]);
  EXPECT_EQ(posts[0]["extra"]["linkedinVersion"].get<std::string>().size(), 6u);
}

TEST_F(LinkedIn, ImagesAndAVideo) {
  const std::string account = linkedinAccount();
  host_->putMedia(makeImage(host_->dir(), "a.png", 100, 60), "img/a.png", "image/png");
  host_->putMedia(makeImage(host_->dir(), "b.png", 60, 100), "img/b.png", "image/png");
  host_->putMedia(makeVideo(host_->dir(), "v.mp4", 3.5, 640, 360), "vid/v.mp4", "video/mp4");
  Json one = post("linkedin", account, "one picture");
  one["post"]["mediaKeys"] = {"img/a.png"};
  one["post"]["altTexts"] = {"wide"};
  const JobRun first = publish(one);
  ASSERT_TRUE(first.completed()) << first.describe();
  Json two = post("linkedin", account, "two pictures");
  two["post"]["mediaKeys"] = {"img/a.png", "img/b.png"};
  ASSERT_TRUE(publish(two, "job-2").completed());
  Json video = post("linkedin", account, "a video");
  video["post"]["mediaKeys"] = {"vid/v.mp4"};
  const JobRun run = publish(video, "job-3");
  ASSERT_TRUE(run.completed()) << run.describe();
  const Json posts = fakes_->posts("linkedin");
  ASSERT_EQ(posts.size(), 3u);
  EXPECT_EQ(posts[0]["media"][0]["altText"], "wide");
  EXPECT_EQ(posts[2]["media"][0]["size"], std::filesystem::file_size(host_->dir() / "v.mp4"));
}

TEST_F(LinkedIn, AThreadIsRefusedBeforeAnythingIsSent) {
  const std::string account = linkedinAccount();
  Json data = post("linkedin", account, "one");
  data["post"]["thread"] = {"two"};
  const JobRun run = publish(data);
  EXPECT_EQ(run.outcome.error, "linkedin has no threads: give the post as one text");
}

TEST_F(LinkedIn, AnExpiredTokenIsRefreshedWithTheClientSecret) {
  const std::string account = linkedinAccount("w_member_social", true);
  ASSERT_TRUE(publish(post("linkedin", account, "refreshed")).completed());
  EXPECT_EQ(fakes_->counter("linkedin.refresh"), 1);
}

TEST_F(LinkedIn, ALostAnswerIsFoundWhenThePostsCanBeRead) {
  const std::string account = linkedinAccount("w_member_social r_member_social");
  fakes_->scenario("linkedin", {{"failAfterCreate", 1}});
  const JobRun run = publish(post("linkedin", account, "found (again)"));
  ASSERT_TRUE(run.completed()) << run.describe();
  EXPECT_EQ(fakes_->posts("linkedin").size(), 1u);
}

TEST_F(LinkedIn, ALostAnswerWithoutReadAccessEndsUnconfirmed) {
  const std::string account = linkedinAccount("w_member_social");
  fakes_->scenario("linkedin", {{"failAfterCreate", 1}});
  const JobRun run = publish(post("linkedin", account, "maybe"), "job-u");
  EXPECT_EQ(run.outcome.outcome, WARREN_JOB_FAILED_UNRECOVERABLE);
  EXPECT_EQ(run.outcome.error,
            "unconfirmed: part 1 of the post (linkedin answered 503 after the request: linkedin: "
            "Internal Server "
            "Error): whether it was posted cannot be checked: LinkedIn's posts of "
            "urn:li:person:abc123 cannot be "
            "read without the r_member_social (or r_organization_social) scope. Check the account; "
            "to post it "
            "anyway, enqueue it again with a new idempotencyKey");
  EXPECT_EQ(host_->sql("SELECT state FROM publications")[0]["state"], "unconfirmed");
  // The same job again does not post blindly.
  const JobRun again = publish(post("linkedin", account, "maybe"), "job-u");
  EXPECT_EQ(again.outcome.error, run.outcome.error);
  EXPECT_EQ(fakes_->posts("linkedin").size(), 1u);
  EXPECT_EQ(fakes_->counter("linkedin.createPost"), 1);
}

TEST_F(LinkedIn, ADuplicateIsRefusedWithLinkedInsMessage) {
  const std::string account = linkedinAccount();
  ASSERT_TRUE(publish(post("linkedin", account, "twice")).completed());
  const JobRun run = publish(post("linkedin", account, "twice"), "job-2");
  EXPECT_EQ(run.outcome.outcome, WARREN_JOB_FAILED_UNRECOVERABLE);
  EXPECT_EQ(run.outcome.error.rfind("linkedin: Content is a duplicate of urn:li:share:", 0), 0u)
      << run.outcome.error;
}

}  // namespace
}  // namespace warren::test
