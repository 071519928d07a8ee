#include "crypto/Envelope.h"

#include "crypto/Digest.h"
#include "crypto/Random.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <memory>

namespace common::crypto {
namespace {

constexpr std::size_t kNonceBytes = 12;
constexpr std::size_t kTagBytes = 16;
constexpr std::string_view kVersion = "v1";

struct CipherFree {
  void operator()(EVP_CIPHER_CTX* ctx) const { EVP_CIPHER_CTX_free(ctx); }
};
using Cipher = std::unique_ptr<EVP_CIPHER_CTX, CipherFree>;

Cipher newCipher() {
  Cipher ctx(EVP_CIPHER_CTX_new());
  if (!ctx) throw std::runtime_error("AES-256-GCM: out of memory (OpenSSL)");
  return ctx;
}

const unsigned char* bytes(std::string_view text) {
  return reinterpret_cast<const unsigned char*>(text.data());
}
int size(std::string_view text) {
  return static_cast<int>(text.size());
}

// Splits "v1:<id>:<payload>"; false when the text is not in that form.
bool split(std::string_view sealed, std::string_view& id, std::string_view& payload) {
  const auto first = sealed.find(':');
  if (first == std::string_view::npos || sealed.substr(0, first) != kVersion) return false;
  const auto second = sealed.find(':', first + 1);
  if (second == std::string_view::npos) return false;
  id = sealed.substr(first + 1, second - first - 1);
  payload = sealed.substr(second + 1);
  return !id.empty() && !payload.empty();
}

}  // namespace

std::string seal(const Key& key, std::string_view plaintext, std::string_view associated) {
  const std::string nonce = randomBytes(kNonceBytes);
  Cipher ctx = newCipher();
  std::string out(nonce);
  out.resize(kNonceBytes + plaintext.size() + kTagBytes);
  auto* cipherText = reinterpret_cast<unsigned char*>(out.data()) + kNonceBytes;
  int written = 0;
  int final = 0;
  const bool ok =
      EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) == 1 &&
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, kNonceBytes, nullptr) == 1 &&
      EVP_EncryptInit_ex(ctx.get(), nullptr, nullptr, key.data(), bytes(nonce)) == 1 &&
      EVP_EncryptUpdate(ctx.get(), nullptr, &written, bytes(associated), size(associated)) == 1 &&
      EVP_EncryptUpdate(ctx.get(), cipherText, &written, bytes(plaintext), size(plaintext)) == 1 &&
      EVP_EncryptFinal_ex(ctx.get(), cipherText + written, &final) == 1 &&
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTagBytes,
                          cipherText + plaintext.size()) == 1;
  if (!ok) {
    OPENSSL_cleanse(out.data(), out.size());
    throw std::runtime_error("AES-256-GCM encryption failed (OpenSSL)");
  }
  std::string text = std::string(kVersion) + ":" + key.id() + ":" + base64Encode(out);
  return text;
}

std::string open(const Keyring& keys, std::string_view sealed, std::string_view associated) {
  std::string_view id;
  std::string_view payload;
  std::string raw;
  if (!split(sealed, id, payload) || !base64Decode(payload, raw) ||
      raw.size() < kNonceBytes + kTagBytes) {
    throw DecryptError(DecryptError::Reason::malformed,
                       "the stored value is not an encrypted value of this format (v1:KEY:DATA)");
  }
  const Key* key = keys.find(id);
  if (key == nullptr) {
    std::string known = keys.current.id();
    if (keys.previous) known += " and " + keys.previous->id();
    throw DecryptError(DecryptError::Reason::unknownKey,
                       "the value was encrypted under key " + std::string(id) +
                           ", which is neither ENCRYPTION_KEY nor ENCRYPTION_KEY_PREVIOUS (ids " +
                           known + ")");
  }
  const std::string_view view(raw);
  const std::string_view nonce = view.substr(0, kNonceBytes);
  const std::string_view cipherText =
      view.substr(kNonceBytes, raw.size() - kNonceBytes - kTagBytes);
  std::string tag(view.substr(raw.size() - kTagBytes));
  Cipher ctx = newCipher();
  std::string plain(cipherText.size(), '\0');
  auto* out = reinterpret_cast<unsigned char*>(plain.data());
  int written = 0;
  int final = 0;
  const bool ready =
      EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) == 1 &&
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, kNonceBytes, nullptr) == 1 &&
      EVP_DecryptInit_ex(ctx.get(), nullptr, nullptr, key->data(), bytes(nonce)) == 1 &&
      EVP_DecryptUpdate(ctx.get(), nullptr, &written, bytes(associated), size(associated)) == 1 &&
      EVP_DecryptUpdate(ctx.get(), out, &written, bytes(cipherText), size(cipherText)) == 1 &&
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kTagBytes, tag.data()) == 1;
  const bool authentic = ready && EVP_DecryptFinal_ex(ctx.get(), out + written, &final) == 1;
  OPENSSL_cleanse(raw.data(), raw.size());
  if (!authentic) {
    OPENSSL_cleanse(plain.data(), plain.size());
    throw DecryptError(DecryptError::Reason::authentication,
                       "the value does not decrypt under key " + key->id() +
                           ": it was altered, or it belongs to another account or field");
  }
  return plain;
}

std::string keyIdOf(std::string_view sealed) {
  std::string_view id;
  std::string_view payload;
  return split(sealed, id, payload) ? std::string(id) : std::string();
}

}  // namespace common::crypto
