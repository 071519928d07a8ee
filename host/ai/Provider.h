// The providers the service speaks to, and what each has by default. `custom` is any
// OpenAI-compatible server (Ollama, llama.cpp, vLLM, LM Studio) at AI_BASE_URL.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace warren::ai {

enum class ProviderKind { openai, gemini, claude, custom };

std::string_view providerName(ProviderKind kind);
// "openai", "gemini", "claude", "custom"; nullopt otherwise.
std::optional<ProviderKind> parseProvider(std::string_view name);

struct ProviderDefaults {
  std::string baseUrl;         // empty: none (custom needs AI_BASE_URL)
  std::string model;           // empty: none (custom needs ai.model)
  std::string embeddingModel;  // empty: none
  bool embeddings = true;      // false: the provider has no embeddings endpoint
  std::size_t embedBatch = 0;  // most texts in one embeddings request
};

const ProviderDefaults& defaultsOf(ProviderKind kind);

}  // namespace warren::ai
