// Keys stay out of logs, errors and URLs; each call writes one log line and its metrics.
#include "AiHarness.h"

#include "StderrCapture.h"
#include "log/Log.h"

namespace warren::ai::test {
namespace {

class SecretsAndMetrics : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { AiHarness::startFake(); }
  static void TearDownTestSuite() { AiHarness::stopFake(); }
  AiHarness h_;
};

const std::vector<std::string>& keys() {
  static const std::vector<std::string> all = {kOpenAiKey, kGeminiKey,          kAnthropicKey,
                                               kCustomKey, "sk-wrong-key-5e1f", "g-wrong-key-77aa"};
  return all;
}

TEST_F(SecretsAndMetrics, NoKeyInLogsOrErrors) {
  log::configure({"warren", "test", "test"}, log::Level::debug);
  warren::test::StderrCapture capture;
  std::string errors;
  for (auto kind :
       {ProviderKind::openai, ProviderKind::custom, ProviderKind::gemini, ProviderKind::claude}) {
    h_.serve(AiHarness::settingsFor(kind));
    h_.complete(textRequest(""));
    for (const char* model : {"fake-401", "fake-429-long", "fake-refusal", "fake-503"}) {
      errors += failureOf([&] { h_.complete(textRequest(model)); }).what();
      errors += "\n";
    }
  }
  // Keys the providers reject: Gemini answers 400 API_KEY_INVALID, Anthropic 401.
  Settings wrong = AiHarness::settingsFor(ProviderKind::gemini);
  wrong.providers[ProviderKind::gemini].apiKey = "g-wrong-key-77aa";
  wrong.fallback = {ProviderKind::openai};
  wrong.providers[ProviderKind::openai].apiKey = "sk-wrong-key-5e1f";
  h_.serve(wrong);
  AiHarness::fake().script("openai", {"401"});
  const Failure rejected = failureOf([&] { h_.complete(textRequest("")); });
  EXPECT_EQ(rejected.fault(), Fault::auth);
  errors += rejected.what();
  const std::string logged = capture.finish();
  log::setLevel(log::Level::info);

  EXPECT_NE(logged.find("\"msg\":\"ai call\""), std::string::npos) << logged;
  EXPECT_NE(errors.find("gemini: HTTP 400 INVALID_ARGUMENT: API key not valid"), std::string::npos)
      << errors;
  for (const auto& key : keys()) {
    EXPECT_EQ(logged.find(key), std::string::npos) << key;
    EXPECT_EQ(errors.find(key), std::string::npos) << key;
  }
  // The log line carries who, what and how, never a body.
  EXPECT_EQ(logged.find("hello there"), std::string::npos);
}

TEST_F(SecretsAndMetrics, KeysGoOnlyInTheirHeader) {
  for (auto kind :
       {ProviderKind::openai, ProviderKind::custom, ProviderKind::gemini, ProviderKind::claude}) {
    h_.serve(AiHarness::settingsFor(kind));
    h_.complete(textRequest(""));
    if (kind != ProviderKind::claude) h_.embed(R"({"texts":["a"]})");
  }
  const Json sent = AiHarness::fake().requests();
  ASSERT_GE(sent.size(), 7u);
  const std::map<std::string, std::string> keyHeader = {
      {"openai", "authorization"}, {"gemini", "x-goog-api-key"}, {"anthropic", "x-api-key"}};
  for (const auto& request : sent) {
    const std::string provider = request["provider"];
    EXPECT_EQ(request["query"], Json::object()) << provider;
    const std::string body = request["body"].dump();
    for (const auto& key : keys()) EXPECT_EQ(body.find(key), std::string::npos) << provider;
    for (const auto& [name, value] : request["headers"].items()) {
      if (name == keyHeader.at(provider)) continue;
      for (const auto& key : keys()) {
        EXPECT_EQ(value.dump().find(key), std::string::npos) << provider << " " << name;
      }
    }
  }
}

TEST_F(SecretsAndMetrics, RequestsTokensAndDurations) {
  h_.serve(AiHarness::settingsFor(ProviderKind::openai));
  h_.complete(textRequest("fake-cached", std::string(400, 'y')));
  h_.complete(textRequest("fake-500-x1"));
  (void)failureOf([&] { h_.complete(textRequest("fake-refusal")); });
  metrics::Registry& r = h_.registry();
  const auto requests = [&](const std::string& model, const std::string& outcome) {
    return r.value("warren_ai_requests_total",
                   {{"provider", "openai"}, {"model", model}, {"outcome", outcome}});
  };
  EXPECT_EQ(requests("fake-cached", "ok"), 1);
  EXPECT_EQ(requests("fake-500-x1", "unavailable"), 1);
  EXPECT_EQ(requests("fake-500-x1", "ok"), 1);
  EXPECT_EQ(requests("fake-refusal", "refused"), 1);
  const auto tokens = [&](const std::string& kind) {
    return r.value("warren_ai_tokens_total",
                   {{"provider", "openai"}, {"model", "fake-cached"}, {"kind", kind}});
  };
  EXPECT_GT(tokens("input"), 100);
  EXPECT_GT(tokens("cached"), 0);
  EXPECT_LT(tokens("cached"), tokens("input"));
  EXPECT_GT(tokens("output"), 0);
  const std::string exposition = r.exposition();
  EXPECT_NE(exposition.find("warren_ai_request_duration_seconds_count{provider=\"openai\"} 4"),
            std::string::npos)
      << exposition;
}

}  // namespace
}  // namespace warren::ai::test
