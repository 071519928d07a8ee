// Each provider's wire mapping: the request bodies and headers sent, the replies read (usage,
// refusals, truncation), the embeddings read in input order, and what an error status means.
#include "ai/AnthropicWire.h"
#include "ai/Failure.h"
#include "ai/GeminiWire.h"
#include "ai/OpenAiWire.h"

#include <gtest/gtest.h>

#include "JsonEq.h"

namespace warren::ai {
namespace {

ProviderSettings provider(ProviderKind kind, std::string base, std::string key) {
  ProviderSettings p;
  p.kind = kind;
  p.baseUrl = std::move(base);
  p.apiKey = std::move(key);
  return p;
}

struct Fixture {
  Image png{"image/png", "iVBORw0KGgo=", 8};
  AdaptedSchema schema;
  Prompt prompt;
  Fixture() {
    prompt.system = "be brief";
    prompt.maxTokens = 100;
    prompt.temperature = 1.5;
    prompt.messages = {{"user", {PromptPart{"look"}, PromptPart{"", &png}}},
                       {"assistant", {PromptPart{"{}"}}},
                       {"user", {PromptPart{"again"}}}};
    prompt.schemaName = "analysis";
  }
};

std::string header(const HttpCall& call, const std::string& name) {
  for (const auto& [k, v] : call.headers) {
    if (k == name) return v;
  }
  return "<none>";
}

Fault faultOf(const std::function<void()>& f) {
  try {
    f();
  } catch (const Failure& e) {
    return e.fault();
  }
  return Fault::internal;
}

std::string messageOf(const std::function<void()>& f) {
  try {
    f();
  } catch (const Failure& e) {
    return e.what();
  }
  return "";
}

// ---- OpenAI ----

TEST(OpenAiWire, ChatCompletionBody) {
  Fixture f;
  f.schema =
      openAiStrictSchema(Json::parse(R"({"type":"object","properties":{"a":{"type":"string"}}})"));
  f.prompt.schema = &f.schema;
  const HttpCall call = OpenAiWire(false).completion(
      provider(ProviderKind::openai, "https://api.openai.com/v1", "sk-test"), "gpt-4o-mini",
      f.prompt);
  EXPECT_EQ(call.url, "https://api.openai.com/v1/chat/completions");
  EXPECT_EQ(header(call, "authorization"), "Bearer sk-test");
  EXPECT_JSON_EQ(Json::parse(call.body), Json::parse(R"({
    "model":"gpt-4o-mini",
    "messages":[{"role":"system","content":"be brief"},
      {"role":"user","content":[{"type":"text","text":"look"},
        {"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo="}}]},
      {"role":"assistant","content":"{}"},
      {"role":"user","content":[{"type":"text","text":"again"}]}],
    "max_completion_tokens":100,"temperature":1.5,
    "response_format":{"type":"json_schema","json_schema":{"name":"analysis","strict":true,
      "schema":{"type":"object","properties":{"a":{"type":["string","null"]}},"required":["a"],
                "additionalProperties":false}}}})"));
}

TEST(OpenAiWire, CompatibleServersGetMaxTokensAndNoKeyHeaderWithoutAKey) {
  Fixture f;
  const HttpCall call = OpenAiWire(true).completion(
      provider(ProviderKind::custom, "http://127.0.0.1:11434/v1", ""), "llama3.1:8b", f.prompt);
  EXPECT_EQ(call.url, "http://127.0.0.1:11434/v1/chat/completions");
  EXPECT_EQ(header(call, "authorization"), "<none>");
  const Json body = Json::parse(call.body);
  EXPECT_EQ(body["max_tokens"], 100);
  EXPECT_FALSE(body.contains("max_completion_tokens"));
}

TEST(OpenAiWire, ReplyUsageCountsCachedInsideInput) {
  const Completion c =
      OpenAiWire(false).parseCompletion(Json::parse(R"({"model":"gpt-4o-mini-2024-07-18",
      "choices":[{"index":0,"finish_reason":"stop","message":{"role":"assistant","content":"hi","refusal":null}}],
      "usage":{"prompt_tokens":13,"completion_tokens":5,"prompt_tokens_details":{"cached_tokens":8}}})"));
  EXPECT_EQ(c.text, "hi");
  EXPECT_EQ(c.model, "gpt-4o-mini-2024-07-18");
  EXPECT_EQ(c.usage.input, 13);
  EXPECT_EQ(c.usage.output, 5);
  EXPECT_EQ(c.usage.cached, 8);
}

TEST(OpenAiWire, RefusalFilterAndTruncation) {
  const OpenAiWire w(false);
  const auto reply = [&](const char* choice) {
    return [&w, choice] {
      w.parseCompletion(Json::parse(std::string(R"({"choices":[)") + choice + "]}"));
    };
  };
  const auto refusal =
      reply(R"({"finish_reason":"stop","message":{"content":null,"refusal":"I can't help."}})");
  EXPECT_EQ(faultOf(refusal), Fault::refused);
  EXPECT_EQ(messageOf(refusal), "openai refused: I can't help.");
  const auto filter = reply(R"({"finish_reason":"content_filter","message":{"content":null}})");
  EXPECT_EQ(faultOf(filter), Fault::refused);
  EXPECT_EQ(messageOf(filter),
            "openai withheld the reply under its content policy (finish_reason content_filter)");
  const auto cut = reply(R"({"finish_reason":"length","message":{"content":"{\"a\":"}})");
  EXPECT_EQ(faultOf(cut), Fault::truncated);
  EXPECT_EQ(messageOf(cut),
            "openai cut the reply at max_tokens (finish_reason length); raise max_tokens");
  EXPECT_JSON_EQ(faultOf([&] { w.parseCompletion(Json::parse(R"({"choices":[]})")); }),
                 Fault::badReply);
  EXPECT_EQ(faultOf(reply(R"({"finish_reason":"stop","message":{"content":null}})")),
            Fault::badReply);
}

TEST(OpenAiWire, EmbeddingsBodyAndIndexOrder) {
  const OpenAiWire w(false);
  const std::vector<std::string> texts = {"a", "b"};
  const HttpCall call = w.embeddings(provider(ProviderKind::openai, "https://x/v1", "k"),
                                     "text-embedding-3-small", texts, 256, EmbedTask::query);
  EXPECT_EQ(call.url, "https://x/v1/embeddings");
  EXPECT_JSON_EQ(Json::parse(call.body), Json::parse(R"({"model":"text-embedding-3-small",
      "input":["a","b"],"encoding_format":"base64","dimensions":256})"));
  EXPECT_JSON_EQ(Json::parse(OpenAiWire(true)
                                 .embeddings(provider(ProviderKind::custom, "h", ""), "m", texts,
                                             std::nullopt, EmbedTask::document)
                                 .body)["encoding_format"],
                 "float");
  // [1, 2] as float32 little-endian base64 is "AACAPwAAAEA=".
  const Embeddings e = w.parseEmbeddings(Json::parse(R"({"model":"text-embedding-3-small","data":[
      {"index":1,"embedding":"AACAPwAAAEA="},{"index":0,"embedding":[0.5,0.25]}],
      "usage":{"prompt_tokens":2}})"),
                                         2);
  EXPECT_EQ(e.vectors[0], (std::vector<float>{0.5f, 0.25f}));
  EXPECT_EQ(e.vectors[1], (std::vector<float>{1.0f, 2.0f}));
  EXPECT_EQ(e.inputTokens, 2);
  EXPECT_JSON_EQ(faultOf([&] {
                   w.parseEmbeddings(Json::parse(R"({"data":[{"index":0,"embedding":[1]}]})"), 2);
                 }),
                 Fault::unusableReply);
  EXPECT_JSON_EQ(faultOf([&] {
                   w.parseEmbeddings(Json::parse(R"({"data":[{"index":0,"embedding":[1]},
                  {"index":0,"embedding":[1]}]})"),
                                     2);
                 }),
                 Fault::unusableReply);
}

