#include "Providers.h"

namespace warren::test {
namespace {

// The fake checks one key per wire format: custom servers speak OpenAI's, with their own key.
const char* const kOpenAiKey = "sk-openai-test-key-2b8d41";
const char* const kGeminiKey = "AIza-gemini-test-key-5e6f70";
const char* const kAnthropicKey = "sk-ant-test-key-9c0d12";

}  // namespace

const std::vector<ProviderCase>& providerCases() {
  static const std::vector<ProviderCase> cases = {
      {"custom", "openai", kOpenAiKey},
      {"openai", "openai", kOpenAiKey},
      {"gemini", "gemini", kGeminiKey},
      {"claude", "anthropic", kAnthropicKey},
  };
  return cases;
}

AiFakeOptions fakeKeys() {
  AiFakeOptions options;
  options.openaiKey = kOpenAiKey;
  options.geminiKey = kGeminiKey;
  options.anthropicKey = kAnthropicKey;
  return options;
}

std::vector<std::string> providerEnv(const ProviderCase& provider, const AiFake& fake) {
  if (provider.name == "custom") {
    // A custom server has no default model: the node names one.
    return {"AI_PROVIDER=custom", "AI_BASE_URL=" + fake.openaiBaseUrl(), "AI_MODEL=llama3.1-8b",
            "AI_API_KEY=" + provider.key};
  }
  if (provider.name == "openai") {
    return {"AI_PROVIDER=openai", "OPENAI_BASE_URL=" + fake.openaiBaseUrl(),
            "OPENAI_API_KEY=" + provider.key};
  }
  if (provider.name == "gemini") {
    return {"AI_PROVIDER=gemini", "GEMINI_BASE_URL=" + fake.geminiBaseUrl(),
            "GEMINI_API_KEY=" + provider.key};
  }
  return {"AI_PROVIDER=claude", "ANTHROPIC_BASE_URL=" + fake.anthropicBaseUrl(),
          "ANTHROPIC_API_KEY=" + provider.key};
}

}  // namespace warren::test
