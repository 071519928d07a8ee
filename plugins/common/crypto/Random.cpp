#include "crypto/Random.h"

#include <openssl/rand.h>

#include <stdexcept>

namespace common::crypto {

std::string randomBytes(std::size_t count) {
  std::string out(count, '\0');
  if (count > 0 &&
      RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(count)) != 1) {
    throw std::runtime_error("the random number generator failed (OpenSSL RAND_bytes)");
  }
  return out;
}

std::string randomHex(std::size_t bytes) {
  static const char digits[] = "0123456789abcdef";
  const std::string raw = randomBytes(bytes);
  std::string out(2 * bytes, '0');
  for (std::size_t i = 0; i < bytes; ++i) {
    const auto b = static_cast<unsigned char>(raw[i]);
    out[2 * i] = digits[b >> 4];
    out[2 * i + 1] = digits[b & 0x0f];
  }
  return out;
}

}  // namespace common::crypto
