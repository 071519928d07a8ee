#include "storage/Digest.h"

#include <Poco/Crypto/DigestEngine.h>
#include <Poco/HMACEngine.h>

namespace warren::storage {
namespace {

// Poco's HMACEngine wants an engine with compile-time sizes; this one is OpenSSL's SHA-256.
class Sha256Engine : public Poco::Crypto::DigestEngine {
 public:
  enum { BLOCK_SIZE = 64, DIGEST_SIZE = 32 };
  Sha256Engine() : Poco::Crypto::DigestEngine("SHA256") {}
};

std::string bytesOf(const Poco::DigestEngine::Digest& digest) {
  return std::string(digest.begin(), digest.end());
}

}  // namespace

std::string toHex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (const char c : bytes) {
    const auto b = static_cast<unsigned char>(c);
    out += kDigits[b >> 4];
    out += kDigits[b & 0x0F];
  }
  return out;
}

std::string sha256(std::string_view data) {
  Sha256Engine engine;
  engine.update(data.data(), data.size());
  return bytesOf(engine.digest());
}

std::string sha256Hex(std::string_view data) {
  return toHex(sha256(data));
}

std::string hmacSha256(std::string_view key, std::string_view data) {
  Poco::HMACEngine<Sha256Engine> engine(key.data(), key.size());
  engine.update(data.data(), data.size());
  return bytesOf(engine.digest());
}

Sha256Stream::Sha256Stream() : engine_(std::make_unique<Sha256Engine>()) {}

Sha256Stream::~Sha256Stream() = default;

void Sha256Stream::update(const char* data, std::size_t size) {
  engine_->update(data, size);
}

std::string Sha256Stream::hex() {
  return toHex(bytesOf(engine_->digest()));
}

}  // namespace warren::storage
