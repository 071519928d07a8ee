#include "ai/OpenAiWire.h"

#include "ai/Base64.h"

#include <cstring>

namespace warren::ai {
namespace {

Json contentOf(const PromptMessage& message) {
  if (message.role == "assistant") {
    std::string text;
    for (const auto& part : message.parts) text += (text.empty() ? "" : "\n\n") + part.text;
    return text;
  }
  Json parts = Json::array();
  for (const auto& part : message.parts) {
    if (part.image != nullptr) {
      parts.push_back(
          {{"type", "image_url"},
           {"image_url",
            {{"url", "data:" + part.image->mediaType + ";base64," + part.image->base64}}}});
    } else {
      parts.push_back({{"type", "text"}, {"text", part.text}});
    }
  }
  return parts;
}

std::int64_t integerAt(const Json& object, const char* key) {
  if (!object.is_object() || !object.contains(key) || !object[key].is_number()) return 0;
  return object[key].get<std::int64_t>();
}

// A vector sent as a JSON array of numbers, or as base64 of little-endian float32.
std::vector<float> vectorOf(const Json& embedding, std::string_view provider) {
  std::vector<float> out;
  if (embedding.is_array()) {
    out.reserve(embedding.size());
    for (const auto& v : embedding) {
      if (!v.is_number()) badReply(provider, "numbers in an embedding");
      out.push_back(v.get<float>());
    }
    return out;
  }
  if (!embedding.is_string()) badReply(provider, "an embedding array or base64 string");
  const auto bytes = base64Decode(embedding.get<std::string>());
  if (!bytes || bytes->size() % 4 != 0) badReply(provider, "valid base64 float32 embeddings");
  out.resize(bytes->size() / 4);
  if (!out.empty()) std::memcpy(out.data(), bytes->data(), bytes->size());  // little-endian
  return out;
}

}  // namespace

std::vector<std::pair<std::string, std::string>> OpenAiWire::headers(
    const ProviderSettings& p) const {
  std::vector<std::pair<std::string, std::string>> out = {{"content-type", "application/json"}};
  if (!p.apiKey.empty()) out.emplace_back("authorization", "Bearer " + p.apiKey);
  return out;
}

AdaptedSchema OpenAiWire::adapt(const Json& schema) const {
  return openAiStrictSchema(schema);
}

HttpCall OpenAiWire::completion(const ProviderSettings& provider, const std::string& model,
                                const Prompt& prompt) const {
  Json body = Json::object();
  body["model"] = model;
  Json messages = Json::array();
  if (!prompt.system.empty()) messages.push_back({{"role", "system"}, {"content", prompt.system}});
  for (const auto& message : prompt.messages) {
    messages.push_back({{"role", message.role}, {"content", contentOf(message)}});
  }
  body["messages"] = messages;
  body[compatible_ ? "max_tokens" : "max_completion_tokens"] = prompt.maxTokens;
  if (prompt.temperature) body["temperature"] = *prompt.temperature;
  if (prompt.schema != nullptr) {
    body["response_format"] = {
        {"type", "json_schema"},
        {"json_schema",
         {{"name", prompt.schemaName}, {"strict", true}, {"schema", prompt.schema->schema}}}};
  }
  return {provider.baseUrl + "/chat/completions", headers(provider), body.dump()};
}

Completion OpenAiWire::parseCompletion(const Json& body) const {
  if (!body.is_object() || !body.contains("choices") || !body["choices"].is_array() ||
      body["choices"].empty())
    badReply(name(), "choices");
  const Json& choice = body["choices"][0];
  const Json& message = choice.value("message", Json::object());
  const std::string finish = choice.value("finish_reason", std::string());
  const std::string provider(name());
  if (message.contains("refusal") && message["refusal"].is_string()) {
    throw Failure(Fault::refused,
                  provider + " refused: " + excerpt(message["refusal"].get<std::string>()));
  }
  if (finish == "content_filter") {
    throw Failure(Fault::refused, provider +
                                      " withheld the reply under its content policy (finish_reason "
                                      "content_filter)");
  }
  if (finish == "length") {
    throw Failure(Fault::truncated, provider +
                                        " cut the reply at max_tokens (finish_reason length); "
                                        "raise max_tokens");
  }
  if (!message.contains("content") || !message["content"].is_string()) {
    badReply(name(), "message content");
  }
  Completion out;
  out.text = message["content"].get<std::string>();
  out.model = body.value("model", std::string());
  const Json& usage = body.value("usage", Json::object());
  out.usage.input = integerAt(usage, "prompt_tokens");
  out.usage.output = integerAt(usage, "completion_tokens");
  out.usage.cached =
      integerAt(usage.value("prompt_tokens_details", Json::object()), "cached_tokens");
  return out;
}

HttpCall OpenAiWire::embeddings(const ProviderSettings& provider, const std::string& model,
                                std::span<const std::string> texts,
                                std::optional<std::uint32_t> dimensions, EmbedTask) const {
  Json body = Json::object();
  body["model"] = model;
  body["input"] = Json::array();
  for (const auto& text : texts) body["input"].push_back(text);
  // Compatible servers differ in base64 support; plain floats work everywhere.
  body["encoding_format"] = compatible_ ? "float" : "base64";
  if (dimensions) body["dimensions"] = *dimensions;
  return {provider.baseUrl + "/embeddings", headers(provider), body.dump()};
}

Embeddings OpenAiWire::parseEmbeddings(const Json& body, std::size_t count) const {
  if (!body.is_object() || !body.contains("data") || !body["data"].is_array()) {
    badReply(name(), "data");
  }
  const Json& data = body["data"];
  const std::string provider(name());
  if (data.size() != count) {
    throw Failure(Fault::unusableReply, provider + " returned " + std::to_string(data.size()) +
                                            " embeddings for " + std::to_string(count) + " texts");
  }
  Embeddings out;
  out.vectors.resize(count);
  std::vector<bool> seen(count, false);
  for (std::size_t i = 0; i < data.size(); ++i) {
    const Json& item = data[i];
    // `index` maps back to the input; without one, the position does.
    const std::size_t index = item.contains("index") && item["index"].is_number_unsigned()
                                  ? item["index"].get<std::size_t>()
                                  : i;
    if (index >= count || seen[index]) {
      throw Failure(Fault::unusableReply,
                    provider + " returned embeddings with a missing or repeated index");
    }
    seen[index] = true;
    if (!item.contains("embedding")) badReply(name(), "embedding");
    out.vectors[index] = vectorOf(item["embedding"], name());
  }
  out.model = body.value("model", std::string());
  if (body.contains("usage") && body["usage"].is_object() &&
      body["usage"].contains("prompt_tokens")) {
    out.inputTokens = integerAt(body["usage"], "prompt_tokens");
  }
  return out;
}

ProviderError OpenAiWire::classify(int code, const Json& body) const {
  const Json& error = body.is_object() ? body.value("error", Json::object()) : Json::object();
  const std::string message =
      error.is_object() && error.contains("message") && error["message"].is_string()
          ? error["message"].get<std::string>()
          : std::string();
  std::string kind;
  if (error.is_object()) {
    if (error.contains("code") && error["code"].is_string()) {
      kind = error["code"].get<std::string>();
    } else if (error.contains("type") && error["type"].is_string()) {
      kind = error["type"].get<std::string>();
    }
  }
  Fault fault = faultOfStatus(code);
  const bool quota = kind == "insufficient_quota" ||
                     (error.is_object() && error.value("type", Json()) == "insufficient_quota");
  if (quota) fault = Fault::quota;
  return {fault, httpReason(code, kind, message)};
}

}  // namespace warren::ai
