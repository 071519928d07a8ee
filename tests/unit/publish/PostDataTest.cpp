// post:publish data as the plugin reads it: every field checked, with the field named.
#include "job/Failure.h"
#include "publish/Publisher.h"
#include "publish/Signing.h"

#include <gtest/gtest.h>

namespace {

using common::Json;

std::string refusal(const Json& data, const Json& row = Json()) {
  try {
    publish::normalisePost(data, row);
  } catch (const common::job::Unrecoverable& e) {
    return e.what();
  }
  return "accepted";
}

TEST(PostData, AnInlinePostIsNormalised) {
  const Json post = publish::normalisePost(
      {{"post",
        {{"platform", "mastodon"}, {"accountId", "acc_1"}, {"text", "hi"}, {"thread", {"two"}}}}},
      Json());
  EXPECT_EQ(post["platform"], "mastodon");
  EXPECT_EQ(post["thread"], Json::array({"two"}));
  EXPECT_EQ(post["mediaKeys"], Json::array());
  EXPECT_FALSE(post.contains("visibility"));
}

TEST(PostData, RefusalsNameTheField) {
  EXPECT_EQ(refusal(Json::object()),
            "post:publish needs 'postId' (a row of the posts table) or 'post'");
  EXPECT_EQ(refusal({{"post", {{"accountId", "a"}, {"text", "x"}}}}),
            "invalid post: 'platform' is required");
  EXPECT_EQ(refusal({{"post", {{"platform", "x"}, {"text", "x"}}}}),
            "invalid post: 'accountId' is required");
  EXPECT_EQ(refusal({{"post", {{"platform", "x"}, {"accountId", "a"}}}}),
            "invalid post: 'text' is empty and there are no media");
  EXPECT_EQ(refusal({{"post",
                      {{"platform", "x"}, {"accountId", "a"}, {"text", "t"}, {"mediaKeys", "k"}}}}),
            "invalid post: 'mediaKeys' must be an array of strings");
  EXPECT_EQ(
      refusal({{"post", {{"platform", "x"}, {"accountId", "a"}, {"text", "t"}, {"thread", {""}}}}}),
      "invalid post: a thread part is empty");
}

TEST(PostData, ARowNeedsAnAccountFromItselfOrTheData) {
  const Json row = {{"platform", "bluesky"},
                    {"text", "draft"},
                    {"thread", Json::array()},
                    {"mediaKeys", Json::array()},
                    {"altTexts", Json::array()}};
  EXPECT_EQ(refusal({{"postId", "p1"}}, row),
            "the post has no account: give 'accountId' in the job data");
  EXPECT_EQ(publish::normalisePost({{"postId", "p1"}, {"accountId", "acc_9"}}, row)["accountId"],
            "acc_9");
}

TEST(Signing, SignatureIsHmacOverTimestampDotBody) {
  // printf '1700000000.{"a":1}' | openssl dgst -sha256 -hmac s3cret
  EXPECT_EQ(publish::webhookSignature("s3cret", 1700000000, "{\"a\":1}"),
            "v1=1698a50bc74d1ff1db85c4e0a5297c2ad9fdba245d5737cdb789e4cc6e098940");
  publish::net::Request request;
  request.body = "{}";
  publish::signWebhook(request, "k", "dlv_1", 42);
  ASSERT_EQ(request.headers.size(), 4u);
  EXPECT_EQ(request.headers[1], (std::pair<std::string, std::string>("Webhook-Id", "dlv_1")));
  EXPECT_EQ(request.headers[2], (std::pair<std::string, std::string>("Webhook-Timestamp", "42")));
}

}  // namespace
