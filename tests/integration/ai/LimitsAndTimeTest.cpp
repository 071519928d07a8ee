// The node's limits, the job's cancellation and deadline, as a plugin's call meets them.
#include "AiHarness.h"

#include "plugins/JobContext.h"

#include <thread>

namespace warren::ai::test {
namespace {

class LimitsAndTime : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { AiHarness::startFake(); }
  static void TearDownTestSuite() { AiHarness::stopFake(); }
  AiHarness h_;
};

std::unique_ptr<plugins::JobContext> job(std::int64_t deadlineMs = 0) {
  plugins::JobInput input;
  input.id = "1";
  input.queue = "q";
  input.deadlineMs = deadlineMs;
  return std::make_unique<plugins::JobContext>(input, plugins::JobSinks{});
}

TEST_F(LimitsAndTime, RequestsPerMinuteBeyondTheInlineWaitDelayTheJob) {
  Settings s = AiHarness::settingsFor(ProviderKind::openai);
  s.providers[ProviderKind::openai].limits.requestsPerMinute = 1;
  s.maxInlineWait = 100ms;
  h_.serve(s);
  h_.complete(textRequest(""));
  const Failure f = failureOf([&] { h_.complete(textRequest("")); });
  EXPECT_EQ(statusOf(f.fault()), WARREN_ERR_RETRY_LATER);
  EXPECT_GT(f.retryAtMs(), nowMs() + 50000);
  EXPECT_NE(std::string(f.what()).find("ai.openai.requests_per_minute"), std::string::npos);
  EXPECT_EQ(AiHarness::fake().requests("openai").size(), 1u);  // never sent
}

TEST_F(LimitsAndTime, TokenEstimatesAreCorrectedByTheReplysUsage) {
  Settings s = AiHarness::settingsFor(ProviderKind::gemini);
  s.providers[ProviderKind::gemini].limits.tokensPerMinute = 100;
  s.maxInlineWait = 100ms;
  h_.serve(s);
  // The estimate (max_tokens 200 and the text) takes the whole minute's 100 tokens; the reply
  // reports about 20, so most of them come back.
  h_.complete(textRequest(""));
  const Failure f = failureOf([&] { h_.complete(textRequest("")); });
  EXPECT_EQ(statusOf(f.fault()), WARREN_ERR_RETRY_LATER);
  const std::int64_t wait = f.retryAtMs() - nowMs();
  EXPECT_GT(wait, 1000);
  EXPECT_LT(wait, 40000) << "without the correction the bucket would be empty: 60 s";
}

TEST_F(LimitsAndTime, ConcurrencyIsSharedAndWaitedForWithinTheInlineWait) {
  Settings s = AiHarness::settingsFor(ProviderKind::claude);
  s.providers[ProviderKind::claude].limits.concurrency = 1;
  h_.serve(s);
  const auto started = Clock::now();
  std::thread other([&] { h_.complete(textRequest("fake-slow-400")); });
  std::this_thread::sleep_for(50ms);
  h_.complete(textRequest("fake-slow-400"));
  other.join();
  EXPECT_GE(Clock::now() - started, 790ms);
  const Json sent = AiHarness::fake().requests("anthropic");
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_GE(sent[1]["receivedAt"].get<std::int64_t>() - sent[0]["receivedAt"].get<std::int64_t>(),
            380);
}

TEST_F(LimitsAndTime, ABusyProviderBeyondTheInlineWaitDelaysTheJob) {
  Settings s = AiHarness::settingsFor(ProviderKind::claude);
  s.providers[ProviderKind::claude].limits.concurrency = 1;
  s.maxInlineWait = 100ms;
  h_.serve(s);
  std::thread other([&] { h_.complete(textRequest("fake-slow-1000")); });
  std::this_thread::sleep_for(100ms);
  const Failure f = failureOf([&] { h_.complete(textRequest("")); });
  other.join();
  EXPECT_EQ(statusOf(f.fault()), WARREN_ERR_RETRY_LATER);
  EXPECT_NE(std::string(f.what()).find("ai.claude.concurrency"), std::string::npos);
}

TEST_F(LimitsAndTime, ACancelledJobStopsItsCall) {
  h_.serve(AiHarness::settingsFor(ProviderKind::openai));
  auto context = job();
  std::thread cancel([&] {
    std::this_thread::sleep_for(200ms);
    context->cancel("cancelled: test");
  });
  const auto started = Clock::now();
  const Failure f = failureOf([&] { h_.complete(textRequest("fake-slow-5000"), context.get()); });
  cancel.join();
  EXPECT_EQ(statusOf(f.fault()), WARREN_ERR_CANCELLED);
  EXPECT_LT(Clock::now() - started, 1500ms);
}

TEST_F(LimitsAndTime, ACancelledJobStopsWaitingForAHint) {
  h_.serve(AiHarness::settingsFor(ProviderKind::openai));
  auto context = job();
  std::thread cancel([&] {
    std::this_thread::sleep_for(200ms);
    context->cancel("cancelled: test");
  });
  const auto started = Clock::now();
  const Failure f = failureOf([&] { h_.complete(textRequest("fake-429-after-3"), context.get()); });
  cancel.join();
  EXPECT_EQ(f.fault(), Fault::cancelled);
  EXPECT_STREQ(f.what(),
               "openai: the job was cancelled while it waited to retry (cancelled: test)");
  EXPECT_LT(Clock::now() - started, 1500ms);
}

TEST_F(LimitsAndTime, TheJobsDeadlineBoundsTheCall) {
  h_.serve(AiHarness::settingsFor(ProviderKind::gemini));
  auto context = job(nowMs() + 400);
  const auto started = Clock::now();
  const Failure f = failureOf([&] { h_.complete(textRequest("fake-slow-3000"), context.get()); });
  EXPECT_EQ(statusOf(f.fault()), WARREN_ERR_TIMEOUT);
  EXPECT_LT(Clock::now() - started, 1500ms);
}

TEST_F(LimitsAndTime, AHintPastTheDeadlineDelaysTheJob) {
  h_.serve(AiHarness::settingsFor(ProviderKind::claude));
  auto context = job(nowMs() + 1500);
  const Failure f = failureOf([&] { h_.complete(textRequest("fake-429-after-3"), context.get()); });
  EXPECT_EQ(statusOf(f.fault()), WARREN_ERR_RETRY_LATER);
  EXPECT_GE(f.retryAtMs(), nowMs() + 2000);
}

}  // namespace
}  // namespace warren::ai::test
