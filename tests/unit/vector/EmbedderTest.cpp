// The Embedder against a host table whose AI service is a function of the test: the request it
// sends (docs/ai.md), batching, the offline fallbacks, and readable refusals of malformed
// replies (a wrong vector count, empty vectors, dimension counts that disagree).
#include "vector/Codec.h"
#include "vector/Embedder.h"

#include "job/Failure.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

namespace common::vector {
namespace {

// The AI service of the fake host: `reply` answers each embed request.
struct FakeAi {
  bool available = true;
  std::vector<Json> requests;
  std::function<warren_status(const Json& request, std::string& response, warren_ai_error& error)>
      reply;
};
FakeAi* g_ai = nullptr;

void fill(warren_buffer* buffer, const std::string& text) {
  buffer->data = static_cast<char*>(std::malloc(text.size() + 1));
  std::memcpy(buffer->data, text.c_str(), text.size() + 1);
  buffer->len = text.size();
}
void bufferFree(warren_buffer* buffer) {
  std::free(buffer->data);
  buffer->data = nullptr;
  buffer->len = 0;
}
int aiAvailable(const warren_host*, uint32_t capability) {
  return g_ai->available && capability == WARREN_AI_EMBED ? 1 : 0;
}
warren_status aiComplete(const warren_host*, const warren_job*, const char*, size_t, warren_buffer*,
                         warren_ai_error*) {
  return WARREN_ERR_INVALID;
}
warren_status aiEmbed(const warren_host*, const warren_job*, const char* request, size_t len,
                      warren_buffer* response, warren_ai_error* error) {
  const Json parsed = Json::parse(std::string(request, len));
  g_ai->requests.push_back(parsed);
  std::string body;
  const warren_status status = g_ai->reply(parsed, body, *error);
  if (status == WARREN_OK) fill(response, body);
  return status;
}

const warren_ai_api kAi = {sizeof(warren_ai_api), aiAvailable, aiComplete, aiEmbed};

class EmbedderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    g_ai = &ai_;
    api_.struct_size = sizeof(warren_host_api);
    api_.abi_major = WARREN_ABI_MAJOR;
    api_.abi_minor = WARREN_ABI_MINOR;
    api_.buffer_free = bufferFree;
    api_.ai = &kAi;
  }
  void TearDown() override { g_ai = nullptr; }

  warren::Host host() const { return warren::Host(&api_, nullptr); }
  Embedder embedder(EmbedderOptions options = {}) const { return Embedder(host(), options); }

  // A reply of unit vectors of `dims` values for every text of the request.
  static warren_status replyWith(const Json& request, std::string& out, std::size_t dims) {
    Json vectors = Json::array();
    for (std::size_t i = 0; i < request["texts"].size(); ++i) {
      Vector v(dims, 0.0f);
      v[i % dims] = 2.0f;  // not unit length: the Embedder normalises
      vectors.push_back(encodeFloat32(v));
    }
    out = Json{{"vectors", vectors},   {"encoding", "base64"},
               {"provider", "openai"}, {"model", "text-embedding-3-small"},
               {"dimensions", dims},   {"usage", {{"input_tokens", 5}}},
               {"latency_ms", 3}}
              .dump();
    return WARREN_OK;
  }

  template <typename Fn>
  static std::string refusal(Fn&& fn) {
    try {
      fn();
    } catch (const job::Unrecoverable& e) {
      return e.what();
    }
    return "no refusal";
  }

  warren_host_api api_{};
  FakeAi ai_;
};

TEST_F(EmbedderTest, AsksTheAiServiceAndNormalises) {
  ai_.reply = [](const Json& request, std::string& out, warren_ai_error&) {
    return replyWith(request, out, 4);
  };
  EmbedderOptions options;
  options.model = "text-embedding-3-small";
  options.dimensions = 4;
  const Embeddings e = embedder(options).embed(nullptr, {"one", "two", "three"});
  EXPECT_EQ(e.provider, "openai");
  EXPECT_EQ(e.model, "text-embedding-3-small");
  EXPECT_EQ(e.dimensions, 4u);
  ASSERT_EQ(e.vectors.size(), 3u);
  EXPECT_FLOAT_EQ(e.vectors[0][0], 1.0f);
  EXPECT_FLOAT_EQ(e.vectors[2][2], 1.0f);
  EXPECT_EQ(e.inputTokens, 5);
  ASSERT_EQ(ai_.requests.size(), 1u);  // one call: the host splits by the provider's limits
  EXPECT_EQ(ai_.requests[0], (Json{{"texts", {"one", "two", "three"}},
                                   {"task", "document"},
                                   {"encoding", "base64"},
                                   {"model", "text-embedding-3-small"},
                                   {"dimensions", 4}}));
}

TEST_F(EmbedderTest, ReadsVectorsSentAsNumbers) {
  ai_.reply = [](const Json&, std::string& out, warren_ai_error&) {
    out = R"({"vectors":[[0,3,4]],"encoding":"float","provider":"p","model":"m","dimensions":3})";
    return WARREN_OK;
  };
  const Embeddings e = embedder().embed(nullptr, {"x"});
  EXPECT_EQ(e.vectors[0], (Vector{0.0f, 0.6f, 0.8f}));
  EXPECT_TRUE(ai_.requests[0].find("model") == ai_.requests[0].end());  // the host's default
}

