// The node's per-provider limits: what is admitted at once, and what is turned into a delay
// (Fault::rateLimited with the time the limit allows the call) instead of a wait in the slot.
#include "ai/Failure.h"
#include "ai/Limits.h"
#include "outbound/Budget.h"
#include "plugins/JobContext.h"

#include <gtest/gtest.h>

#include <thread>

namespace warren::ai {
namespace {

using namespace std::chrono_literals;

std::int64_t nowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Failure failureOf(const std::function<void()>& f) {
  try {
    f();
  } catch (const Failure& e) {
    return e;
  }
  return Failure(Fault::internal, "no failure");
}

TEST(Limits, NoLimitsAdmitEverything) {
  ProviderLimiter limiter("openai", {});
  const outbound::Budget budget(nullptr, 1000ms);
  std::vector<Admission> held;
  for (int i = 0; i < 100; ++i) held.push_back(limiter.admit(100000, budget, 0ms));
}

TEST(Limits, RequestsPerMinuteBeyondTheInlineWaitBecomeADelay) {
  ProviderLimiter limiter("openai", {0, 2, 0});
  const outbound::Budget budget(nullptr, 60000ms);
  limiter.admit(1, budget, 0ms);
  limiter.admit(1, budget, 0ms);
  const std::int64_t before = nowMs();
  const Failure f = failureOf([&] { limiter.admit(1, budget, 5000ms); });
  EXPECT_EQ(f.fault(), Fault::rateLimited);
  // 2 a minute: the next one fits in 30 s.
  EXPECT_NEAR(static_cast<double>(f.retryAtMs() - before), 30000, 1000);
  EXPECT_NE(std::string(f.what()).find("2 requests a minute (ai.openai.requests_per_minute)"),
            std::string::npos)
      << f.what();
}

TEST(Limits, AShortWaitIsWaitedInPlace) {
  ProviderLimiter limiter("gemini", {0, 600, 0});  // one every 100 ms after the burst
  const outbound::Budget budget(nullptr, 60000ms);
  for (int i = 0; i < 600; ++i) limiter.admit(1, budget, 0ms);
  const auto started = std::chrono::steady_clock::now();
  limiter.admit(1, budget, 1000ms);
  EXPECT_GE(std::chrono::steady_clock::now() - started, 90ms);
}

TEST(Limits, TokensAreEstimatedThenCorrected) {
  ProviderLimiter limiter("claude", {0, 0, 1000});
  const outbound::Budget budget(nullptr, 60000ms);
  {
    Admission a = limiter.admit(800, budget, 0ms);
    EXPECT_NEAR(limiter.tokensAvailable(), 200, 5);
    a.settle(100);  // the reply used far less
  }
  EXPECT_NEAR(limiter.tokensAvailable(), 900, 5);
  limiter.admit(900, budget, 0ms).settle(1900);  // and this one far more: the bucket owes
  EXPECT_LT(limiter.tokensAvailable(), -900);
  EXPECT_EQ(failureOf([&] { limiter.admit(10, budget, 0ms); }).fault(), Fault::rateLimited);
}

TEST(Limits, ACallLargerThanTheMinuteWaitsForAFullBucket) {
  ProviderLimiter limiter("openai", {0, 0, 100});
  const outbound::Budget budget(nullptr, 60000ms);
  limiter.admit(5000, budget, 0ms).settle(100);
  EXPECT_EQ(failureOf([&] { limiter.admit(5000, budget, 0ms); }).fault(), Fault::rateLimited);
}

TEST(Limits, ARefundGivesTheTokensBack) {
  ProviderLimiter limiter("openai", {0, 0, 1000});
  const outbound::Budget budget(nullptr, 60000ms);
  limiter.admit(600, budget, 0ms).refund();
  EXPECT_NEAR(limiter.tokensAvailable(), 1000, 5);
}

TEST(Limits, ConcurrencyHoldsSlotsUntilReleased) {
  ProviderLimiter limiter("custom", {1, 0, 0});
  const outbound::Budget budget(nullptr, 60000ms);
  std::optional<Admission> first = limiter.admit(1, budget, 0ms);
  const Failure f = failureOf([&] { limiter.admit(1, budget, 50ms); });
  EXPECT_EQ(f.fault(), Fault::rateLimited);
  EXPECT_NE(std::string(f.what()).find("ai.custom.concurrency"), std::string::npos);
  std::thread release([&] {
    std::this_thread::sleep_for(50ms);
    first.reset();
  });
  limiter.admit(1, budget, 5000ms);  // admitted once the first is done
  release.join();
}

TEST(Limits, ACancelledJobStopsWaitingForASlot) {
  ProviderLimiter limiter("custom", {1, 0, 0});
  plugins::JobContext job({}, {});
  const outbound::Budget budget(&job, 60000ms);
  Admission held = limiter.admit(1, budget, 0ms);
  std::thread cancel([&] {
    std::this_thread::sleep_for(50ms);
    job.cancel("cancelled: test");
  });
  EXPECT_EQ(failureOf([&] { limiter.admit(1, budget, 10000ms); }).fault(), Fault::cancelled);
  cancel.join();
}

TEST(Limits, AWaitPastTheDeadlineIsADelayNotAWait) {
  ProviderLimiter limiter("openai", {0, 1, 0});
  const outbound::Budget budget(nullptr, 100ms);
  limiter.admit(1, budget, 0ms);
  EXPECT_EQ(failureOf([&] { limiter.admit(1, budget, 600000ms); }).fault(), Fault::rateLimited);
}

}  // namespace
}  // namespace warren::ai
