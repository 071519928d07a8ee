#include "ai/GeminiWire.h"

#include <algorithm>

namespace warren::ai {
namespace {

constexpr std::string_view kName = "gemini";

// "models/x" and "x" name the same model; the URL takes the bare name.
std::string bareModel(const std::string& model) {
  return model.rfind("models/", 0) == 0 ? model.substr(7) : model;
}

std::vector<std::pair<std::string, std::string>> headersOf(const ProviderSettings& p) {
  return {{"content-type", "application/json"}, {"x-goog-api-key", p.apiKey}};
}

Json partsOf(const PromptMessage& message) {
  Json parts = Json::array();
  for (const auto& part : message.parts) {
    if (part.image != nullptr) {
      parts.push_back(
          {{"inlineData", {{"mimeType", part.image->mediaType}, {"data", part.image->base64}}}});
    } else {
      parts.push_back({{"text", part.text}});
    }
  }
  return parts;
}

std::int64_t integerAt(const Json& object, const char* key) {
  if (!object.is_object() || !object.contains(key) || !object[key].is_number()) return 0;
  return object[key].get<std::int64_t>();
}

// Finish reasons that mean the reply was withheld or cut for policy reasons.
bool policyStop(const std::string& reason) {
  static const char* const kPolicy[] = {"SAFETY",
                                        "RECITATION",
                                        "LANGUAGE",
                                        "BLOCKLIST",
                                        "PROHIBITED_CONTENT",
                                        "SPII",
                                        "IMAGE_SAFETY",
                                        "IMAGE_PROHIBITED_CONTENT",
                                        "IMAGE_RECITATION"};
  return std::any_of(std::begin(kPolicy), std::end(kPolicy),
                     [&](const char* r) { return reason == r; });
}

bool quotaExhausted(const Json& details) {
  if (!details.is_array()) return false;
  for (const auto& detail : details) {
    if (!detail.is_object() || !detail.contains("violations")) continue;
    for (const auto& violation : detail["violations"]) {
      if (!violation.is_object()) continue;
      // A per-day quota does not come back within a job's life: treat it as exhausted.
      for (const char* key : {"quotaId", "quotaMetric"}) {
        const std::string value = violation.value(key, std::string());
        if (value.find("PerDay") != std::string::npos) return true;
      }
    }
  }
  return false;
}

bool keyRejected(const Json& details) {
  if (!details.is_array()) return false;
  return std::any_of(details.begin(), details.end(), [](const Json& d) {
    return d.is_object() && d.value("reason", std::string()) == "API_KEY_INVALID";
  });
}

}  // namespace

AdaptedSchema GeminiWire::adapt(const Json& schema) const {
  return geminiSchema(schema);
}

HttpCall GeminiWire::completion(const ProviderSettings& provider, const std::string& model,
                                const Prompt& prompt) const {
  Json body = Json::object();
  if (!prompt.system.empty()) body["systemInstruction"] = {{"parts", {{{"text", prompt.system}}}}};
  Json contents = Json::array();
  for (const auto& message : prompt.messages) {
    contents.push_back(
        {{"role", message.role == "assistant" ? "model" : "user"}, {"parts", partsOf(message)}});
  }
  body["contents"] = contents;
  Json config = Json::object();
  config["maxOutputTokens"] = prompt.maxTokens;
  if (prompt.temperature) config["temperature"] = *prompt.temperature;
  if (prompt.schema != nullptr) {
    config["responseMimeType"] = "application/json";
    config["responseSchema"] = prompt.schema->schema;
  }
  body["generationConfig"] = config;
  return {provider.baseUrl + "/v1beta/models/" + bareModel(model) + ":generateContent",
          headersOf(provider), body.dump()};
}

Completion GeminiWire::parseCompletion(const Json& body) const {
  if (!body.is_object()) badReply(kName, "a JSON object");
  const Json& feedback = body.value("promptFeedback", Json::object());
  const bool noCandidates =
      !body.contains("candidates") || !body["candidates"].is_array() || body["candidates"].empty();
  if (noCandidates) {
    if (feedback.is_object() && feedback.contains("blockReason")) {
      throw Failure(Fault::refused, "gemini blocked the prompt (promptFeedback.blockReason " +
                                        feedback["blockReason"].get<std::string>() + ")");
    }
    badReply(kName, "candidates");
  }
  const Json& candidate = body["candidates"][0];
  const std::string finish = candidate.value("finishReason", std::string());
  if (policyStop(finish)) {
    throw Failure(Fault::refused, "gemini withheld the reply (finishReason " + finish + ")");
  }
  if (finish == "MAX_TOKENS") {
    throw Failure(Fault::truncated,
                  "gemini cut the reply at max_tokens (finishReason MAX_TOKENS; thinking tokens "
                  "count against it); raise max_tokens");
  }
  if (!finish.empty() && finish != "STOP") {
    throw Failure(Fault::badReply, "gemini ended the reply with finishReason " + finish);
  }
  Completion out;
  bool anyText = false;
  const Json& content = candidate.value("content", Json::object());
  for (const auto& part : content.value("parts", Json::array())) {
    if (!part.is_object() || part.value("thought", false) || !part.contains("text")) continue;
    out.text += part["text"].get<std::string>();
    anyText = true;
  }
  if (!anyText) badReply(kName, "text in candidates[0].content.parts");
  out.model = body.value("modelVersion", std::string());
  const Json& usage = body.value("usageMetadata", Json::object());
  out.usage.input = integerAt(usage, "promptTokenCount");
  out.usage.output =
      integerAt(usage, "candidatesTokenCount") + integerAt(usage, "thoughtsTokenCount");
  out.usage.cached = integerAt(usage, "cachedContentTokenCount");
  return out;
}

HttpCall GeminiWire::embeddings(const ProviderSettings& provider, const std::string& model,
                                std::span<const std::string> texts,
                                std::optional<std::uint32_t> dimensions, EmbedTask task) const {
  const std::string bare = bareModel(model);
  Json requests = Json::array();
  for (const auto& text : texts) {
    Json request = {
        {"model", "models/" + bare},
        {"content", {{"parts", {{{"text", text}}}}}},
        {"taskType", task == EmbedTask::query ? "RETRIEVAL_QUERY" : "RETRIEVAL_DOCUMENT"}};
    if (dimensions) request["outputDimensionality"] = *dimensions;
    requests.push_back(request);
  }
  return {provider.baseUrl + "/v1beta/models/" + bare + ":batchEmbedContents", headersOf(provider),
          Json{{"requests", requests}}.dump()};
}

Embeddings GeminiWire::parseEmbeddings(const Json& body, std::size_t count) const {
  if (!body.is_object() || !body.contains("embeddings") || !body["embeddings"].is_array()) {
    badReply(kName, "embeddings");
  }
  const Json& embeddings = body["embeddings"];
  if (embeddings.size() != count) {
    throw Failure(Fault::unusableReply, "gemini returned " + std::to_string(embeddings.size()) +
                                            " embeddings for " + std::to_string(count) + " texts");
  }
  Embeddings out;
  for (const auto& embedding : embeddings) {
    if (!embedding.is_object() || !embedding.contains("values") || !embedding["values"].is_array())
      badReply(kName, "embeddings[].values");
    std::vector<float> values;
    values.reserve(embedding["values"].size());
    for (const auto& v : embedding["values"]) {
      if (!v.is_number()) badReply(kName, "numbers in embeddings[].values");
      values.push_back(v.get<float>());
    }
    out.vectors.push_back(std::move(values));
  }
  return out;  // batchEmbedContents reports no token count
}

ProviderError GeminiWire::classify(int code, const Json& body) const {
  const Json& error = body.is_object() ? body.value("error", Json::object()) : Json::object();
  const std::string message = error.is_object() ? error.value("message", std::string()) : "";
  const std::string status = error.is_object() ? error.value("status", std::string()) : "";
  const Json& details = error.is_object() ? error.value("details", Json::array()) : Json::array();
  Fault fault = faultOfStatus(code);
  if (code == 400 && keyRejected(details)) fault = Fault::auth;
  if (code == 400 && status == "FAILED_PRECONDITION") fault = Fault::quota;  // billing, region
  if (code == 429 && quotaExhausted(details)) fault = Fault::quota;
  return {fault, httpReason(code, status, message)};
}

}  // namespace warren::ai
