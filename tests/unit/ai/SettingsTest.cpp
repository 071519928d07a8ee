// The AI keys of the node's config: resolution into the service's settings, and refusals at
// start that name the key.
#include "ai/Settings.h"
#include "config/Config.h"

#include <gtest/gtest.h>

namespace warren::ai {
namespace {

config::Config resolve(const std::vector<std::string>& sets) {
  return config::resolve({config::commandLineLayer(sets)});
}

std::string refusal(const std::vector<std::string>& sets) {
  try {
    resolve(sets);
  } catch (const config::ConfigError& e) {
    return e.what();
  }
  return "";
}

TEST(AiSettings, UnsetOrLocalIsNoProvider) {
  EXPECT_FALSE(settingsFrom(resolve({})).provider);
  EXPECT_FALSE(settingsFrom(resolve({"ai.provider=local"})).provider);
}

TEST(AiSettings, DefaultsOfEachProvider) {
  const Settings s = settingsFrom(resolve({"ai.provider=gemini", "ai.gemini_api_key=g"}));
  EXPECT_EQ(s.provider, ProviderKind::gemini);
  EXPECT_EQ(s.of(ProviderKind::gemini).model, "gemini-2.5-flash");
  EXPECT_EQ(s.of(ProviderKind::gemini).embeddingModel, "gemini-embedding-001");
  EXPECT_EQ(s.of(ProviderKind::gemini).baseUrl, "https://generativelanguage.googleapis.com");
  EXPECT_EQ(s.of(ProviderKind::gemini).apiKey, "g");
  EXPECT_EQ(s.of(ProviderKind::openai).model, "gpt-4o-mini");
  EXPECT_EQ(s.of(ProviderKind::openai).embeddingModel, "text-embedding-3-small");
  EXPECT_EQ(s.of(ProviderKind::openai).baseUrl, "https://api.openai.com/v1");
  EXPECT_EQ(s.of(ProviderKind::claude).baseUrl, "https://api.anthropic.com");
  EXPECT_EQ(s.timeout, std::chrono::milliseconds(120000));
  EXPECT_EQ(s.maxInlineWait, std::chrono::milliseconds(5000));
  EXPECT_EQ(s.maxImageBytes, 20u << 20);
}

TEST(AiSettings, EveryKey) {
  const Settings s = settingsFrom(resolve({"ai.provider=custom",
                                           "ai.custom.base_url=http://127.0.0.1:11434/v1/",
                                           "ai.model=llama3.1:8b",
                                           "ai.embedding_model=nomic-embed-text",
                                           "ai.fallback=gemini, openai",
                                           "ai.gemini_api_key=g",
                                           "ai.openai_api_key=o",
                                           "ai.openai.model=gpt-4.1",
                                           "ai.openai.base_url=http://127.0.0.1:9/v1",
                                           "ai.gemini.concurrency=4",
                                           "ai.gemini.requests_per_minute=60",
                                           "ai.gemini.tokens_per_minute=100000",
                                           "ai.timeout_ms=30000",
                                           "ai.max_inline_wait_ms=2000",
                                           "ai.max_image_mb=5",
                                           "queue.q.plugin=echo",
                                           "queue.q.ai.provider=openai",
                                           "queue.q.ai.model=gpt-4.1-mini",
                                           "queue.off.plugin=echo",
                                           "queue.off.ai.provider=local"}));
  EXPECT_EQ(s.provider, ProviderKind::custom);
  EXPECT_EQ(s.of(ProviderKind::custom).baseUrl, "http://127.0.0.1:11434/v1");
  EXPECT_EQ(s.of(ProviderKind::custom).model, "llama3.1:8b");
  EXPECT_EQ(s.of(ProviderKind::custom).embeddingModel, "nomic-embed-text");
  EXPECT_EQ(s.of(ProviderKind::custom).apiKey, "");
  EXPECT_EQ(s.fallback, (std::vector<ProviderKind>{ProviderKind::gemini, ProviderKind::openai}));
  EXPECT_EQ(s.of(ProviderKind::openai).model, "gpt-4.1");
  EXPECT_EQ(s.of(ProviderKind::openai).baseUrl, "http://127.0.0.1:9/v1");
  EXPECT_EQ(s.of(ProviderKind::gemini).limits.concurrency, 4u);
  EXPECT_EQ(s.of(ProviderKind::gemini).limits.requestsPerMinute, 60u);
  EXPECT_EQ(s.of(ProviderKind::gemini).limits.tokensPerMinute, 100000u);
  EXPECT_EQ(s.timeout, std::chrono::milliseconds(30000));
  EXPECT_EQ(s.maxInlineWait, std::chrono::milliseconds(2000));
  EXPECT_EQ(s.maxImageBytes, 5u << 20);
  ASSERT_TRUE(s.queues.count("q"));
  EXPECT_EQ(s.queues.at("q").provider, ProviderKind::openai);
  EXPECT_EQ(s.queues.at("q").model, "gpt-4.1-mini");
  EXPECT_TRUE(s.queues.at("off").providerSet);
  EXPECT_FALSE(s.queues.at("off").provider);
}

TEST(AiSettings, TheEmbeddingModelBelongsToTheEmbeddingProvider) {
  const Settings s = settingsFrom(
      resolve({"ai.provider=claude", "ai.anthropic_api_key=a", "ai.openai_api_key=o",
               "ai.embedding_provider=openai", "ai.embedding_model=text-embedding-3-large"}));
  EXPECT_EQ(s.embeddingProvider, ProviderKind::openai);
  EXPECT_EQ(s.of(ProviderKind::openai).embeddingModel, "text-embedding-3-large");
  EXPECT_EQ(s.of(ProviderKind::claude).model, "claude-sonnet-4-5");
}

TEST(AiSettings, TheEnvironmentNames) {
  std::vector<std::string> entries = {"AI_PROVIDER=custom",
                                      "OPENAI_API_KEY=o",
                                      "OPENAI_BASE_URL=http://127.0.0.1:1/v1",
                                      "GEMINI_BASE_URL=http://127.0.0.1:2",
                                      "ANTHROPIC_BASE_URL=http://127.0.0.1:3",
                                      "AI_BASE_URL=http://127.0.0.1:4/v1",
                                      "AI_API_KEY=c",
                                      "AI_MODEL=gpt-4.1",
                                      "AI_FALLBACK=openai"};
  std::vector<char*> env;
  for (auto& e : entries) env.push_back(e.data());
  env.push_back(nullptr);
  const config::Config c = config::resolve({config::environmentLayer(env.data())});
  const Settings s = settingsFrom(c);
  EXPECT_EQ(s.of(ProviderKind::openai).baseUrl, "http://127.0.0.1:1/v1");
  EXPECT_EQ(s.of(ProviderKind::gemini).baseUrl, "http://127.0.0.1:2");
  EXPECT_EQ(s.of(ProviderKind::claude).baseUrl, "http://127.0.0.1:3");
  EXPECT_EQ(s.of(ProviderKind::custom).baseUrl, "http://127.0.0.1:4/v1");
  EXPECT_EQ(s.of(ProviderKind::custom).apiKey, "c");
  EXPECT_EQ(s.of(ProviderKind::custom).model, "gpt-4.1");
  EXPECT_EQ(s.fallback, std::vector<ProviderKind>{ProviderKind::openai});
  EXPECT_TRUE(config::isSecretKey("ai.custom_api_key"));
}

TEST(AiSettings, RefusalsNameTheKey) {
  EXPECT_EQ(refusal({"ai.provider=grok"}),
            "invalid value for 'ai.provider' in the command line: 'grok': expected one of openai, "
            "gemini, claude, custom, local");
  EXPECT_EQ(refusal({"ai.provider=openai"}),
            "AI_PROVIDER is openai but OPENAI_API_KEY (ai.openai_api_key) is not set");
  EXPECT_EQ(refusal({"ai.provider=claude"}),
            "AI_PROVIDER is claude but ANTHROPIC_API_KEY (ai.anthropic_api_key) is not set");
  EXPECT_EQ(refusal({"ai.provider=custom"}),
            "AI_PROVIDER is custom but AI_BASE_URL (ai.custom.base_url) is not set");
  EXPECT_EQ(refusal({"ai.provider=custom", "ai.custom.base_url=http://127.0.0.1:8080/v1"}),
            "AI_PROVIDER is custom but no model is set (ai.model, ai.custom.model): the server "
            "serves the model it is asked for by name");
  EXPECT_EQ(refusal({"ai.provider=custom", "ai.custom.base_url=http://h/v1", "ai.model=m"}), "");
  EXPECT_EQ(refusal({"ai.provider=gemini", "ai.gemini_api_key=g", "ai.custom.base_url=http://h/v1",
                     "ai.fallback=custom"}),
            "ai.fallback is custom but no model is set (ai.model, ai.custom.model): the server "
            "serves the model it is asked for by name");
  EXPECT_EQ(refusal({"ai.fallback=openai,grok"}),
            "invalid value for 'ai.fallback' in the command line: 'openai,grok': expected one of "
            "openai, gemini, claude, custom");
  EXPECT_EQ(refusal({"ai.fallback=openai,openai"}),
            "invalid value for 'ai.fallback' in the command line: 'openai,openai': 'openai' is "
            "listed twice");
  EXPECT_EQ(refusal({"ai.fallback=gemini"}),
            "ai.fallback is gemini but GEMINI_API_KEY (ai.gemini_api_key) is not set");
  EXPECT_EQ(refusal({"ai.embedding_provider=claude"}),
            "invalid value for 'ai.embedding_provider' in the command line: 'claude': expected "
            "one of openai, gemini, custom");
  EXPECT_EQ(refusal({"ai.openai.base_url=api.openai.com"}),
            "invalid value for 'ai.openai.base_url' in the command line: 'api.openai.com': "
            "expected an http:// or https:// URL");
  EXPECT_EQ(refusal({"ai.timeout_ms=5"}),
            "invalid value for 'ai.timeout_ms' in the command line: '5': expected a whole number "
            "from 100 to 3600000");
  EXPECT_EQ(refusal({"ai.max_image_mb=0"}),
            "invalid value for 'ai.max_image_mb' in the command line: '0': expected a whole "
            "number from 1 to 100");
  EXPECT_EQ(refusal({"ai.gemini.concurrency=-1"}),
            "invalid value for 'ai.gemini.concurrency' in the command line: '-1': expected a "
            "whole number from 0 to 100000");
  EXPECT_EQ(refusal({"ai.gemini.colour=red"}),
            "unknown config key 'ai.gemini.colour' in the command line");
  EXPECT_EQ(refusal({"queue.q.plugin=echo", "queue.q.ai.provider=mistral"}),
            "invalid value for 'queue.q.ai.provider' in the command line: 'mistral': expected one "
            "of openai, gemini, claude, custom, local");
  EXPECT_EQ(refusal({"queue.q.plugin=echo", "queue.q.ai.provider=gemini"}),
            "queue.q.ai.provider is gemini but GEMINI_API_KEY (ai.gemini_api_key) is not set");
}

TEST(AiSettings, KeysNeverShowInRefusals) {
  const std::string why = refusal({"ai.openai_api_key=sk-secret-123", "ai.provider=bogus"});
  EXPECT_EQ(why.find("sk-secret-123"), std::string::npos) << why;
}

TEST(AiSettings, EveryKeyIsDocumented) {
  std::string documented;
  for (const auto& [key, help] : config::describeKeys()) documented += key + "\n";
  for (const char* key :
       {"ai.custom.base_url (AI_BASE_URL)", "ai.openai.base_url (OPENAI_BASE_URL)",
        "ai.gemini.base_url (GEMINI_BASE_URL)", "ai.claude.base_url (ANTHROPIC_BASE_URL)",
        "ai.model (AI_MODEL)", "ai.embedding_model", "ai.embedding_provider", "ai.fallback",
        "ai.timeout_ms", "ai.max_inline_wait_ms", "ai.max_image_mb",
        "ai.custom_api_key (AI_API_KEY)", "ai.PROVIDER.concurrency",
        "ai.PROVIDER.requests_per_minute", "ai.PROVIDER.tokens_per_minute", "ai.PROVIDER.model",
        "ai.PROVIDER.embedding_model", "queue.NAME.ai.provider", "queue.NAME.ai.model"}) {
    EXPECT_NE(documented.find(key), std::string::npos) << key;
  }
}

}  // namespace
}  // namespace warren::ai
