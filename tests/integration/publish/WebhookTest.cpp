// The generic signed webhook as a platform, and the lifecycle events the plugin sends to its
// webhook_url.
#include "Fixture.h"

#include "crypto/Digest.h"

namespace warren::test {
namespace {

class Webhook : public PublishTest {};

TEST_F(Webhook, TheWholeThreadGoesInOneSignedDelivery) {
  const std::string account = webhookAccount("/posts", "hook-secret");
  host_->putMedia(makeImage(host_->dir(), "p.png", 20, 10), "img/p.png", "image/png");
  Json data = post("webhook", account, "first");
  data["post"]["thread"] = {"second", "third"};
  data["post"]["mediaKeys"] = {"img/p.png"};
  data["post"]["altTexts"] = {"a small picture"};
  const JobRun run = publish(data);
  ASSERT_TRUE(run.completed()) << run.describe();
  const Json deliveries = fakes_->deliveries();
  ASSERT_EQ(deliveries.size(), 1u);
  EXPECT_TRUE(deliveries[0]["signatureValid"]);
  const Json body = Json::parse(deliveries[0]["body"].get<std::string>());
  EXPECT_EQ(body["type"], "post");
  EXPECT_EQ(body["text"], "first");
  EXPECT_EQ(body["thread"], Json::array({"second", "third"}));
  EXPECT_EQ(body["media"][0]["key"], "img/p.png");
  EXPECT_EQ(body["media"][0]["alt"], "a small picture");
  EXPECT_EQ(body["media"][0]["width"], 20);
  const Json posts = fakes_->posts("webhook");
  ASSERT_EQ(posts.size(), 1u);
  EXPECT_EQ(run.result()["platformPostId"], posts[0]["id"]);
  EXPECT_EQ(run.result()["url"], posts[0]["url"]);
}

TEST_F(Webhook, AResendAfterALostAnswerKeepsItsDeliveryId) {
  const std::string account = webhookAccount();
  fakes_->scenario("webhook", {{"failAfterCreate", 1}});
  const JobRun run = publish(post("webhook", account, "exactly once"));
  ASSERT_TRUE(run.completed()) << run.describe();
  const Json deliveries = fakes_->deliveries();
  ASSERT_EQ(deliveries.size(), 2u);
  EXPECT_EQ(deliveries[0]["headers"]["webhook-id"], deliveries[1]["headers"]["webhook-id"]);
  EXPECT_TRUE(deliveries[1]["duplicate"]);
  EXPECT_EQ(fakes_->posts("webhook").size(), 1u);
}

TEST_F(Webhook, ARefusedSignatureMarksTheAccount) {
  const std::string account = webhookAccount("/strict", "the-right-secret");
  fakes_->admin("POST", "/webhook-secret", {{"path", "/strict"}, {"secret", "another-secret"}});
  const JobRun run = publish(post("webhook", account, "x"));
  EXPECT_EQ(run.outcome.outcome, WARREN_JOB_FAILED_UNRECOVERABLE);
  EXPECT_NE(run.outcome.error.find("needs re-authorisation"), std::string::npos)
      << run.outcome.error;
}

class Lifecycle : public PublishTest {
 protected:
  plugins::ConfigValues config() override {
    return {{"webhook_url", fakes_->base("webhook") + "/events"},
            {"webhook_secret", "events-secret"}};
  }
};

TEST_F(Lifecycle, PublishedAndFailedAreSignedAndSentOnce) {
  fakes_->admin("POST", "/webhook-secret", {{"path", "/events"}, {"secret", "events-secret"}});
  const std::string account = mastodonAccount();
  ASSERT_TRUE(publish(post("mastodon", account, "out it goes"), "job-1").completed());
  ASSERT_TRUE(publish(post("mastodon", account, "out it goes"), "job-1")
                  .completed());  // the same job again
  const JobRun failed = publish(post("mastodon", account, std::string(600, 'x')), "job-2");
  ASSERT_EQ(failed.outcome.outcome, WARREN_JOB_FAILED_UNRECOVERABLE);
  const Json deliveries = fakes_->deliveries();
  ASSERT_EQ(deliveries.size(), 2u) << deliveries.dump();
  const Json published = Json::parse(deliveries[0]["body"].get<std::string>());
  EXPECT_TRUE(deliveries[0]["signatureValid"]);
  EXPECT_EQ(published["event"], "publication.published");
  EXPECT_EQ(published["platform"], "mastodon");
  EXPECT_EQ(published["platformPostId"], fakes_->posts("mastodon")[0]["id"]);
  const Json refused = Json::parse(deliveries[1]["body"].get<std::string>());
  EXPECT_EQ(refused["event"], "publication.failed");
  EXPECT_EQ(refused["error"], "mastodon: Validation failed: Text character limit of 500 exceeded");
  // The signature is HMAC-SHA256 over "<timestamp>.<body>" with the configured secret.
  const std::string timestamp = deliveries[1]["headers"]["webhook-timestamp"];
  EXPECT_EQ(
      deliveries[1]["headers"]["webhook-signature"],
      "v1=" + common::crypto::hmacSha256Hex(
                  "events-secret", timestamp + "." + deliveries[1]["body"].get<std::string>()));
}

}  // namespace
}  // namespace warren::test
