// Embeddings against the fake for each provider that has them: order, unit length, batches split
// to the providers' limits, encodings, and replies that cannot be used.
#include "AiHarness.h"

#include "ai/Base64.h"

#include <cmath>
#include <cstring>

namespace warren::ai::test {
namespace {

std::vector<float> decode(const Json& vector) {
  if (vector.is_array()) return vector.get<std::vector<float>>();
  const auto bytes = base64Decode(vector.get<std::string>());
  std::vector<float> out(bytes->size() / 4);
  std::memcpy(out.data(), bytes->data(), bytes->size());
  return out;
}

double norm(const std::vector<float>& v) {
  double sum = 0;
  for (float x : v) sum += static_cast<double>(x) * x;
  return std::sqrt(sum);
}

std::string embedRequest(const std::vector<std::string>& texts, const std::string& extra = "") {
  Json request = {{"texts", texts}};
  if (!extra.empty()) {
    const Json fields = Json::parse(extra);
    for (const auto& [k, v] : fields.items()) request[k] = v;
  }
  return request.dump();
}

std::string kindName(const ::testing::TestParamInfo<ProviderKind>& param) {
  return std::string(providerName(param.param));
}

class Embeddings : public ::testing::TestWithParam<ProviderKind> {
 protected:
  static void SetUpTestSuite() { AiHarness::startFake(); }
  static void TearDownTestSuite() { AiHarness::stopFake(); }
  void SetUp() override { h_.emplace().serve(AiHarness::settingsFor(GetParam())); }
  Json sent() { return AiHarness::fake().requests(fakeName(GetParam())); }
  std::optional<AiHarness> h_;
};

INSTANTIATE_TEST_SUITE_P(Providers, Embeddings,
                         ::testing::Values(ProviderKind::openai, ProviderKind::custom,
                                           ProviderKind::gemini),
                         kindName);

TEST_P(Embeddings, OneUnitVectorPerTextInOrder) {
  const Json r = h_->embed(embedRequest({"alpha", "beta", "alpha"}));
  EXPECT_EQ(r["encoding"], "base64");
  EXPECT_EQ(r["provider"], std::string(providerName(GetParam())));
  EXPECT_EQ(r["model"], h_->service().settings().of(GetParam()).embeddingModel);
  const std::size_t dims = GetParam() == ProviderKind::gemini ? 3072 : 1536;
  EXPECT_EQ(r["dimensions"], dims);
  EXPECT_GT(r["usage"]["input_tokens"].get<int>(), 0);
  EXPECT_EQ(r["attempts"], 1);
  ASSERT_EQ(r["vectors"].size(), 3u);
  const auto a = decode(r["vectors"][0]);
  const auto b = decode(r["vectors"][1]);
  EXPECT_EQ(a.size(), dims);
  EXPECT_NEAR(norm(a), 1.0, 1e-5);
  EXPECT_NEAR(norm(b), 1.0, 1e-5);
  EXPECT_EQ(a, decode(r["vectors"][2]));
  EXPECT_NE(a, b);
  const Json body = sent()[0]["body"];
  if (GetParam() == ProviderKind::gemini) {
    EXPECT_EQ(body["requests"][0]["taskType"], "RETRIEVAL_DOCUMENT");
  } else {
    EXPECT_EQ(body["encoding_format"], GetParam() == ProviderKind::custom ? "float" : "base64");
  }
}

TEST_P(Embeddings, AskedDimensionsAsFloatArrays) {
  const Json r = h_->embed(
      embedRequest({"one", "two"}, R"({"dimensions":256,"encoding":"float","task":"query"})"));
  EXPECT_EQ(r["encoding"], "float");
  EXPECT_EQ(r["dimensions"], 256);
  ASSERT_TRUE(r["vectors"][1].is_array());
  EXPECT_EQ(r["vectors"][1].size(), 256u);
  EXPECT_NEAR(norm(decode(r["vectors"][1])), 1.0, 1e-5);
  const Json body = sent()[0]["body"];
  if (GetParam() == ProviderKind::gemini) {
    EXPECT_EQ(body["requests"][0]["outputDimensionality"], 256);
    EXPECT_EQ(body["requests"][0]["taskType"], "RETRIEVAL_QUERY");
  } else {
    EXPECT_EQ(body["dimensions"], 256);
  }
}

TEST_P(Embeddings, BatchesAreSplitToTheProvidersLimitAndKeepTheOrder) {
  const bool gemini = GetParam() == ProviderKind::gemini;
  const std::size_t count = gemini ? 250 : 2100;
  std::vector<std::string> texts;
  for (std::size_t i = 0; i < count; ++i) texts.push_back("text number " + std::to_string(i));
  const Json r = h_->embed(embedRequest(texts, R"({"dimensions":8})"));
  ASSERT_EQ(r["vectors"].size(), count);
  const Json requests = sent();
  std::vector<std::size_t> sizes;
  for (const auto& q : requests) {
    sizes.push_back(gemini ? q["body"]["requests"].size() : q["body"]["input"].size());
  }
  EXPECT_EQ(sizes, gemini ? (std::vector<std::size_t>{100, 100, 50})
                          : (std::vector<std::size_t>{2048, 52}));
  EXPECT_EQ(r["attempts"], sizes.size());
  for (std::size_t i : {std::size_t{0}, std::size_t{101}, count - 1}) {
    const Json alone = h_->embed(embedRequest({texts[i]}, R"({"dimensions":8})"));
    EXPECT_EQ(decode(alone["vectors"][0]), decode(r["vectors"][i])) << i;
  }
}

TEST_P(Embeddings, UnusableVectorsFailClearly) {
  const auto failure = [&](const std::string& model, const std::string& extra = "") {
    Json request = Json::parse(embedRequest({"a", "b"}, extra));
    request["model"] = model;
    return failureOf([&] { h_->embed(request.dump()); });
  };
  const std::string name(providerName(GetParam()));
  const Failure empty = failure("fake-empty-vectors");
  EXPECT_EQ(statusOf(empty.fault()), WARREN_ERR_INVALID);
  EXPECT_FALSE(retryable(empty.fault()));
  EXPECT_EQ(std::string(empty.what()),
            name +
                " (model fake-empty-vectors) returned an empty vector (is the server serving "
                "an embedding model?) for texts[0]");
  const Failure shortBatch = failure("fake-short-batch");
  EXPECT_EQ(std::string(shortBatch.what()), name + " returned 1 embeddings for 2 texts");
  const Failure dims = failure("fake-wrong-dims", R"({"dimensions":8})");
  EXPECT_EQ(
      std::string(dims.what()),
      name + " (model fake-wrong-dims) returned 9 dimensions, not the 8 asked for for texts[0]");
}

class EmbeddingRoutes : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { AiHarness::startFake(); }
  static void TearDownTestSuite() { AiHarness::stopFake(); }
  AiHarness h_;
};

TEST_F(EmbeddingRoutes, ClaudeHasNoEmbeddingsUnlessRoutedElsewhere) {
  h_.serve(AiHarness::settingsFor(ProviderKind::claude));
  EXPECT_FALSE(h_.service().available("q", WARREN_AI_EMBED));
  EXPECT_TRUE(h_.service().available("q", WARREN_AI_COMPLETE));
  EXPECT_FALSE(h_.service().available("q", WARREN_AI_COMPLETE | WARREN_AI_EMBED));
  const Failure f = failureOf([&] { h_.embed(embedRequest({"a"})); });
  EXPECT_EQ(statusOf(f.fault()), WARREN_ERR_NOT_FOUND);
  EXPECT_STREQ(f.what(),
               "claude has no embeddings endpoint; set ai.embedding_provider (openai, gemini or "
               "custom) to embed");
  Settings routed = AiHarness::settingsFor(ProviderKind::claude);
  routed.embeddingProvider = ProviderKind::gemini;
  h_.serve(routed);
  EXPECT_TRUE(h_.service().available("q", WARREN_AI_EMBED));
  EXPECT_EQ(h_.embed(embedRequest({"a"}))["provider"], "gemini");
}

TEST_F(EmbeddingRoutes, EmbeddingsNeverFallBack) {
  Settings s = AiHarness::settingsFor(ProviderKind::openai);
  s.fallback = {ProviderKind::gemini};
  h_.serve(s);
  const Failure f = failureOf([&] { h_.embed(R"({"texts":["a"],"model":"fake-503"})"); });
  EXPECT_EQ(f.fault(), Fault::unavailable);
  EXPECT_EQ(AiHarness::fake().requests("gemini").size(), 0u);
}

TEST_F(EmbeddingRoutes, ACustomServerWithoutAKeyGetsNoAuthorization) {
  Settings s = AiHarness::settingsFor(ProviderKind::custom);
  s.providers[ProviderKind::custom].apiKey = "";
  h_.serve(s);
  h_.embed(embedRequest({"a"}));
  const Json sent = AiHarness::fake().requests("openai");
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_FALSE(sent[0]["headers"].contains("authorization"));
  EXPECT_EQ(sent[0]["body"]["model"], "nomic-embed-text");
}

}  // namespace
}  // namespace warren::ai::test
