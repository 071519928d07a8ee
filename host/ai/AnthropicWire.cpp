#include "ai/AnthropicWire.h"

#include <algorithm>

namespace warren::ai {
namespace {

constexpr std::string_view kName = "claude";

Json contentOf(const PromptMessage& message) {
  Json blocks = Json::array();
  for (const auto& part : message.parts) {
    if (part.image != nullptr) {
      blocks.push_back({{"type", "image"},
                        {"source",
                         {{"type", "base64"},
                          {"media_type", part.image->mediaType},
                          {"data", part.image->base64}}}});
    } else {
      blocks.push_back({{"type", "text"}, {"text", part.text}});
    }
  }
  return blocks;
}

std::int64_t integerAt(const Json& object, const char* key) {
  if (!object.is_object() || !object.contains(key) || !object[key].is_number()) return 0;
  return object[key].get<std::int64_t>();
}

std::string refusalReason(const Json& body) {
  const Json& details = body.value("stop_details", Json());
  std::string reason = "claude refused (stop_reason refusal";
  if (details.is_object()) {
    if (details.contains("category") && details["category"].is_string()) {
      reason += ", category " + details["category"].get<std::string>();
    }
    reason += ")";
    if (details.contains("explanation") && details["explanation"].is_string()) {
      reason += ": " + excerpt(details["explanation"].get<std::string>());
    }
    return reason;
  }
  return reason + ")";
}

}  // namespace

AdaptedSchema AnthropicWire::adapt(const Json& schema) const {
  return anthropicToolSchema(schema);
}

HttpCall AnthropicWire::completion(const ProviderSettings& provider, const std::string& model,
                                   const Prompt& prompt) const {
  Json body = Json::object();
  body["model"] = model;
  body["max_tokens"] = prompt.maxTokens;
  if (!prompt.system.empty()) body["system"] = prompt.system;
  Json messages = Json::array();
  for (const auto& message : prompt.messages) {
    messages.push_back({{"role", message.role}, {"content", contentOf(message)}});
  }
  body["messages"] = messages;
  // Anthropic takes 0..1 where the others take 0..2.
  if (prompt.temperature) body["temperature"] = std::min(*prompt.temperature, 1.0);
  if (prompt.schema != nullptr) {
    body["tools"] = Json::array({{{"name", prompt.schemaName},
                                  {"description", "Returns the reply as JSON of this schema."},
                                  {"input_schema", prompt.schema->schema}}});
    body["tool_choice"] = {{"type", "tool"}, {"name", prompt.schemaName}};
  }
  return {provider.baseUrl + "/v1/messages",
          {{"content-type", "application/json"},
           {"x-api-key", provider.apiKey},
           {"anthropic-version", kVersion}},
          body.dump()};
}

Completion AnthropicWire::parseCompletion(const Json& body) const {
  if (!body.is_object() || !body.contains("content") || !body["content"].is_array()) {
    badReply(kName, "content");
  }
  const std::string stop = body.value("stop_reason", std::string());
  if (stop == "refusal") throw Failure(Fault::refused, refusalReason(body));
  if (stop == "max_tokens" || stop == "model_context_window_exceeded") {
    throw Failure(Fault::truncated, "claude cut the reply at the token limit (stop_reason " + stop +
                                        "); raise max_tokens");
  }
  if (stop == "pause_turn") throw Failure(Fault::badReply, "claude paused the turn (pause_turn)");
  Completion out;
  bool any = false;
  for (const auto& block : body["content"]) {
    if (!block.is_object()) continue;
    const std::string type = block.value("type", std::string());
    if (type == "tool_use" && block.contains("input")) {
      out.text = block["input"].dump();  // the forced tool call's input is the reply
      any = true;
      break;
    }
    if (type == "text" && block.contains("text")) {
      out.text += block["text"].get<std::string>();
      any = true;
    }
  }
  if (!any) badReply(kName, "a text or tool_use block");
  out.model = body.value("model", std::string());
  const Json& usage = body.value("usage", Json::object());
  // input_tokens counts only what was not read from or written to the cache.
  out.usage.cached = integerAt(usage, "cache_read_input_tokens");
  out.usage.input = integerAt(usage, "input_tokens") + out.usage.cached +
                    integerAt(usage, "cache_creation_input_tokens");
  out.usage.output = integerAt(usage, "output_tokens");
  return out;
}

HttpCall AnthropicWire::embeddings(const ProviderSettings&, const std::string&,
                                   std::span<const std::string>, std::optional<std::uint32_t>,
                                   EmbedTask) const {
  throw Failure(Fault::notFound,
                "claude has no embeddings endpoint; set ai.embedding_provider (openai, gemini or "
                "custom)");
}

Embeddings AnthropicWire::parseEmbeddings(const Json&, std::size_t) const {
  throw Failure(Fault::notFound, "claude has no embeddings endpoint");
}

ProviderError AnthropicWire::classify(int code, const Json& body) const {
  const Json& error = body.is_object() ? body.value("error", Json::object()) : Json::object();
  const std::string message = error.is_object() ? error.value("message", std::string()) : "";
  const std::string type = error.is_object() ? error.value("type", std::string()) : "";
  Fault fault = faultOfStatus(code);
  if (type == "billing_error" || message.find("credit balance") != std::string::npos) {
    fault = Fault::quota;
  }
  return {fault, httpReason(code, type, message)};
}

}  // namespace warren::ai
