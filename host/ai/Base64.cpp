#include "ai/Base64.h"

#include <openssl/evp.h>

namespace warren::ai {

std::string base64Encode(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(bytes.data()),
                                static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

namespace {

// 1 for the characters of the standard alphabet.
struct Alphabet {
  bool member[256] = {};
  constexpr Alphabet() {
    for (char c = 'A'; c <= 'Z'; ++c) member[static_cast<unsigned char>(c)] = true;
    for (char c = 'a'; c <= 'z'; ++c) member[static_cast<unsigned char>(c)] = true;
    for (char c = '0'; c <= '9'; ++c) member[static_cast<unsigned char>(c)] = true;
    member[static_cast<unsigned char>('+')] = true;
    member[static_cast<unsigned char>('/')] = true;
  }
};
constexpr Alphabet kAlphabet;

}  // namespace

std::optional<std::size_t> base64DecodedSize(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  std::size_t padding = 0;
  while (padding < 2 && padding < text.size() && text[text.size() - 1 - padding] == '=') {
    ++padding;
  }
  const std::size_t body = text.size() - padding;
  for (std::size_t i = 0; i < body; ++i) {
    if (!kAlphabet.member[static_cast<unsigned char>(text[i])]) return std::nullopt;
  }
  return text.size() / 4 * 3 - padding;
}

std::optional<std::string> base64Decode(std::string_view text) {
  const auto size = base64DecodedSize(text);
  if (!size) return std::nullopt;
  std::string out(text.size() / 4 * 3, '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(text.data()),
                                static_cast<int>(text.size()));
  if (n < 0) return std::nullopt;
  out.resize(*size);
  return out;
}

}  // namespace warren::ai
