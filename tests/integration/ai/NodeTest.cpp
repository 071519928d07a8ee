// The AI service in a running node (`warren run`): installed in the plugins' host table, each
// queue on its own provider (queue.NAME.ai.provider), keys nowhere in the node's output, and a
// long rate limit turned into a delayed job that neither holds its slot nor spends an attempt.
#include "AiHarness.h"

#include "Command.h"
#include "RedisServer.h"
#include "TempDir.h"
#include "queue/Producer.h"
#include "redis/Url.h"

#include <csignal>
#include <thread>

namespace warren::ai::test {
namespace {

std::optional<queue::JobView> waitFinished(queue::Producer& producer, const std::string& id) {
  const auto until = Clock::now() + 30s;
  while (Clock::now() < until) {
    auto job = producer.getJob(id);
    if (job && (job->state == "completed" || job->state == "failed")) return job;
    std::this_thread::sleep_for(50ms);
  }
  return producer.getJob(id);
}

TEST(AiNode, EachQueueReachesItsOwnProvider) {
  warren::test::AiFakeOptions keys;
  keys.openaiKey = kOpenAiKey;
  keys.anthropicKey = kAnthropicKey;
  warren::test::AiFake fake(keys);
  warren::test::RedisServer redis;
  const warren::test::TempDir data("warren-ai-node");
  auto env = warren::test::cleanEnvironment();
  for (const std::string& e : std::vector<std::string>{
           "REDIS_URL=" + redis.url(), "WARREN_DATA_DIR=" + data.path().string(), "LOG_LEVEL=debug",
           "AI_PROVIDER=openai", "OPENAI_API_KEY=" + kOpenAiKey,
           "OPENAI_BASE_URL=" + fake.openaiBaseUrl(), "ANTHROPIC_API_KEY=" + kAnthropicKey,
           "ANTHROPIC_BASE_URL=" + fake.anthropicBaseUrl(), "GEMINI_API_KEY=" + kGeminiKey}) {
    env.push_back(e);
  }
  const std::string plugin = std::string(WARREN_TEST_FIXTURE_DIR) + "/ai_probe.so";
  std::vector<std::string> argv = {std::string(WARREN_TEST_BIN_DIR) + "/warren", "run"};
  for (const std::string& set :
       std::vector<std::string>{"queue.a.plugin=" + plugin, "queue.b.plugin=" + plugin,
                                "queue.b.ai.provider=claude", "queue.b.ai.model=claude-haiku-4-5",
                                "queue.c.plugin=" + plugin, "queue.c.ai.provider=local"}) {
    argv.insert(argv.end(), {"--set", set});
  }
  warren::test::BackgroundProcess node(argv, env);
  ASSERT_TRUE(node.waitForStderr("\"msg\":\"warren started\"", 30s)) << node.err();

  const auto url = redis::Url::parse(redis.url());
  const std::string request = textRequest("", "hello node");
  std::map<std::string, std::optional<queue::JobView>> finished;
  for (const char* q : {"a", "b", "c"}) {
    queue::Producer producer(url, {}, "bull", q);
    const std::string id = producer.add("ask", request, "{}");
    finished[q] = waitFinished(producer, id);
    ASSERT_TRUE(finished[q]) << q;
  }
  ASSERT_EQ(finished["a"]->state, "completed") << finished["a"]->failedReason.value_or("");
  const Json a = Json::parse(*finished["a"]->returnvalue);
  EXPECT_EQ(a["provider"], "openai");
  EXPECT_EQ(a["text"], "fake reply (openai): hello node");
  ASSERT_EQ(finished["b"]->state, "completed") << finished["b"]->failedReason.value_or("");
  EXPECT_EQ(Json::parse(*finished["b"]->returnvalue)["provider"], "claude");
  EXPECT_EQ(fake.requests("anthropic")[0]["body"]["model"], "claude-haiku-4-5");
  EXPECT_EQ(finished["c"]->state, "failed");
  EXPECT_EQ(finished["c"]->failedReason, "no AI provider configured");

  EXPECT_EQ(node.stop(SIGTERM, 30s), 0);
  const std::string output = node.out() + node.err();
  EXPECT_NE(output.find("\"msg\":\"ai call\""), std::string::npos) << output;
  for (const auto& key : {kOpenAiKey, kAnthropicKey, kGeminiKey}) {
    EXPECT_EQ(output.find(key), std::string::npos) << key;
  }
}

TEST(AiNode, ALongRateLimitDelaysTheJobWithoutHoldingItsSlot) {
  warren::test::AiFake fake;
  warren::test::RedisServer redis;
  const warren::test::TempDir data("warren-ai-node");
  auto env = warren::test::cleanEnvironment();
  for (const std::string& e : std::vector<std::string>{
           "REDIS_URL=" + redis.url(), "WARREN_DATA_DIR=" + data.path().string(),
           "AI_PROVIDER=openai", "OPENAI_API_KEY=" + kOpenAiKey,
           "OPENAI_BASE_URL=" + fake.openaiBaseUrl()}) {
    env.push_back(e);
  }
  const std::string plugin = std::string(WARREN_TEST_FIXTURE_DIR) + "/ai_probe.so";
  // One slot, and any hint over 100 ms delays the job instead of waiting in it.
  warren::test::BackgroundProcess node(
      {std::string(WARREN_TEST_BIN_DIR) + "/warren", "run", "--plugin", plugin, "--queue", "q",
       "--concurrency", "1", "--set", "ai.max_inline_wait_ms=100"},
      env);
  ASSERT_TRUE(node.waitForStderr("\"msg\":\"warren started\"", 30s)) << node.err();
  queue::Producer producer(redis::Url::parse(redis.url()), {}, "bull", "q");
  const auto added = Clock::now();
  const std::string limited = producer.add("ask", textRequest("fake-429-after-3", "limited"), "{}");
  // While the first job waits out its 3 s hint in the delayed set, the slot serves the next one.
  std::this_thread::sleep_for(300ms);
  const std::string next = producer.add("ask", textRequest("", "next"), "{}");
  const auto second = waitFinished(producer, next);
  ASSERT_TRUE(second);
  EXPECT_EQ(second->state, "completed");
  EXPECT_LT(Clock::now() - added, 2500ms) << "the second job waited for the first one's hint";
  const auto first = waitFinished(producer, limited);
  ASSERT_TRUE(first);
  ASSERT_EQ(first->state, "completed") << first->failedReason.value_or("");
  EXPECT_GE(Clock::now() - added, 2900ms);
  EXPECT_EQ(first->attemptsMade, 1) << "the delay spent an attempt";
  EXPECT_EQ(Json::parse(*first->returnvalue)["text"], "fake reply (openai): limited");
  EXPECT_EQ(node.stop(SIGTERM, 30s), 0);
}

TEST(AiNode, BadAiSettingsAreRefusedAtStartNamingTheKey) {
  const warren::test::TempDir data("warren-ai-node");
  auto env = warren::test::cleanEnvironment();
  env.push_back("WARREN_DATA_DIR=" + data.path().string());
  env.push_back("AI_PROVIDER=gemini");
  const auto refused = warren::test::run(
      {std::string(WARREN_TEST_BIN_DIR) + "/warren", "run", "--plugin", "echo", "--queue", "q"},
      env, 30s);
  EXPECT_EQ(refused.exitCode, 78);
  EXPECT_NE(
      refused.err.find("AI_PROVIDER is gemini but GEMINI_API_KEY (ai.gemini_api_key) is not set"),
      std::string::npos)
      << refused.err;
}

}  // namespace
}  // namespace warren::ai::test
