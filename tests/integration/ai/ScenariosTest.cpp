// Completions against the providers' fake, for each provider: what is sent, what comes back,
// and every fault scenario of tests/fakes/README.md.
#include "AiHarness.h"

#include "ai/Base64.h"
#include "json/Schema.h"

#include <thread>

namespace warren::ai::test {
namespace {

class Scenarios : public ::testing::TestWithParam<ProviderKind> {
 protected:
  static void SetUpTestSuite() { AiHarness::startFake(); }
  static void TearDownTestSuite() { AiHarness::stopFake(); }
  void SetUp() override { h_.emplace().serve(AiHarness::settingsFor(kind())); }

  ProviderKind kind() const { return GetParam(); }
  std::string name() const { return std::string(providerName(kind())); }
  Json sent() { return AiHarness::fake().requests(fakeName(kind())); }
  // Requests the fake saw for `model` (Gemini's is in the URL).
  std::size_t sentFor(const std::string& model) {
    std::size_t n = 0;
    for (const auto& r : sent()) {
      const std::string path = r["path"];
      if ((r["body"].is_object() && r["body"].value("model", "") == model) ||
          path.find("/" + model + ":") != std::string::npos)
        ++n;
    }
    return n;
  }
  Json complete(const std::string& request) { return h_->complete(request); }
  Failure failure(const std::string& request) {
    return failureOf([&] { h_->complete(request); });
  }

