#include "vector/Codec.h"

#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <stdexcept>

namespace common::vector {
namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

constexpr std::array<std::int8_t, 256> decodeTable() {
  std::array<std::int8_t, 256> table{};
  for (auto& entry : table) entry = -1;
  for (int i = 0; i < 64; ++i)
    table[static_cast<unsigned char>(kAlphabet[i])] = static_cast<std::int8_t>(i);
  return table;
}
constexpr std::array<std::int8_t, 256> kDecode = decodeTable();

float checkedFloat(std::uint32_t bits) {
  float value;
  std::memcpy(&value, &bits, sizeof value);
  if (!std::isfinite(value)) throw std::invalid_argument("the vector has a NaN or infinite value");
  return value;
}

void appendFloat(std::string& out, float value) {
  char buffer[32];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  out.append(buffer, result.ptr);
}

}  // namespace

std::string base64Encode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const std::uint32_t n = static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i])) << 16 |
                            static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i + 1]))
                                << 8 |
                            static_cast<unsigned char>(bytes[i + 2]);
    out += kAlphabet[n >> 18];
    out += kAlphabet[(n >> 12) & 63];
    out += kAlphabet[(n >> 6) & 63];
    out += kAlphabet[n & 63];
  }
  const std::size_t rest = bytes.size() - i;
  if (rest > 0) {
    std::uint32_t n = static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i])) << 16;
    if (rest == 2) n |= static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i + 1])) << 8;
    out += kAlphabet[n >> 18];
    out += kAlphabet[(n >> 12) & 63];
    out += rest == 2 ? kAlphabet[(n >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

std::string base64Decode(std::string_view text) {
  while (!text.empty() && text.back() == '=') text.remove_suffix(1);
  if (text.size() % 4 == 1) throw std::invalid_argument("base64 text has an impossible length");
  std::string out;
  out.reserve(text.size() / 4 * 3 + 2);
  std::uint32_t buffer = 0;
  int bits = 0;
  for (const char c : text) {
    const std::int8_t value = kDecode[static_cast<unsigned char>(c)];
    if (value < 0) throw std::invalid_argument("base64 text has an invalid character");
    buffer = (buffer << 6) | static_cast<std::uint32_t>(value);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xFF);
    }
  }
  return out;
}

std::string encodeFloat32(const Vector& v) {
  std::string bytes(v.size() * 4, '\0');
  for (std::size_t i = 0; i < v.size(); ++i) {
    std::uint32_t bits;
    std::memcpy(&bits, &v[i], sizeof bits);
    for (int b = 0; b < 4; ++b)
      bytes[i * 4 + static_cast<std::size_t>(b)] = static_cast<char>((bits >> (8 * b)) & 0xFF);
  }
  return base64Encode(bytes);
}

Vector decodeFloat32(std::string_view base64) {
  const std::string bytes = base64Decode(base64);
  if (bytes.size() % 4 != 0)
    throw std::invalid_argument("base64 vector of " + std::to_string(bytes.size()) +
                                " bytes is not a whole number of float32 values");
  Vector v(bytes.size() / 4);
  for (std::size_t i = 0; i < v.size(); ++i) {
    std::uint32_t bits = 0;
    for (int b = 0; b < 4; ++b)
      bits |= static_cast<std::uint32_t>(
                  static_cast<unsigned char>(bytes[i * 4 + static_cast<std::size_t>(b)]))
              << (8 * b);
    v[i] = checkedFloat(bits);
  }
  return v;
}

std::string pgvectorLiteral(const Vector& v) {
  std::string out;
  out.reserve(v.size() * 12 + 2);
  out += '[';
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (i) out += ',';
    appendFloat(out, v[i]);
  }
  out += ']';
  return out;
}

std::string pgvectorArrayLiteral(const Vector* vectors, std::size_t count) {
  std::string out = "{";
  for (std::size_t i = 0; i < count; ++i) {
    if (i) out += ',';
    out += '"';
    out += pgvectorLiteral(vectors[i]);
    out += '"';
  }
  out += '}';
  return out;
}

Vector decodePgvectorBinary(std::string_view base64) {
  const std::string bytes = base64Decode(base64);
  const auto byte = [&bytes](std::size_t i) {
    return static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i]));
  };
  if (bytes.size() < 4) throw std::invalid_argument("pgvector binary value is too short");
  const std::size_t dims = byte(0) << 8 | byte(1);
  if (bytes.size() != 4 + dims * 4)
    throw std::invalid_argument("pgvector binary value of " + std::to_string(bytes.size()) +
                                " bytes does not hold " + std::to_string(dims) + " values");
  Vector v(dims);
  for (std::size_t i = 0; i < dims; ++i) {
    const std::size_t at = 4 + i * 4;
    v[i] = checkedFloat(byte(at) << 24 | byte(at + 1) << 16 | byte(at + 2) << 8 | byte(at + 3));
  }
  return v;
}

}  // namespace common::vector
