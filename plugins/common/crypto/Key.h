// A 256-bit key for AES-256-GCM, read from its 64-hex-digit text form (ENCRYPTION_KEY), with the
// id every ciphertext made under it carries. The bytes are wiped when the key goes away.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace common::crypto {

class KeyError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

class Key {
 public:
  static constexpr std::size_t kBytes = 32;

  // Parses 64 hexadecimal digits. Throws KeyError naming `what` (e.g. "ENCRYPTION_KEY") and
  // saying what is wrong with it — never the value itself.
  static Key fromHex(std::string_view hex, std::string_view what);
  // A key from raw bytes (tests, generated keys).
  static Key fromBytes(const std::array<std::uint8_t, kBytes>& bytes);

  Key(const Key& other);
  Key& operator=(const Key& other);
  ~Key();

  const std::uint8_t* data() const { return bytes_.data(); }
  // 16 hex digits: the first 8 bytes of SHA-256("warren/key-id/v1" || key). Names the key in
  // ciphertexts and messages without revealing anything usable about it.
  const std::string& id() const { return id_; }

 private:
  explicit Key(const std::array<std::uint8_t, kBytes>& bytes);
  std::array<std::uint8_t, kBytes> bytes_{};
  std::string id_;
};

// The keys a process can decrypt with: the current one (which also encrypts) and, during a
// rotation, the previous one.
struct Keyring {
  Key current;
  std::optional<Key> previous;

  // The key named `id`, or null when neither key has it.
  const Key* find(std::string_view id) const;
};

// Reads ENCRYPTION_KEY and ENCRYPTION_KEY_PREVIOUS (either may come from any config source):
// `current` must be set and valid, `previous` may be empty. `currentName`/`previousName` are how
// the keys are named in errors. Throws KeyError.
Keyring keyringFromHex(std::string_view current, std::string_view previous,
                       std::string_view currentName, std::string_view previousName);

}  // namespace common::crypto