TEST(OpenAiWire, ErrorStatuses) {
  const OpenAiWire w(false);
  const auto body = [](const char* code) {
    return Json::parse(std::string(R"({"error":{"message":"m","type":"t","code":")") + code +
                       "\"}}");
  };
  EXPECT_EQ(w.classify(429, body("rate_limit_exceeded")).fault, Fault::rateLimited);
  EXPECT_EQ(w.classify(429, body("rate_limit_exceeded")).message,
            "HTTP 429 rate_limit_exceeded: m");
  EXPECT_EQ(w.classify(429, body("insufficient_quota")).fault, Fault::quota);
  EXPECT_EQ(w.classify(401, body("invalid_api_key")).fault, Fault::auth);
  EXPECT_EQ(w.classify(400, body("x")).fault, Fault::invalid);
  EXPECT_EQ(w.classify(404, body("model_not_found")).fault, Fault::invalid);
  EXPECT_EQ(w.classify(503, Json()).fault, Fault::unavailable);
  EXPECT_EQ(w.classify(503, Json()).message, "HTTP 503");
  EXPECT_EQ(w.classify(409, Json()).fault, Fault::unavailable);
  EXPECT_EQ(w.classify(408, Json()).fault, Fault::unavailable);
}

// ---- Gemini ----

TEST(GeminiWire, GenerateContentBodyAndKeyHeader) {
  Fixture f;
  f.schema = geminiSchema(Json::parse(
      R"({"type":"object","properties":{"a":{"type":"string"}},"additionalProperties":false})"));
  f.prompt.schema = &f.schema;
  const HttpCall call = GeminiWire().completion(
      provider(ProviderKind::gemini, "https://generativelanguage.googleapis.com", "g-key"),
      "models/gemini-2.5-flash", f.prompt);
  EXPECT_EQ(
      call.url,
      "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:generateContent");
  EXPECT_EQ(header(call, "x-goog-api-key"), "g-key");
  EXPECT_EQ(call.url.find("key="), std::string::npos);
  EXPECT_JSON_EQ(Json::parse(call.body), Json::parse(R"({
    "systemInstruction":{"parts":[{"text":"be brief"}]},
    "contents":[{"role":"user","parts":[{"text":"look"},{"inlineData":{"mimeType":"image/png","data":"iVBORw0KGgo="}}]},
      {"role":"model","parts":[{"text":"{}"}]},
      {"role":"user","parts":[{"text":"again"}]}],
    "generationConfig":{"maxOutputTokens":100,"temperature":1.5,"responseMimeType":"application/json",
      "responseSchema":{"type":"OBJECT","properties":{"a":{"type":"STRING"}},"propertyOrdering":["a"]}}})"));
}

