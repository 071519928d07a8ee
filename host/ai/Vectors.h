// Embedding vectors as the service returns them: checked (every one present, non-empty, finite,
// of one length, of the asked dimensions, not all zero) and scaled to unit length, then encoded
// as base64 of little-endian float32 or as JSON numbers.
#pragma once

#include "ai/Json.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace warren::ai {

// Throws Failure(unusableReply) naming `provider`, `model` and the first bad input.
void checkAndNormalise(std::vector<std::vector<float>>& vectors,
                       std::optional<std::uint32_t> dimensions, std::string_view provider,
                       const std::string& model);

std::string float32Base64(const std::vector<float>& vector);
Json floatArray(const std::vector<float>& vector);

}  // namespace warren::ai
