// Which providers serve a queue, in which order, and the one failure reported when all fail.
#include "ai/Fallback.h"

#include <gtest/gtest.h>

namespace warren::ai {
namespace {

Settings settings() {
  Settings s;
  for (auto kind :
       {ProviderKind::openai, ProviderKind::gemini, ProviderKind::claude, ProviderKind::custom}) {
    s.providers[kind].kind = kind;
    s.providers[kind].model = defaultsOf(kind).model;
    s.providers[kind].embeddingModel = defaultsOf(kind).embeddingModel;
  }
  return s;
}

std::vector<std::string> names(const Route& r) {
  std::vector<std::string> out;
  for (const auto& t : r.targets) out.push_back(std::string(providerName(t.kind)) + ":" + t.model);
  return out;
}

TEST(Route, NoProviderMeansTheOfflineMethod) {
  const Route r = completionRoute(settings(), "q", "");
  EXPECT_TRUE(r.targets.empty());
  EXPECT_EQ(r.none,
            "no AI provider configured (AI_PROVIDER is unset or local): use the offline method");
  EXPECT_TRUE(embeddingRoute(settings(), "q", "").targets.empty());
}

TEST(Route, TheQueueProviderThenTheFallbackList) {
  Settings s = settings();
  s.provider = ProviderKind::openai;
  s.fallback = {ProviderKind::gemini, ProviderKind::openai, ProviderKind::claude};
  EXPECT_EQ(names(completionRoute(s, "q", "")),
            (std::vector<std::string>{"openai:gpt-4o-mini", "gemini:gemini-2.5-flash",
                                      "claude:claude-sonnet-4-5"}));
  // The request's model is for the first provider only.
  EXPECT_EQ(names(completionRoute(s, "q", "gpt-4.1"))[0], "openai:gpt-4.1");
  EXPECT_EQ(names(completionRoute(s, "q", "gpt-4.1"))[1], "gemini:gemini-2.5-flash");
}

TEST(Route, PerQueueOverrides) {
  Settings s = settings();
  s.provider = ProviderKind::openai;
  s.queues["vision"] = {true, ProviderKind::claude, "claude-opus-4-1"};
  s.queues["offline"] = {true, std::nullopt, ""};
  s.queues["cheap"] = {false, std::nullopt, "gpt-4.1-nano"};
  EXPECT_EQ(names(completionRoute(s, "vision", "")),
            (std::vector<std::string>{"claude:claude-opus-4-1"}));
  EXPECT_TRUE(completionRoute(s, "offline", "").targets.empty());
  EXPECT_EQ(names(completionRoute(s, "cheap", "")),
            (std::vector<std::string>{"openai:gpt-4.1-nano"}));
  EXPECT_EQ(names(completionRoute(s, "vision", "claude-haiku-4-5")),
            (std::vector<std::string>{"claude:claude-haiku-4-5"}));
}

TEST(Route, EmbeddingsGoToOneProviderWithoutFallback) {
  Settings s = settings();
  s.provider = ProviderKind::gemini;
  s.fallback = {ProviderKind::openai};
  EXPECT_EQ(names(embeddingRoute(s, "q", "")),
            (std::vector<std::string>{"gemini:gemini-embedding-001"}));
  s.provider = ProviderKind::claude;
  const Route none = embeddingRoute(s, "q", "");
  EXPECT_TRUE(none.targets.empty());
  EXPECT_EQ(none.none,
            "claude has no embeddings endpoint; set ai.embedding_provider (openai, gemini or "
            "custom) to embed");
  s.embeddingProvider = ProviderKind::openai;
  EXPECT_EQ(names(embeddingRoute(s, "q", "text-embedding-3-large")),
            (std::vector<std::string>{"openai:text-embedding-3-large"}));
}

TEST(Route, ACustomServerWithoutAModelCannotServe) {
  Settings s = settings();
  s.provider = ProviderKind::custom;
  const Route r = completionRoute(s, "q", "");
  EXPECT_TRUE(r.targets.empty());
  EXPECT_EQ(r.none, "no completion model configured for custom (set ai.model or ai.custom.model)");
  EXPECT_EQ(embeddingRoute(s, "q", "").none,
            "no embedding model configured for custom (set ai.embedding_model or "
            "ai.custom.embedding_model)");
}

TEST(Combine, RateLimitedWinsWithTheEarliestTime) {
  const Failure f = combine({Failure(Fault::quota, "openai: out of quota"),
                             Failure(Fault::rateLimited, "gemini: slow down", 5000),
                             Failure(Fault::rateLimited, "claude: slow down", 3000)});
  EXPECT_EQ(f.fault(), Fault::rateLimited);
  EXPECT_EQ(f.retryAtMs(), 3000);
  EXPECT_STREQ(f.what(),
               "every provider failed: openai: out of quota; gemini: slow down; claude: slow down");
}

TEST(Combine, ARetryableFaultBeatsARefusal) {
  const Failure f =
      combine({Failure(Fault::quota, "openai: q"), Failure(Fault::unavailable, "gemini: down")});
  EXPECT_EQ(f.fault(), Fault::unavailable);
  const Failure g =
      combine({Failure(Fault::auth, "openai: key"), Failure(Fault::quota, "gemini: q")});
  EXPECT_EQ(g.fault(), Fault::auth);
  const Failure one = combine({Failure(Fault::refused, "claude refused")});
  EXPECT_STREQ(one.what(), "claude refused");
}

TEST(Faults, StatusesAndFallback) {
  EXPECT_EQ(statusOf(Fault::rateLimited), WARREN_ERR_RETRY_LATER);
  EXPECT_EQ(statusOf(Fault::truncated), WARREN_ERR_REFUSED);
  EXPECT_EQ(statusOf(Fault::quota), WARREN_ERR_REFUSED);
  EXPECT_EQ(statusOf(Fault::notFound), WARREN_ERR_NOT_FOUND);
  EXPECT_EQ(statusOf(Fault::unusableReply), WARREN_ERR_INVALID);
  EXPECT_TRUE(fallsBack(Fault::quota));
  EXPECT_TRUE(fallsBack(Fault::rateLimited));
  EXPECT_FALSE(fallsBack(Fault::refused));
  EXPECT_FALSE(fallsBack(Fault::invalid));
  EXPECT_FALSE(retryable(Fault::refused));
  EXPECT_TRUE(retryable(Fault::timeout));
}

}  // namespace
}  // namespace warren::ai
