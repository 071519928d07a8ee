// Base64 (RFC 4648, with padding, no line breaks) for images and float32 vectors.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace warren::ai {

std::string base64Encode(std::string_view bytes);
// nullopt when `text` is not padded base64 of the standard alphabet.
std::optional<std::string> base64Decode(std::string_view text);
// The length of what `text` decodes to, or nullopt when it is not padded base64 (checked
// without decoding).
std::optional<std::size_t> base64DecodedSize(std::string_view text);

}  // namespace warren::ai
