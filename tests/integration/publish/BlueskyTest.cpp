// post:publish to a fake Bluesky PDS: a session from the app password, facets at byte
// offsets, images and video with their aspect ratio, threads with reply refs, the record key
// chosen before the first try (a stopped run's record is found, not posted again), expired
// access tokens refreshed, refused credentials marking the account.
#include "Fixture.h"

#include <thread>

namespace warren::test {
namespace {

class Bluesky : public PublishTest {};

TEST_F(Bluesky, PostsWithFacetsAfterStartingASessionFromTheAppPassword) {
  const std::string account = blueskyAccount();
  fakes_->account({{"platform", "bluesky"},
                   {"handle", "bob.test"},
                   {"userId", "did:plc:bob"},
                   {"password", "x"}});
  Json data = post("bluesky", account, "Hi @bob.test \xE2\x9C\xA8 https://ex.com/a #launch");
  data["post"]["language"] = "en";
  const JobRun run = publish(data);
  ASSERT_TRUE(run.completed()) << run.describe();
  EXPECT_EQ(fakes_->counter("bluesky.createSession"), 1);
  const Json posts = fakes_->posts("bluesky");
  ASSERT_EQ(posts.size(), 1u);
  const Json facets = posts[0]["extra"]["facets"];
  ASSERT_EQ(facets.size(), 3u);
  EXPECT_EQ(facets[0]["index"], Json({{"byteStart", 3}, {"byteEnd", 12}}));
  EXPECT_EQ(facets[0]["features"][0],
            Json({{"$type", "app.bsky.richtext.facet#mention"}, {"did", "did:plc:bob"}}));
  EXPECT_EQ(facets[1]["index"], Json({{"byteStart", 17}, {"byteEnd", 33}}));  // ✨ is 3 bytes
  EXPECT_EQ(facets[1]["features"][0]["uri"], "https://ex.com/a");
  EXPECT_EQ(facets[2]["features"][0],
            Json({{"$type", "app.bsky.richtext.facet#tag"}, {"tag", "launch"}}));
  EXPECT_EQ(posts[0]["extra"]["langs"], Json::array({"en"}));
  const Json result = run.result();
  EXPECT_EQ(result["platformPostId"], posts[0]["id"]);
  EXPECT_EQ(result["url"], "https://bsky.app/profile/alice.test/post/" +
                               posts[0]["extra"]["rkey"].get<std::string>());
  // The session is kept, sealed, for the next job: no second login.
  const Json row =
      host_->sql("SELECT platform_user_id, access_token, token_version FROM platform_accounts")[0];
  EXPECT_EQ(row["platform_user_id"], "did:plc:alice");
  EXPECT_EQ(row["access_token"].get<std::string>().rfind("v1:", 0), 0u);
  EXPECT_EQ(row["token_version"], 1);
  ASSERT_TRUE(publish(post("bluesky", account, "second"), "job-2").completed());
  EXPECT_EQ(fakes_->counter("bluesky.createSession"), 1);
}

TEST_F(Bluesky, ImagesAndVideoCarryTheirAspectRatio) {
  const std::string account = blueskyAccount();
  host_->putMedia(makeImage(host_->dir(), "wide.png", 160, 90), "img/wide.png", "image/png");
  host_->putMedia(makeVideo(host_->dir(), "v.mp4", 1, 180, 320), "video/v.mp4", "video/mp4");
  Json images = post("bluesky", account, "A picture");
  images["post"]["mediaKeys"] = {"img/wide.png"};
  images["post"]["altTexts"] = {"orange"};
  ASSERT_TRUE(publish(images).completed());
  Json video = post("bluesky", account, "");
  video["post"]["mediaKeys"] = {"video/v.mp4"};
  const JobRun run = publish(video, "job-2");
  ASSERT_TRUE(run.completed()) << run.describe();
  const Json posts = fakes_->posts("bluesky");
  ASSERT_EQ(posts.size(), 2u);
  EXPECT_EQ(posts[0]["media"][0]["alt"], "orange");
  EXPECT_EQ(posts[0]["media"][0]["aspectRatio"], Json({{"width", 160}, {"height", 90}}));
  EXPECT_EQ(posts[1]["media"][0]["mimeType"], "video/mp4");
  EXPECT_EQ(posts[1]["media"][0]["aspectRatio"], Json({{"width", 180}, {"height", 320}}));
}

TEST_F(Bluesky, AThreadNamesItsRootAndParent) {
  const std::string account = blueskyAccount();
  Json data = post("bluesky", account, "one");
  data["post"]["thread"] = {"two", "three"};
  const JobRun run = publish(data);
  ASSERT_TRUE(run.completed()) << run.describe();
  const Json posts = fakes_->posts("bluesky");
  ASSERT_EQ(posts.size(), 3u);
  EXPECT_EQ(posts[1]["replyTo"], posts[0]["id"]);
  EXPECT_EQ(posts[2]["replyTo"], posts[1]["id"]);
  EXPECT_EQ(posts[2]["root"], posts[0]["id"]);
  // A reply to an existing post of someone else's thread keeps that thread's root.
  Json reply = post("bluesky", account, "a reply");
  reply["post"]["replyTo"] = posts[2]["id"];
  ASSERT_TRUE(publish(reply, "job-2").completed());
  const Json after = fakes_->posts("bluesky");
  EXPECT_EQ(after[3]["replyTo"], posts[2]["id"]);
  EXPECT_EQ(after[3]["root"], posts[0]["id"]);
}

TEST_F(Bluesky, ARecordSentByAStoppedRunIsFoundByItsKey) {
  const std::string account = blueskyAccount();
  fakes_->scenario("bluesky", {{"hangAfterCreateMs", 1200}});
  const JobRun first = host_->runStopped("post:publish", post("bluesky", account, "once only"),
                                         "job-3", std::chrono::milliseconds(400));
  EXPECT_EQ(first.outcome.outcome, WARREN_JOB_FAILED_RETRYABLE) << first.describe();
  std::this_thread::sleep_for(std::chrono::milliseconds(1000));
  fakes_->scenario("bluesky", {{"hangAfterCreateMs", 0}});
  const std::int64_t creates = fakes_->counter("bluesky.createRecord");
  const JobRun second =
      host_->run("post:publish", post("bluesky", account, "once only"), "job-3", "post-publish", 2);
  ASSERT_TRUE(second.completed()) << second.describe();
  const Json posts = fakes_->posts("bluesky");
  ASSERT_EQ(posts.size(), 1u);
  EXPECT_EQ(second.result()["platformPostId"], posts[0]["id"]);
  EXPECT_EQ(fakes_->counter("bluesky.createRecord"), creates);  // found by getRecord, not re-sent
}

TEST_F(Bluesky, AServerErrorAfterTheRecordWasCreatedPostsNoSecondCopy) {
  const std::string account = blueskyAccount();
  fakes_->scenario("bluesky", {{"failAfterCreate", 1}, {"failStatus", 500}});
  const JobRun run = publish(post("bluesky", account, "created then 500"));
  ASSERT_TRUE(run.completed()) << run.describe();
  EXPECT_EQ(fakes_->posts("bluesky").size(), 1u);
}

TEST_F(Bluesky, AnExpiredAccessTokenIsRefreshedAndTheRotatedOneKept) {
  const std::string account = blueskyAccount();
  ASSERT_TRUE(publish(post("bluesky", account, "first"), "job-1").completed());
  const Json before =
      host_->sql("SELECT access_token, refresh_token, token_version FROM platform_accounts")[0];
  fakes_->admin("POST", "/tokens",
                {{"platform", "bluesky"}, {"action", "expire"}, {"kind", "access"}});
  const JobRun run = publish(post("bluesky", account, "after expiry"), "job-2");
  ASSERT_TRUE(run.completed()) << run.describe();
  EXPECT_EQ(fakes_->counter("bluesky.refreshSession"), 1);
  EXPECT_EQ(fakes_->counter("bluesky.createSession"), 1);
  const Json after =
      host_->sql("SELECT access_token, refresh_token, token_version FROM platform_accounts")[0];
  EXPECT_NE(after["access_token"], before["access_token"]);
  EXPECT_NE(after["refresh_token"], before["refresh_token"]);
  EXPECT_EQ(after["token_version"].get<int>(), before["token_version"].get<int>() + 1);
}

TEST_F(Bluesky, ASpentRefreshTokenFallsBackToTheAppPassword) {
  const std::string account = blueskyAccount();
  ASSERT_TRUE(publish(post("bluesky", account, "first"), "job-1").completed());
  fakes_->admin("POST", "/tokens",
                {{"platform", "bluesky"}, {"action", "expire"}, {"kind", "all"}});
  const JobRun run = publish(post("bluesky", account, "again"), "job-2");
  ASSERT_TRUE(run.completed()) << run.describe();
  EXPECT_EQ(fakes_->counter("bluesky.createSession"), 2);
}

TEST_F(Bluesky, RefusedCredentialsMarkTheAccount) {
  fakes_->account({{"platform", "bluesky"},
                   {"handle", "carol.test"},
                   {"userId", "did:plc:carol"},
                   {"password", "right"}});
  const std::string account = host_->addAccount({{"platform", "bluesky"},
                                                 {"handle", "carol.test"},
                                                 {"baseUrl", fakes_->base("bluesky")},
                                                 {"secret", "wrong"}});
  const JobRun run = publish(post("bluesky", account, "x"));
  EXPECT_EQ(run.outcome.outcome, WARREN_JOB_FAILED_UNRECOVERABLE);
  EXPECT_EQ(run.outcome.error,
            "bluesky account " + account +
                " (carol.test) needs re-authorisation (marked needs_reauth): token refresh "
                "refused: bluesky: AuthenticationRequired: Invalid identifier or password");
  EXPECT_EQ(accountStatus(account), "needs_reauth");
}

TEST_F(Bluesky, TooLongIsRefusedBeforeSendingByBlueskysOwnCount) {
  const std::string account = blueskyAccount();
  Json data = post("bluesky", account, "fits");
  data["post"]["thread"] = {std::string(299, 'b') + "\xF0\x9F\x91\x8D\xF0\x9F\x8F\xBD\xE2\x9C\xA8"};
  const JobRun run = publish(data);
  EXPECT_EQ(run.outcome.outcome, WARREN_JOB_FAILED_UNRECOVERABLE) << run.describe();
  // 299 letters, a thumbs-up with a skin tone (one grapheme) and a sparkle: 301 graphemes.
  EXPECT_EQ(run.outcome.error,
            "part 2 of the post is too long for bluesky: 301 of 300 (bluesky-graphemes)");
  EXPECT_EQ(fakes_->counter("bluesky.createRecord"), 0);
}

TEST_F(Bluesky, ThePlatformsOwnRefusalFailsWithItsMessage) {
  const std::string account = blueskyAccount();
  fakes_->scenario("bluesky", {{"maxText", 10}});
  const JobRun run = publish(post("bluesky", account, "eleven char"));
  EXPECT_EQ(run.outcome.outcome, WARREN_JOB_FAILED_UNRECOVERABLE) << run.describe();
  EXPECT_EQ(run.outcome.error,
            "bluesky: InvalidRequest: Invalid app.bsky.feed.post record: Record/text must not be "
            "longer than 10 "
            "graphemes");
}

}  // namespace
}  // namespace warren::test
