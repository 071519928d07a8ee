#include "ai/Provider.h"

namespace warren::ai {

std::string_view providerName(ProviderKind kind) {
  switch (kind) {
    case ProviderKind::openai:
      return "openai";
    case ProviderKind::gemini:
      return "gemini";
    case ProviderKind::claude:
      return "claude";
    case ProviderKind::custom:
      return "custom";
  }
  return "custom";
}

std::optional<ProviderKind> parseProvider(std::string_view name) {
  for (auto kind :
       {ProviderKind::openai, ProviderKind::gemini, ProviderKind::claude, ProviderKind::custom}) {
    if (name == providerName(kind)) return kind;
  }
  return std::nullopt;
}

const ProviderDefaults& defaultsOf(ProviderKind kind) {
  // Batch sizes are the providers' documented limits (OpenAI: 2,048 inputs per request;
  // Gemini: 100 requests per batchEmbedContents).
  static const ProviderDefaults openai{"https://api.openai.com/v1", "gpt-4o-mini",
                                       "text-embedding-3-small", true, 2048};
  static const ProviderDefaults gemini{"https://generativelanguage.googleapis.com",
                                       "gemini-2.5-flash", "gemini-embedding-001", true, 100};
  static const ProviderDefaults claude{"https://api.anthropic.com", "claude-sonnet-4-5", "", false,
                                       0};
  static const ProviderDefaults custom{"", "", "", true, 2048};
  switch (kind) {
    case ProviderKind::openai:
      return openai;
    case ProviderKind::gemini:
      return gemini;
    case ProviderKind::claude:
      return claude;
    case ProviderKind::custom:
      return custom;
  }
  return custom;
}

}  // namespace warren::ai