TEST(GeminiWire, ReplySkipsThoughtsAndCountsThemAsOutput) {
  const Completion c =
      GeminiWire().parseCompletion(Json::parse(R"({"candidates":[{"content":{"role":"model",
      "parts":[{"text":"hmm","thought":true},{"text":"{\"a\":"},{"text":"1}"}]},"finishReason":"STOP"}],
      "usageMetadata":{"promptTokenCount":260,"candidatesTokenCount":12,"thoughtsTokenCount":30,
      "cachedContentTokenCount":200},"modelVersion":"gemini-2.5-flash"})"));
  EXPECT_EQ(c.text, "{\"a\":1}");
  EXPECT_EQ(c.usage.input, 260);
  EXPECT_EQ(c.usage.output, 42);
  EXPECT_EQ(c.usage.cached, 200);
  EXPECT_EQ(c.model, "gemini-2.5-flash");
}

TEST(GeminiWire, BlockedPromptSafetyStopAndTruncation) {
  const GeminiWire w;
  const auto parse = [&w](const char* body) {
    return [&w, body] { w.parseCompletion(Json::parse(body)); };
  };
  const auto blocked = parse(R"({"promptFeedback":{"blockReason":"SAFETY"}})");
  EXPECT_EQ(faultOf(blocked), Fault::refused);
  EXPECT_EQ(messageOf(blocked), "gemini blocked the prompt (promptFeedback.blockReason SAFETY)");
  const auto safety = parse(R"({"candidates":[{"finishReason":"PROHIBITED_CONTENT"}]})");
  EXPECT_EQ(faultOf(safety), Fault::refused);
  EXPECT_EQ(messageOf(safety), "gemini withheld the reply (finishReason PROHIBITED_CONTENT)");
  const auto cut =
      parse(R"({"candidates":[{"content":{"parts":[{"text":"{"}]},"finishReason":"MAX_TOKENS"}]})");
  EXPECT_EQ(faultOf(cut), Fault::truncated);
  EXPECT_EQ(faultOf(parse(R"({"candidates":[{"content":{"parts":[]},"finishReason":"STOP"}]})")),
            Fault::badReply);
}

TEST(GeminiWire, BatchEmbedContentsBody) {
  const GeminiWire w;
  const std::vector<std::string> texts = {"a", "b"};
  const HttpCall call = w.embeddings(provider(ProviderKind::gemini, "https://g", "k"),
                                     "gemini-embedding-001", texts, 768, EmbedTask::document);
  EXPECT_EQ(call.url, "https://g/v1beta/models/gemini-embedding-001:batchEmbedContents");
  EXPECT_JSON_EQ(Json::parse(call.body), Json::parse(R"({"requests":[
    {"model":"models/gemini-embedding-001","content":{"parts":[{"text":"a"}]},"taskType":"RETRIEVAL_DOCUMENT","outputDimensionality":768},
    {"model":"models/gemini-embedding-001","content":{"parts":[{"text":"b"}]},"taskType":"RETRIEVAL_DOCUMENT","outputDimensionality":768}]})"));
  const Embeddings e =
      w.parseEmbeddings(Json::parse(R"({"embeddings":[{"values":[1,2]},{"values":[3,4]}]})"), 2);
  EXPECT_EQ(e.vectors[1], (std::vector<float>{3, 4}));
  EXPECT_FALSE(e.inputTokens);
  EXPECT_JSON_EQ(faultOf([&] { w.parseEmbeddings(Json::parse(R"({"embeddings":[]})"), 2); }),
                 Fault::unusableReply);
}

