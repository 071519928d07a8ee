// Authenticated encryption of small secrets (platform tokens) with AES-256-GCM.
//
// The stored form is text, so it fits a TEXT column on PostgreSQL and SQLite alike:
//
//   v1:<key id>:<base64(nonce || ciphertext || tag)>
//
// with a random 12-byte nonce per call, a 16-byte tag, and `associated` (e.g. the account id and
// the column) authenticated but not stored: the same text under another associated value does
// not decrypt. The key id names the key (Key::id) so a rotation knows which key to use.
#pragma once

#include "crypto/Key.h"

#include <stdexcept>
#include <string>
#include <string_view>

namespace common::crypto {

// Why a value could not be decrypted. The message names the key ids involved, never a key or
// the plaintext.
class DecryptError : public std::runtime_error {
 public:
  enum class Reason { malformed, unknownKey, authentication };
  DecryptError(Reason reason, const std::string& what)
      : std::runtime_error(what), reason_(reason) {}
  Reason reason() const { return reason_; }

 private:
  Reason reason_;
};

// Encrypts `plaintext` under `key`, binding `associated`.
std::string seal(const Key& key, std::string_view plaintext, std::string_view associated);

// Decrypts a sealed text with whichever key of `keys` it names. Throws DecryptError.
std::string open(const Keyring& keys, std::string_view sealed, std::string_view associated);

// The key id a sealed text names, or "" when it is not in the v1 form.
std::string keyIdOf(std::string_view sealed);

}  // namespace common::crypto
