// Digests, MACs and base64 for the content plugins (OpenSSL).
#pragma once

#include <string>
#include <string_view>

namespace common::crypto {

// Lower-case hex SHA-256 of `data`.
std::string sha256Hex(std::string_view data);
// Lower-case hex HMAC-SHA256 of `message` under `key`.
std::string hmacSha256Hex(std::string_view key, std::string_view message);
// Compares two strings in time that depends only on their lengths.
bool constantTimeEquals(std::string_view a, std::string_view b);

// Standard base64 (RFC 4648 §4, with padding).
std::string base64Encode(std::string_view bytes);
// Decodes standard base64; returns false on anything that is not.
bool base64Decode(std::string_view text, std::string& bytes);

}  // namespace common::crypto
