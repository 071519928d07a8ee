// SHA-256 and HMAC-SHA256 through Poco Crypto (OpenSSL's implementations), for SigV4.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

namespace Poco::Crypto {
class DigestEngine;
}

namespace warren::storage {

std::string toHex(std::string_view bytes);
std::string sha256(std::string_view data);  // 32 raw bytes
std::string sha256Hex(std::string_view data);
std::string hmacSha256(std::string_view key, std::string_view data);  // 32 raw bytes

// SHA-256 over data handed in pieces (a file streamed in chunks).
class Sha256Stream {
 public:
  Sha256Stream();
  ~Sha256Stream();
  Sha256Stream(const Sha256Stream&) = delete;
  Sha256Stream& operator=(const Sha256Stream&) = delete;

  void update(const char* data, std::size_t size);
  std::string hex();  // the digest of everything so far; the stream starts over

 private:
  std::unique_ptr<Poco::Crypto::DigestEngine> engine_;
};

}  // namespace warren::storage