TEST(GeminiWire, ErrorStatuses) {
  const GeminiWire w;
  const Json perMinute =
      Json::parse(R"({"error":{"code":429,"message":"m","status":"RESOURCE_EXHAUSTED",
      "details":[{"@type":"type.googleapis.com/google.rpc.QuotaFailure","violations":[{"quotaId":"GenerateRequestsPerMinutePerProjectPerModel"}]}]}})");
  EXPECT_EQ(w.classify(429, perMinute).fault, Fault::rateLimited);
  EXPECT_EQ(w.classify(429, perMinute).message, "HTTP 429 RESOURCE_EXHAUSTED: m");
  const Json perDay = Json::parse(R"({"error":{"code":429,"status":"RESOURCE_EXHAUSTED",
      "details":[{"violations":[{"quotaId":"GenerateRequestsPerDayPerProjectPerModel-FreeTier"}]}]}})");
  EXPECT_EQ(w.classify(429, perDay).fault, Fault::quota);
  const Json badKey = Json::parse(R"({"error":{"code":400,"status":"INVALID_ARGUMENT",
      "details":[{"reason":"API_KEY_INVALID"}]}})");
  EXPECT_EQ(w.classify(400, badKey).fault, Fault::auth);
  EXPECT_JSON_EQ(
      w.classify(400, Json::parse(R"({"error":{"status":"FAILED_PRECONDITION"}})")).fault,
      Fault::quota);
  EXPECT_JSON_EQ(w.classify(400, Json::parse(R"({"error":{"status":"INVALID_ARGUMENT"}})")).fault,
                 Fault::invalid);
  EXPECT_EQ(w.classify(504, Json()).fault, Fault::unavailable);
}

// ---- Anthropic ----

