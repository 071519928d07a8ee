// Anthropic's Messages API: POST {base}/v1/messages with x-api-key and anthropic-version.
// Structured output is a forced tool call (tools + tool_choice {"type":"tool"}) whose input is
// the reply. Anthropic has no embeddings endpoint: embeddings() refuses, and the service routes
// embeddings to ai.embedding_provider instead.
#pragma once

#include "ai/Wire.h"

namespace warren::ai {

class AnthropicWire : public Wire {
 public:
  static constexpr const char* kVersion = "2023-06-01";  // the version the official SDKs pin

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
