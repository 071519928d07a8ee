// One completion through the ai service (answered here by FakeHost): the reply parsed, and each
// failure status turned into the job failure docs/ai.md prescribes.
#include "FakeHost.h"

#include "ai/Client.h"
#include "job/Failure.h"

#include <gtest/gtest.h>

namespace warren::test {
namespace {

using common::ai::Client;
using common::ai::Completion;

Completion structured() {
  return Completion("Task").material("text", "x").schema({{"type", "object"}}, "analysis");
}

TEST(AiClient, AvailableFollowsTheHost) {
  FakeHost fake;
  EXPECT_TRUE(Client(fake.host()).available());
  fake.aiAvailable = false;
  EXPECT_FALSE(Client(fake.host()).available());
}

TEST(AiClient, AStructuredReplyWithItsAccounting) {
  FakeHost fake;
  fake.aiReplies = {{WARREN_OK,
                     R"({"text":"{\"a\":1}","json":{"a":1},"provider":"openai","model":"gpt-x",)"
                     R"("finish_reason":"stop","usage":{"input_tokens":40,"output_tokens":9,)"
                     R"("cached_tokens":8},"latency_ms":120,"attempts":2,"repaired":true})",
                     "", false, 0}};
  const warren::Job job = fake.job();
  const common::ai::Reply reply = Client(fake.host()).complete(job, structured());
  EXPECT_EQ(reply.json, (common::Json{{"a", 1}}));
  EXPECT_EQ(reply.provider, "openai");
  EXPECT_EQ(reply.model, "gpt-x");
  EXPECT_EQ(reply.finishReason, "stop");
  EXPECT_EQ(reply.usage.input, 40);
  EXPECT_EQ(reply.usage.output, 9);
  EXPECT_EQ(reply.usage.cached, 8);
  EXPECT_EQ(reply.latencyMs, 120);
  EXPECT_EQ(reply.attempts, 2);
  EXPECT_TRUE(reply.repaired);
  ASSERT_EQ(fake.aiRequests.size(), 1u);
  EXPECT_EQ(common::Json::parse(fake.aiRequests[0]), structured().toJson());
}

TEST(AiClient, ARateLimitDelaysTheJobUntilTheHint) {
  FakeHost fake;
  fake.aiReplies = {
      {WARREN_ERR_RETRY_LATER, "", "openai: 429, retry after 30 s", true, 1'900'000'000'000}};
  const warren::Job job = fake.job();
  try {
    Client(fake.host()).complete(job, structured());
    FAIL() << "no failure";
  } catch (const common::job::RetryAt& e) {
    EXPECT_EQ(e.retryAtMs(), 1'900'000'000'000);
    EXPECT_FALSE(e.wholeQueue());
    EXPECT_STREQ(e.what(), "AI provider rate limited: openai: 429, retry after 30 s");
  }
}

TEST(AiClient, RefusalsAndBadRequestsAreFinalOutagesAreNot) {
  FakeHost fake;
  const warren::Job job = fake.job();
  const Client client(fake.host());
  fake.aiReplies = {{WARREN_ERR_REFUSED, "", "openai refused: content policy", false, 0}};
  EXPECT_THROW(client.complete(job, structured()), common::job::Unrecoverable);
  fake.aiReplies = {{WARREN_ERR_INVALID, "", "reply failed its schema", false, 0}};
  EXPECT_THROW(client.complete(job, structured()), common::job::Unrecoverable);
  fake.aiReplies = {{WARREN_ERR_UNAVAILABLE, "", "openai: 503", true, 0}};
  EXPECT_THROW(client.complete(job, structured()), common::job::Retryable);
  fake.aiReplies = {{WARREN_ERR_TIMEOUT, "", "openai: timed out", true, 0}};
  EXPECT_THROW(client.complete(job, structured()), common::job::Retryable);
  fake.aiReplies = {{WARREN_ERR_CANCELLED, "", "cancelled", false, 0}};
  EXPECT_THROW(client.complete(job, structured()), warren::AiError);
}

TEST(AiClient, AStructuredReplyWithoutItsJsonIsTheHostsFault) {
  FakeHost fake;
  fake.aiReplies = {{WARREN_OK, R"({"text":"hi","provider":"openai","model":"m"})", "", false, 0}};
  const warren::Job job = fake.job();
  EXPECT_THROW(Client(fake.host()).complete(job, structured()), common::job::Retryable);
  EXPECT_THROW(common::ai::parseReply("not json", false), common::job::Retryable);
}

}  // namespace
}  // namespace warren::test
