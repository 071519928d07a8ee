// The ordered fallback list: when the next provider takes over, and what a call reports when
// every provider failed.
#include "AiHarness.h"

namespace warren::ai::test {
namespace {

class Fallback : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { AiHarness::startFake(); }
  static void TearDownTestSuite() { AiHarness::stopFake(); }
  void SetUp() override {
    Settings s = AiHarness::settingsFor(ProviderKind::openai);
    s.fallback = {ProviderKind::gemini, ProviderKind::claude};
    h_.serve(s);
  }
  std::size_t sent(const std::string& provider) {
    return AiHarness::fake().requests(provider).size();
  }
  AiHarness h_;
};

TEST_F(Fallback, TheNextProviderTakesOverWhenOneIsDown) {
  AiHarness::fake().script("openai", {"503", "503", "503"});
  const Json r = h_.complete(textRequest(""));
  EXPECT_EQ(r["provider"], "gemini");
  EXPECT_EQ(r["text"], "fake reply (gemini): hello there");
  EXPECT_EQ(sent("openai"), 3u);
  EXPECT_EQ(sent("gemini"), 1u);
}

TEST_F(Fallback, OutOfQuotaOrARejectedKeyMovesOnAtOnce) {
  AiHarness::fake().script("openai", {"quota"});
  EXPECT_EQ(h_.complete(textRequest(""))["provider"], "gemini");
  EXPECT_EQ(sent("openai"), 1u);
  AiHarness::fake().script("openai", {"401"});
  AiHarness::fake().script("gemini", {"quota"});
  EXPECT_EQ(h_.complete(textRequest(""))["provider"], "claude");
}

TEST_F(Fallback, RateLimitedBeyondTheInlineWaitMovesOn) {
  AiHarness::fake().script("openai", {"429-long"});
  const auto started = Clock::now();
  EXPECT_EQ(h_.complete(textRequest(""))["provider"], "gemini");
  EXPECT_LT(Clock::now() - started, 2s);
}

TEST_F(Fallback, RefusalsBadRequestsAndTruncationDoNotMoveOn) {
  for (const char* step : {"refusal", "400", "truncated"}) {
    AiHarness::fake().reset();
    AiHarness::fake().script("openai", {step});
    const Failure f = failureOf([&] { h_.complete(textRequest("")); });
    EXPECT_NE(f.fault(), Fault::internal) << step;
    EXPECT_EQ(sent("gemini"), 0u) << step;
  }
}

TEST_F(Fallback, WhenAllFailARateLimitDelaysTheJob) {
  AiHarness::fake().script("openai", {"429-long"});
  AiHarness::fake().script("gemini", {"quota"});
  AiHarness::fake().script("anthropic", {"503", "503", "503"});
  const Failure f = failureOf([&] { h_.complete(textRequest("")); });
  EXPECT_EQ(statusOf(f.fault()), WARREN_ERR_RETRY_LATER);
  EXPECT_GT(f.retryAtMs(), nowMs() + 25000);
  const std::string why = f.what();
  EXPECT_EQ(why.rfind("every provider failed: openai: HTTP 429 rate_limit_exceeded", 0), 0u) << why;
  EXPECT_NE(why.find("; gemini: HTTP 429 RESOURCE_EXHAUSTED"), std::string::npos) << why;
  EXPECT_NE(why.find("; claude: HTTP 503"), std::string::npos) << why;
}

TEST_F(Fallback, WhenAllFailWithoutARateLimitTheRetryableOneIsReported) {
  AiHarness::fake().script("openai", {"quota"});
  AiHarness::fake().script("gemini", {"500", "500", "500"});
  AiHarness::fake().script("anthropic", {"quota"});
  const Failure f = failureOf([&] { h_.complete(textRequest("")); });
  EXPECT_EQ(statusOf(f.fault()), WARREN_ERR_UNAVAILABLE);
}

TEST_F(Fallback, TheRequestModelIsForTheFirstProviderOnly) {
  AiHarness::fake().script("openai", {"503", "503", "503"});
  const Json r = h_.complete(textRequest("gpt-4.1"));
  EXPECT_EQ(r["model"], "gemini-2.5-flash");
  EXPECT_EQ(AiHarness::fake().requests("openai")[0]["body"]["model"], "gpt-4.1");
}

TEST_F(Fallback, AQueueOverrideHasItsOwnFirstProvider) {
  Settings s = AiHarness::settingsFor(ProviderKind::openai);
  s.queues["vision"] = {true, ProviderKind::claude, "claude-opus-4-1"};
  s.queues["offline"] = {true, std::nullopt, ""};
  h_.serve(s);
  const Json r = h_.complete(textRequest(""), nullptr, "vision");
  EXPECT_EQ(r["provider"], "claude");
  EXPECT_EQ(AiHarness::fake().requests("anthropic")[0]["body"]["model"], "claude-opus-4-1");
  EXPECT_FALSE(h_.service().available("offline", WARREN_AI_COMPLETE));
  EXPECT_EQ(statusOf(failureOf([&] { h_.complete(textRequest(""), nullptr, "offline"); }).fault()),
            WARREN_ERR_NOT_FOUND);
}

}  // namespace
}  // namespace warren::ai::test
