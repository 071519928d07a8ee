// The SDK's warren_ai_api table over the service: statuses, the error struct and buffers as a
// plugin sees them.
#include "AiHarness.h"

#include "ai/AiApi.h"
#include "plugins/HostApi.h"

#include <cstring>

namespace warren::ai::test {
namespace {

class ApiTable : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { AiHarness::startFake(); }
  static void TearDownTestSuite() { AiHarness::stopFake(); }
  void serve(std::optional<ProviderKind> provider) {
    table_ = aiApi(h_.serve(AiHarness::settingsFor(provider)));
  }
  warren_status complete(const std::string& request, std::string& response,
                         warren_ai_error& error) {
    warren_buffer out{};
    error = warren_ai_error{};
    error.struct_size = sizeof(warren_ai_error);
    const warren_status status =
        table_->complete(&host_, nullptr, request.data(), request.size(), &out, &error);
    response.assign(out.data == nullptr ? "" : out.data, out.len);
    plugins::hostApi()->buffer_free(&out);
    return status;
  }
  void release(warren_ai_error& error) { plugins::hostApi()->buffer_free(&error.message); }

  AiHarness h_;
  const warren_ai_api* table_ = nullptr;
  warren_host host_{nullptr};
};

TEST_F(ApiTable, ACompletionThroughTheTable) {
  serve(ProviderKind::openai);
  EXPECT_EQ(table_->struct_size, sizeof(warren_ai_api));
  EXPECT_EQ(table_->available(&host_, WARREN_AI_COMPLETE), 1);
  EXPECT_EQ(table_->available(&host_, WARREN_AI_EMBED), 1);
  EXPECT_EQ(table_->available(&host_, WARREN_AI_COMPLETE | WARREN_AI_EMBED), 1);
  EXPECT_EQ(table_->available(&host_, 0), 0);
  EXPECT_EQ(table_->available(&host_, 4), 0);
  std::string response;
  warren_ai_error error;
  ASSERT_EQ(complete(textRequest(""), response, error), WARREN_OK);
  EXPECT_EQ(Json::parse(response)["text"], "fake reply (openai): hello there");
  EXPECT_EQ(error.message.data, nullptr);
}

TEST_F(ApiTable, RetryLaterCarriesTheTime) {
  serve(ProviderKind::gemini);
  std::string response;
  warren_ai_error error;
  ASSERT_EQ(complete(textRequest("fake-429-long"), response, error), WARREN_ERR_RETRY_LATER);
  EXPECT_EQ(error.retryable, 1u);
  EXPECT_GT(error.retry_at_ms, nowMs() + 25000);
  EXPECT_NE(std::string(error.message.data).find("gemini: HTTP 429"), std::string::npos);
  EXPECT_TRUE(response.empty());
  release(error);
}

TEST_F(ApiTable, RefusedIsNotRetryable) {
  serve(ProviderKind::claude);
  std::string response;
  warren_ai_error error;
  ASSERT_EQ(complete(textRequest("fake-refusal"), response, error), WARREN_ERR_REFUSED);
  EXPECT_EQ(error.retryable, 0u);
  EXPECT_EQ(error.retry_at_ms, 0);
  EXPECT_EQ(std::string(error.message.data).rfind("claude refused", 0), 0u);
  release(error);
}

TEST_F(ApiTable, NoProviderIsNotFound) {
  serve(std::nullopt);
  EXPECT_EQ(table_->available(&host_, WARREN_AI_COMPLETE), 0);
  EXPECT_EQ(table_->available(&host_, WARREN_AI_EMBED), 0);
  std::string response;
  warren_ai_error error;
  ASSERT_EQ(complete(textRequest(""), response, error), WARREN_ERR_NOT_FOUND);
  EXPECT_STREQ(error.message.data,
               "no AI provider configured (AI_PROVIDER is unset or local): use the offline method");
  release(error);
}

TEST_F(ApiTable, ABadRequestNamesTheField) {
  serve(ProviderKind::openai);
  std::string response;
  warren_ai_error error;
  ASSERT_EQ(complete(R"({"messages":[],"x":1})", response, error), WARREN_ERR_INVALID);
  EXPECT_STREQ(error.message.data, "x: unknown field");
  release(error);
  warren_buffer out{};
  EXPECT_EQ(table_->embed(&host_, nullptr, nullptr, 0, &out, nullptr), WARREN_ERR_INVALID);
}

TEST_F(ApiTable, AnOlderErrorStructIsNotWrittenPastItsSize) {
  serve(ProviderKind::openai);
  struct {
    warren_ai_error error;
    unsigned char guard[8];
  } small;
  std::memset(&small, 0xAB, sizeof small);
  small.error.struct_size = offsetof(warren_ai_error, retry_at_ms);  // only retryable fits
  warren_buffer out{};
  const std::string request = textRequest("fake-refusal");
  EXPECT_EQ(table_->complete(&host_, nullptr, request.data(), request.size(), &out, &small.error),
            WARREN_ERR_REFUSED);
  EXPECT_EQ(small.error.retryable, 0u);
  const auto* after = reinterpret_cast<const unsigned char*>(&small.error.retry_at_ms);
  for (std::size_t i = 0; i < sizeof(std::int64_t) + sizeof(warren_buffer); ++i) {
    EXPECT_EQ(after[i], 0xAB) << i;
  }
}

}  // namespace
}  // namespace warren::ai::test