  std::optional<AiHarness> h_;
};

std::string kindName(const ::testing::TestParamInfo<ProviderKind>& param) {
  return std::string(providerName(param.param));
}

INSTANTIATE_TEST_SUITE_P(Providers, Scenarios,
                         ::testing::Values(ProviderKind::openai, ProviderKind::custom,
                                           ProviderKind::gemini, ProviderKind::claude),
                         kindName);

TEST_P(Scenarios, TextCompletion) {
  const Json r = complete(textRequest(""));
  EXPECT_EQ(r["text"], "fake reply (" + fakeName(kind()) + "): hello there");
  EXPECT_EQ(r["provider"], name());
  const std::string model = r["model"];
  EXPECT_EQ(model.rfind(h_->service().settings().of(kind()).model, 0), 0u) << model;
  EXPECT_EQ(r["finish_reason"], "stop");
  EXPECT_GT(r["usage"]["input_tokens"].get<int>(), 0);
  EXPECT_GT(r["usage"]["output_tokens"].get<int>(), 0);
  EXPECT_EQ(r["usage"]["cached_tokens"], 0);
  EXPECT_EQ(r["attempts"], 1);
  EXPECT_EQ(r["repaired"], false);
  EXPECT_GE(r["latency_ms"].get<int>(), 0);
  EXPECT_FALSE(r.contains("json"));

  const Json requests = sent();
  ASSERT_EQ(requests.size(), 1u);
  const Json& headers = requests[0]["headers"];
  const Json& body = requests[0]["body"];
  EXPECT_EQ(requests[0]["query"], Json::object());  // never a key in the URL
  switch (kind()) {
    case ProviderKind::openai:
      EXPECT_EQ(headers["authorization"], "Bearer " + kOpenAiKey);
      EXPECT_EQ(body["messages"][0]["role"], "system");
      EXPECT_EQ(body["messages"][0]["content"], "You answer briefly.");
      EXPECT_EQ(body["max_completion_tokens"], 200);
      break;
    case ProviderKind::custom:
      EXPECT_EQ(headers["authorization"], "Bearer " + kCustomKey);
      EXPECT_EQ(body["max_tokens"], 200);
      break;
    case ProviderKind::gemini:
      EXPECT_EQ(headers["x-goog-api-key"], kGeminiKey);
      EXPECT_FALSE(headers.contains("authorization"));
      EXPECT_EQ(body["systemInstruction"]["parts"][0]["text"], "You answer briefly.");
      EXPECT_EQ(body["generationConfig"]["maxOutputTokens"], 200);
      break;
    case ProviderKind::claude:
      EXPECT_EQ(headers["x-api-key"], kAnthropicKey);
      EXPECT_EQ(headers["anthropic-version"], "2023-06-01");
      EXPECT_FALSE(headers.contains("authorization"));
      EXPECT_EQ(body["system"], "You answer briefly.");
      EXPECT_EQ(body["max_tokens"], 200);
      break;
  }
}

TEST_P(Scenarios, CachedTokensAreCountedInsideInput) {
  const Json r = complete(textRequest("fake-cached", std::string(400, 'x')));
  const int input = r["usage"]["input_tokens"];
  const int cached = r["usage"]["cached_tokens"];
  EXPECT_GT(cached, 0);
  EXPECT_GE(input, 100);  // 400 characters: the cached half is not subtracted (Anthropic's way)
  EXPECT_LT(cached, input);
}

TEST_P(Scenarios, StructuredOutputTheProvidersWay) {
  const Json r = complete(textRequest(
      "", "Analyse this.",
      std::string(R"({"schema_name":"analysis","json_schema":)") + kAnalysisSchema + "}"));
  ASSERT_TRUE(r.contains("json"));
  EXPECT_EQ(r["text"], r["json"].dump());
  EXPECT_EQ(json::Schema::compile(kAnalysisSchema).validate(r["text"].get<std::string>()),
            std::nullopt);
  EXPECT_TRUE(r["json"]["summary"].is_string());
  EXPECT_EQ(r["repaired"], false);

  const Json body = sent()[0]["body"];
  switch (kind()) {
    case ProviderKind::openai:
    case ProviderKind::custom: {
      const Json& format = body["response_format"];
      EXPECT_EQ(format["type"], "json_schema");
      EXPECT_EQ(format["json_schema"]["name"], "analysis");
      EXPECT_EQ(format["json_schema"]["strict"], true);
      EXPECT_EQ(format["json_schema"]["schema"]["required"].size(), 4u);
      break;
    }
    case ProviderKind::gemini: {
      const Json& config = body["generationConfig"];
      EXPECT_EQ(config["responseMimeType"], "application/json");
      EXPECT_EQ(config["responseSchema"]["type"], "OBJECT");
      EXPECT_EQ(config["responseSchema"].dump().find("additionalProperties"), std::string::npos);
      break;
    }
    case ProviderKind::claude:
      EXPECT_EQ(body["tool_choice"]["type"], "tool");
      EXPECT_EQ(body["tool_choice"]["name"], "analysis");
      EXPECT_EQ(nlohmann::json::parse(body["tools"][0]["input_schema"].dump()),
                nlohmann::json::parse(kAnalysisSchema));
      break;
  }
}

TEST_P(Scenarios, VisionFromInlineDataAFileAndAUrl) {
  const auto file = h_->dir() / "a.png";
  const auto png = base64Decode(kPngBase64);
  ASSERT_TRUE(png);
  warren::test::writeFile(file, *png);
  Json request = {{"messages",
                   {{{"role", "user"},
                     {"content",
                      {{{"type", "text"}, {"text", "Describe these."}},
                       {{"type", "image"}, {"data", kPngBase64}, {"media_type", "image/png"}},
                       {{"type", "image"}, {"url", AiHarness::fake().imageUrl("jpeg")}},
                       {{"type", "image"}, {"file", file.string()}}}}}}}};
  const Json r = complete(request.dump());
  EXPECT_EQ(r["text"], "fake reply (" + fakeName(kind()) +
                           "): Describe these.; images: image/png(70 B), image/jpeg(225 B), "
                           "image/png(70 B)");
  const Json body = sent()[0]["body"];
  switch (kind()) {
    case ProviderKind::openai:
    case ProviderKind::custom:
      EXPECT_EQ(body["messages"][0]["content"][1]["image_url"]["url"],
                std::string("data:image/png;base64,") + kPngBase64);
      break;
    case ProviderKind::gemini:
      EXPECT_EQ(body["contents"][0]["parts"][1]["inlineData"]["mimeType"], "image/png");
      EXPECT_EQ(body["contents"][0]["parts"][1]["inlineData"]["data"], kPngBase64);
      break;
    case ProviderKind::claude:
      EXPECT_EQ(body["messages"][0]["content"][1]["source"]["type"], "base64");
      EXPECT_EQ(body["messages"][0]["content"][1]["source"]["media_type"], "image/png");
      EXPECT_EQ(body["messages"][0]["content"][1]["source"]["data"], kPngBase64);
      break;
  }
  // The image was fetched without any provider's key.
  const Json fetches = AiHarness::fake().requests("image");
  ASSERT_EQ(fetches.size(), 1u);
  for (const char* header : {"authorization", "x-api-key", "x-goog-api-key"}) {
    EXPECT_FALSE(fetches[0]["headers"].contains(header)) << header;
  }
}

TEST_P(Scenarios, OptionalPropertiesLeftOutOrNullComeBackAsTheSchemaMeansThem) {
  // Strict mode makes the model write null for optional properties; the reply has none of them.
  AiHarness::fake().reply(fakeName(kind()),
                          R"({"summary":"s","tone":null,"topics":["a"],"media":null})");
  const Json r = complete(
      textRequest("", "Analyse.", std::string(R"({"json_schema":)") + kAnalysisSchema + "}"));
  if (kind() == ProviderKind::openai || kind() == ProviderKind::custom) {
    EXPECT_EQ(r["json"].dump(), R"({"summary":"s","topics":["a"]})");
    EXPECT_EQ(r["repaired"], false);
  } else {
    // Gemini and Anthropic were not told to write nulls: a null is a schema failure, repaired.
    EXPECT_EQ(r["repaired"], true);
  }
}

TEST_P(Scenarios, ASchemaFailureIsRepairedOnce) {
  const Json r = complete(textRequest("fake-json-bad", "Analyse.",
                                      std::string(R"({"json_schema":)") + kAnalysisSchema + "}"));
  EXPECT_EQ(r["repaired"], true);
  EXPECT_EQ(r["attempts"], 2);
  EXPECT_EQ(json::Schema::compile(kAnalysisSchema).validate(r["text"].get<std::string>()),
            std::nullopt);
  const Json requests = sent();
  ASSERT_EQ(requests.size(), 2u);
  const std::string second = requests[1]["body"].dump();
  EXPECT_NE(second.find("does not satisfy the required JSON Schema: /summary"), std::string::npos)
      << second;
  EXPECT_NE(
      second.find(kind() == ProviderKind::gemini ? R"("role":"model")" : R"("role":"assistant")"),
      std::string::npos);
}

TEST_P(Scenarios, ReplyThatIsNotJsonIsRepaired) {
  const Json r = complete(textRequest("fake-not-json", "Analyse.",
                                      std::string(R"({"json_schema":)") + kAnalysisSchema + "}"));
  EXPECT_EQ(r["repaired"], true);
  EXPECT_NE(sent()[1]["body"].dump().find("the reply is not valid JSON"), std::string::npos);
}

TEST_P(Scenarios, ASecondSchemaFailureIsInvalidWithTheValidationError) {
  const Failure f = failure(textRequest("fake-json-bad-always", "Analyse.",
                                        std::string(R"({"json_schema":)") + kAnalysisSchema + "}"));
  EXPECT_EQ(f.fault(), Fault::invalid);
  EXPECT_EQ(statusOf(f.fault()), WARREN_ERR_INVALID);
  EXPECT_EQ(std::string(f.what()), name() +
                                       ": the reply does not satisfy json_schema after one repair "
                                       "attempt: /summary: expected a string; /: missing required "
                                       "property 'topics'");
  EXPECT_EQ(sent().size(), 2u);
}

TEST_P(Scenarios, ContentPolicyRefusalsAreRefusedNamingTheProvider) {
  for (const char* model : {"fake-refusal", "fake-filter"}) {
    const Failure f = failure(textRequest(model));
    EXPECT_EQ(statusOf(f.fault()), WARREN_ERR_REFUSED) << model;
    EXPECT_FALSE(retryable(f.fault()));
    EXPECT_EQ(std::string(f.what()).rfind(name() + " ", 0), 0u) << f.what();
    EXPECT_EQ(sentFor(model), 1u) << model;  // never retried
  }
}

TEST_P(Scenarios, TruncatedRepliesAreRefusedNotReturned) {
  const Failure f = failure(textRequest("fake-truncated"));
  EXPECT_EQ(f.fault(), Fault::truncated);
  EXPECT_EQ(statusOf(f.fault()), WARREN_ERR_REFUSED);
  EXPECT_NE(std::string(f.what()).find("raise max_tokens"), std::string::npos) << f.what();
  EXPECT_EQ(std::string(f.what()).rfind(name() + " cut the reply", 0), 0u) << f.what();
}

TEST_P(Scenarios, ShortHintsAreWaitedInPlace) {
  // The hint kinds each provider's fake sends (Gemini's RetryInfo only on Gemini).
  std::vector<std::pair<std::string, int>> hints = {{"fake-429-ms-300", 300},
                                                    {"fake-429-after-1", 1000}};
  if (kind() == ProviderKind::gemini) hints.emplace_back("fake-429-delay-1", 1000);
  if (kind() != ProviderKind::gemini) hints.emplace_back("fake-429-reset-1", 1000);
  if (kind() == ProviderKind::openai) hints.emplace_back("fake-429-date-2", 1000);
  for (const auto& [model, waitMs] : hints) {
    const auto started = Clock::now();
    const Json r = complete(textRequest(model));
    const auto elapsed =
        std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started);
    EXPECT_EQ(r["attempts"], 2) << model;
    EXPECT_EQ(sentFor(model), 2u) << model;
    EXPECT_GE(elapsed.count(), waitMs - 50) << model;
  }
}

TEST_P(Scenarios, ALongHintDelaysTheJobInsteadOfWaiting) {
  const auto started = Clock::now();
  const std::int64_t before = nowMs();
  const Failure f = failure(textRequest("fake-429-long"));
  EXPECT_LT(Clock::now() - started, 2s);
  EXPECT_EQ(statusOf(f.fault()), WARREN_ERR_RETRY_LATER);
  EXPECT_TRUE(retryable(f.fault()));
  EXPECT_GE(f.retryAtMs(), before + 29000);
  EXPECT_LE(f.retryAtMs(), nowMs() + 31000);
  EXPECT_NE(std::string(f.what()).find("more than ai.max_inline_wait_ms"), std::string::npos);
  EXPECT_EQ(sentFor("fake-429-long"), 1u);
}

TEST_P(Scenarios, RateLimitedWithoutAHintIsRetriedThenUnavailable) {
  const Failure f = failure(textRequest("fake-429-none"));
  EXPECT_EQ(statusOf(f.fault()), WARREN_ERR_UNAVAILABLE);
  EXPECT_NE(std::string(f.what()).find("rate limited, no retry hint"), std::string::npos);
  EXPECT_EQ(sentFor("fake-429-none"), 3u);
}

TEST_P(Scenarios, ServerErrorsAreRetried) {
  EXPECT_EQ(complete(textRequest("fake-500-x1"))["attempts"], 2);
  EXPECT_EQ(complete(textRequest("fake-408-x1"))["attempts"], 2);
  EXPECT_EQ(complete(textRequest("fake-409-x2"))["attempts"], 3);
  for (const char* model : {"fake-503", "fake-529"}) {
    const Failure f = failure(textRequest(model));
    EXPECT_EQ(statusOf(f.fault()), WARREN_ERR_UNAVAILABLE) << model;
    EXPECT_TRUE(retryable(f.fault()));
    EXPECT_NE(std::string(f.what()).find("(3 attempts)"), std::string::npos) << f.what();
    EXPECT_EQ(sentFor(model), 3u) << model;
  }
}

TEST_P(Scenarios, ShouldRetryFalseIsObeyed) {
  const Failure f = failure(textRequest("fake-500-noretry"));
  EXPECT_EQ(f.fault(), Fault::unavailable);
  EXPECT_EQ(sentFor("fake-500-noretry"), 1u);
}

TEST_P(Scenarios, AnExhaustedQuotaIsRefusedAndNotRetried) {
  const Failure f = failure(textRequest("fake-quota"));
  EXPECT_EQ(f.fault(), Fault::quota);
  EXPECT_EQ(statusOf(f.fault()), WARREN_ERR_REFUSED);
  EXPECT_EQ(sentFor("fake-quota"), 1u);
}

TEST_P(Scenarios, ARejectedKeyIsRefused) {
  const Failure f = failure(textRequest("fake-401"));
  EXPECT_EQ(f.fault(), Fault::auth);
  EXPECT_EQ(statusOf(f.fault()), WARREN_ERR_REFUSED);
  EXPECT_EQ(sentFor("fake-401"), 1u);
}

TEST_P(Scenarios, AMalformedBodyIsABadReply) {
  const Failure f = failure(textRequest("fake-malformed-body"));
  EXPECT_EQ(f.fault(), Fault::badReply);
  EXPECT_EQ(statusOf(f.fault()), WARREN_ERR_UNAVAILABLE);
  EXPECT_TRUE(retryable(f.fault()));
  EXPECT_EQ(std::string(f.what()).rfind(name() + " sent a body that is not JSON (HTTP 200", 0), 0u)
      << f.what();
}

TEST_P(Scenarios, ASlowReplyPastTheTimeoutTimesOut) {
  const auto started = Clock::now();
  const Failure f = failure(textRequest("fake-slow-3000", "hi", R"({"timeout_ms":300})"));
  EXPECT_EQ(f.fault(), Fault::timeout);
  EXPECT_EQ(statusOf(f.fault()), WARREN_ERR_TIMEOUT);
  EXPECT_LT(Clock::now() - started, 1500ms);
}

TEST_P(Scenarios, ABadRequestIsInvalidAndNotRetried) {
  const Failure f = failure(textRequest("fake-400"));
  EXPECT_EQ(f.fault(), Fault::invalid);
  EXPECT_EQ(sentFor("fake-400"), 1u);
}

}  // namespace
}  // namespace warren::ai::test
