// Token estimates made before a call, for the tokens-per-minute limits (corrected afterwards
// by the reply's usage): about 4 characters a token, 1,000 tokens an image (the providers'
// figures range from 85 to ~1,600 by size), plus the reply's max_tokens, which OpenAI counts
// against its own limit too.
#pragma once

#include "ai/Wire.h"

#include <cstdint>
#include <span>
#include <string>

namespace warren::ai {

std::int64_t estimateTokens(std::string_view text);
std::int64_t estimateTokens(const Prompt& prompt);
std::int64_t estimateTokens(std::span<const std::string> texts);

}  // namespace warren::ai
