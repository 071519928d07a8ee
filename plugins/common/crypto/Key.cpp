#include "crypto/Key.h"

#include "crypto/Digest.h"

#include <openssl/crypto.h>

#include <cctype>

namespace common::crypto {
namespace {

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string keyId(const std::array<std::uint8_t, Key::kBytes>& bytes) {
  std::string input = "warren/key-id/v1";
  input.append(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  const std::string digest = sha256Hex(input);
  OPENSSL_cleanse(input.data(), input.size());
  return digest.substr(0, 16);
}

}  // namespace

Key::Key(const std::array<std::uint8_t, kBytes>& bytes) : bytes_(bytes), id_(keyId(bytes)) {}

Key::Key(const Key& other) = default;
Key& Key::operator=(const Key& other) = default;

Key::~Key() {
  OPENSSL_cleanse(bytes_.data(), bytes_.size());
}

Key Key::fromBytes(const std::array<std::uint8_t, kBytes>& bytes) {
  return Key(bytes);
}

Key Key::fromHex(std::string_view hex, std::string_view what) {
  const std::string name(what);
  if (hex.empty()) throw KeyError(name + " is not set");
  if (hex.size() != 2 * kBytes) {
    throw KeyError(name + " must be 64 hexadecimal characters (32 bytes); it has " +
                   std::to_string(hex.size()) + " characters");
  }
  std::array<std::uint8_t, kBytes> bytes{};
  for (std::size_t i = 0; i < kBytes; ++i) {
    const int high = hexValue(hex[2 * i]);
    const int low = hexValue(hex[2 * i + 1]);
    if (high < 0 || low < 0) {
      OPENSSL_cleanse(bytes.data(), bytes.size());
      throw KeyError(name + " must be 64 hexadecimal characters (32 bytes); character " +
                     std::to_string(high < 0 ? 2 * i + 1 : 2 * i + 2) +
                     " is not a hexadecimal digit");
    }
    bytes[i] = static_cast<std::uint8_t>(high * 16 + low);
  }
  Key key(bytes);
  OPENSSL_cleanse(bytes.data(), bytes.size());
  return key;
}

const Key* Keyring::find(std::string_view id) const {
  if (current.id() == id) return &current;
  if (previous && previous->id() == id) return &*previous;
  return nullptr;
}

Keyring keyringFromHex(std::string_view current, std::string_view previous,
                       std::string_view currentName, std::string_view previousName) {
  Keyring ring{Key::fromHex(current, currentName), std::nullopt};
  if (!previous.empty()) ring.previous = Key::fromHex(previous, previousName);
  if (ring.previous && ring.previous->id() == ring.current.id()) ring.previous.reset();
  return ring;
}

}  // namespace common::crypto
