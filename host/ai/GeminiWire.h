// Gemini's Developer API: POST {base}/v1beta/models/MODEL:generateContent and
// :batchEmbedContents, the key in x-goog-api-key (never in the URL, which the outbound client
// logs). Roles user/model, systemInstruction, inlineData images, responseSchema + responseMimeType.
#pragma once

#include "ai/Wire.h"

namespace warren::ai {

class GeminiWire : public Wire {
 public:
  AdaptedSchema adapt(const Json& schema) const override;
  HttpCall completion(const ProviderSettings& provider, const std::string& model,
                      const Prompt& prompt) const override;
  Completion parseCompletion(const Json& body) const override;
  HttpCall embeddings(const ProviderSettings& provider, const std::string& model,
                      std::span<const std::string> texts, std::optional<std::uint32_t> dimensions,
                      EmbedTask task) const override;
  Embeddings parseEmbeddings(const Json& body, std::size_t count) const override;
  ProviderError classify(int code, const Json& body) const override;
};

}  // namespace warren::ai
