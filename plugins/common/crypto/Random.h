// Random bytes and identifiers from OpenSSL's CSPRNG.
#pragma once

#include <cstddef>
#include <string>

namespace common::crypto {

// `count` random bytes. Throws std::runtime_error when the generator fails.
std::string randomBytes(std::size_t count);
// `bytes` random bytes as lower-case hex (2 * bytes characters).
std::string randomHex(std::size_t bytes);

}  // namespace common::crypto