TEST_F(EmbedderTest, FallsBackToTheOfflineModel) {
  ai_.available = false;
  EXPECT_EQ(embedder().embed(nullptr, {"x"}).model, "warren-hash-1");
  ai_.available = true;
  ai_.reply = [](const Json&, std::string&, warren_ai_error&) { return WARREN_ERR_NOT_FOUND; };
  const Embeddings e = embedder().embed(nullptr, {"x"});  // the provider went away meanwhile
  EXPECT_EQ(e.provider, "offline");
  EXPECT_EQ(e.dimensions, 512u);
  // Asked by name, the offline model is used even with a provider.
  EXPECT_EQ(embedder().embed(nullptr, {"x"}, std::string("warren-hash-1")).model, "warren-hash-1");
  EXPECT_EQ(ai_.requests.size(), 1u);
  api_.struct_size = offsetof(warren_host_api, ai);  // an older host: no AI service at all
  EXPECT_EQ(embedder().embed(nullptr, {"x"}).provider, "offline");
}

TEST_F(EmbedderTest, ANamedModelWithoutAProviderIsRefused) {
  ai_.available = false;
  EXPECT_EQ(
      refusal([&] { embedder().embed(nullptr, {"x"}, std::string("text-embedding-3-large")); }),
      "model 'text-embedding-3-large' needs an AI provider, and none is configured for "
      "embeddings (the offline model is warren-hash-1)");
}

TEST_F(EmbedderTest, AiErrorsReachTheCallerWithTheirRetryTime) {
  ai_.reply = [](const Json&, std::string&, warren_ai_error& error) {
    fill(&error.message, "openai: rate limited (429), retry after 20 s");
    error.retryable = 1;
    error.retry_at_ms = 1800000000000;
    return WARREN_ERR_RETRY_LATER;
  };
  try {
    embedder().embed(nullptr, {"x"});
    FAIL() << "expected an AiError";
  } catch (const warren::AiError& e) {
    EXPECT_EQ(e.code(), WARREN_ERR_RETRY_LATER);
    EXPECT_EQ(e.retryAtMs(), 1800000000000);
    EXPECT_STREQ(e.what(), "openai: rate limited (429), retry after 20 s");
  }
}

TEST_F(EmbedderTest, MalformedRepliesAreRefusedWithTheReason) {
  const auto with = [&](const std::string& body, EmbedderOptions options = {}) {
    ai_.reply = [body](const Json&, std::string& out, warren_ai_error&) {
      out = body;
      return WARREN_OK;
    };
    return refusal([&] { embedder(options).embed(nullptr, {"a", "b"}); });
  };
  const std::string one = encodeFloat32({1, 0, 0, 0});
  EXPECT_EQ(with(R"({"vectors":[")" + one + R"("],"model":"m","dimensions":4})"),
            "the AI service's embeddings are unusable: the reply has 1 vectors for 2 texts");
  EXPECT_EQ(with(R"({"vectors":[")" + one + R"(",""],"model":"m"})"),
            "the AI service's embeddings are unusable: vector 1 is empty");
  EXPECT_EQ(with(R"({"vectors":[[],[1]],"encoding":"float","model":"m"})"),
            "the AI service's embeddings are unusable: vector 0 is empty");
  EXPECT_EQ(with(R"({"vectors":[")" + one + R"(",")" + one + R"("],"model":"m","dimensions":768})"),
            "the AI service's embeddings are unusable: vector 0 has 4 values, the reply says 768 "
            "dimensions");
  EXPECT_EQ(
      with(R"({"vectors":[")" + one + R"(",")" + encodeFloat32({1, 0, 0}) + R"("],"model":"m"})"),
      "the AI service's embeddings are unusable: vector 1 has 3 values, vector 0 has 4");
  EmbedderOptions asked;
  asked.dimensions = 8;
  EXPECT_EQ(with(R"({"vectors":[")" + one + R"(",")" + one + R"("],"model":"m"})", asked),
            "the AI service's embeddings are unusable: vector 0 has 4 values, 8 were asked for");
  EXPECT_EQ(with(R"({"vectors":[")" + encodeFloat32({0, 0, 0, 0}) + R"(",")" + one +
                 R"("],"model":"m"})"),
            "the AI service's embeddings are unusable: vector 0: the vector is all zeros");
  EXPECT_EQ(
      with(R"({"vectors":["abc!",")" + one + R"("],"model":"m"})"),
      "the AI service's embeddings are unusable: vector 0: base64 text has an invalid character");
  EXPECT_EQ(with(R"({"vectors":[")" + one + R"(",")" + one + R"("]})"),
            "the AI service's embeddings are unusable: the reply names no model");
  EXPECT_EQ(with(R"({"model":"m"})"),
            "the AI service's embeddings are unusable: the reply has no vectors array");
}

TEST_F(EmbedderTest, BlankTextsAreRefusedBeforeAnyCall) {
  ai_.reply = [](const Json& request, std::string& out, warren_ai_error&) {
    return replyWith(request, out, 4);
  };
  EXPECT_EQ(refusal([&] { embedder().embed(nullptr, {"fine", " \n"}); }), "text 1 is empty");
  EXPECT_EQ(refusal([&] { embedder().embed(nullptr, {}); }), "no texts to embed");
  EXPECT_TRUE(ai_.requests.empty());
}

}  // namespace
}  // namespace common::vector
