#include "ai/Tokens.h"

namespace warren::ai {
namespace {

constexpr std::int64_t kCharsPerToken = 4;
constexpr std::int64_t kTokensPerImage = 1000;

}  // namespace

std::int64_t estimateTokens(std::string_view text) {
  return (static_cast<std::int64_t>(text.size()) + kCharsPerToken - 1) / kCharsPerToken;
}

std::int64_t estimateTokens(const Prompt& prompt) {
  std::int64_t total = estimateTokens(prompt.system) + prompt.maxTokens;
  for (const auto& message : prompt.messages) {
    for (const auto& part : message.parts) {
      total += part.image != nullptr ? kTokensPerImage : estimateTokens(part.text);
    }
  }
  if (prompt.schema != nullptr) total += estimateTokens(prompt.schema->schema.dump());
  return total;
}

std::int64_t estimateTokens(std::span<const std::string> texts) {
  std::int64_t total = 0;
  for (const auto& text : texts) total += estimateTokens(text);
  return total;
}

}  // namespace warren::ai
