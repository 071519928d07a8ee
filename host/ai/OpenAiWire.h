// OpenAI Chat Completions and Embeddings (POST {base}/chat/completions, {base}/embeddings), and
// the same API on OpenAI-compatible servers (`custom`: Ollama, llama.cpp, vLLM, LM Studio), which
// differ in small ways: they get max_tokens rather than max_completion_tokens, no Authorization
// header without a key, and float rather than base64 embeddings.
#pragma once

#include "ai/Wire.h"

namespace warren::ai {

class OpenAiWire : public Wire {
 public:
  explicit OpenAiWire(bool compatible) : compatible_(compatible) {}
  AdaptedSchema adapt(const Json& schema) const override;
  HttpCall completion(const ProviderSettings& provider, const std::string& model,
                      const Prompt& prompt) const override;
  Completion parseCompletion(const Json& body) const override;
  HttpCall embeddings(const ProviderSettings& provider, const std::string& model,
                      std::span<const std::string> texts, std::optional<std::uint32_t> dimensions,
                      EmbedTask task) const override;
  Embeddings parseEmbeddings(const Json& body, std::size_t count) const override;
  ProviderError classify(int code, const Json& body) const override;

 private:
  std::string_view name() const { return compatible_ ? "custom" : "openai"; }
  std::vector<std::pair<std::string, std::string>> headers(const ProviderSettings& p) const;
  bool compatible_;
};

}  // namespace warren::ai