TEST(AnthropicWire, MessagesBodyWithAForcedToolCall) {
  Fixture f;
  f.schema =
      anthropicToolSchema(Json::parse(R"({"type":"object","properties":{"a":{"type":"string"}}})"));
  f.prompt.schema = &f.schema;
  const HttpCall call = AnthropicWire().completion(
      provider(ProviderKind::claude, "https://api.anthropic.com", "a-key"), "claude-sonnet-4-5",
      f.prompt);
  EXPECT_EQ(call.url, "https://api.anthropic.com/v1/messages");
  EXPECT_EQ(header(call, "x-api-key"), "a-key");
  EXPECT_EQ(header(call, "anthropic-version"), "2023-06-01");
  EXPECT_JSON_EQ(Json::parse(call.body), Json::parse(R"({
    "model":"claude-sonnet-4-5","max_tokens":100,"system":"be brief",
    "messages":[{"role":"user","content":[{"type":"text","text":"look"},
        {"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0KGgo="}}]},
      {"role":"assistant","content":[{"type":"text","text":"{}"}]},
      {"role":"user","content":[{"type":"text","text":"again"}]}],
    "temperature":1.0,
    "tools":[{"name":"analysis","description":"Returns the reply as JSON of this schema.",
      "input_schema":{"type":"object","properties":{"a":{"type":"string"}}}}],
    "tool_choice":{"type":"tool","name":"analysis"}})"));
}

TEST(AnthropicWire, ReplyFromTheToolCallAndUsageWithTheCacheAdded) {
  const Completion c =
      AnthropicWire().parseCompletion(Json::parse(R"({"model":"claude-sonnet-4-5-20250929",
      "content":[{"type":"tool_use","id":"t","name":"analysis","input":{"a":"b"}}],"stop_reason":"tool_use",
      "usage":{"input_tokens":100,"output_tokens":50,"cache_creation_input_tokens":20,"cache_read_input_tokens":300}})"));
  EXPECT_EQ(c.text, R"({"a":"b"})");
  EXPECT_EQ(c.usage.input, 420);
  EXPECT_EQ(c.usage.cached, 300);
  EXPECT_EQ(c.usage.output, 50);
  const Completion t = AnthropicWire().parseCompletion(Json::parse(
      R"({"content":[{"type":"text","text":"a"},{"type":"text","text":"b"}],"stop_reason":"end_turn"})"));
  EXPECT_EQ(t.text, "ab");
}

TEST(AnthropicWire, RefusalAndTruncation) {
  const AnthropicWire w;
  const auto parse = [&w](const char* body) {
    return [&w, body] { w.parseCompletion(Json::parse(body)); };
  };
  const auto refusal =
      parse(R"({"content":[],"stop_reason":"refusal","stop_details":{"type":"refusal",
      "category":"cyber","explanation":"Not this."}})");
  EXPECT_EQ(faultOf(refusal), Fault::refused);
  EXPECT_EQ(messageOf(refusal), "claude refused (stop_reason refusal, category cyber): Not this.");
  EXPECT_EQ(
      faultOf(parse(R"({"content":[{"type":"text","text":"x"}],"stop_reason":"max_tokens"})")),
      Fault::truncated);
}

TEST(AnthropicWire, NoEmbeddings) {
  const std::vector<std::string> texts = {"a"};
  const std::string why = messageOf([&] {
    AnthropicWire().embeddings(provider(ProviderKind::claude, "h", "k"), "m", texts, std::nullopt,
                               EmbedTask::document);
  });
  EXPECT_EQ(why,
            "claude has no embeddings endpoint; set ai.embedding_provider (openai, gemini or "
            "custom)");
}

TEST(AnthropicWire, ErrorStatuses) {
  const AnthropicWire w;
  const auto body = [](const char* type, const char* message) {
    return Json{{"type", "error"}, {"error", {{"type", type}, {"message", message}}}};
  };
  EXPECT_EQ(w.classify(529, body("overloaded_error", "Overloaded")).fault, Fault::unavailable);
  EXPECT_EQ(w.classify(529, body("overloaded_error", "Overloaded")).message,
            "HTTP 529 overloaded_error: Overloaded");
  EXPECT_EQ(w.classify(429, body("rate_limit_error", "slow")).fault, Fault::rateLimited);
  EXPECT_EQ(w.classify(400, body("invalid_request_error",
                                 "Your credit balance is too low to access the Anthropic API."))
                .fault,
            Fault::quota);
  EXPECT_EQ(w.classify(400, body("invalid_request_error", "bad")).fault, Fault::invalid);
  EXPECT_EQ(w.classify(401, body("authentication_error", "invalid x-api-key")).fault, Fault::auth);
}

}  // namespace
}  // namespace warren::ai
