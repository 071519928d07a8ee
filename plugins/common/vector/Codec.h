// Wire forms of a vector: base64 of little-endian float32 (the AI service's "base64" encoding,
// docs/ai.md, and the portable `embedding` column), pgvector's text literal '[x,y,...]' and
// pgvector's binary send format (vector_send).
#pragma once

#include "vector/Vector.h"

#include <string>
#include <string_view>

namespace common::vector {

std::string base64Encode(std::string_view bytes);
// Standard alphabet, '=' padding optional. Throws std::invalid_argument on any other character
// or an impossible length.
std::string base64Decode(std::string_view text);

// Little-endian float32, base64.
std::string encodeFloat32(const Vector& v);
// Throws std::invalid_argument when the text is not base64, its length is not a whole number
// of float32 values, or a value is NaN or infinite.
Vector decodeFloat32(std::string_view base64);

// '[0.1,-2,...]', each value in the shortest form that reads back as the same float.
std::string pgvectorLiteral(const Vector& v);
// '{"[...]","[...]"}': an array literal of vectors, for `$1::vector[]`.
std::string pgvectorArrayLiteral(const Vector* vectors, std::size_t count);
// vector_send's bytes (int16 dimensions, int16 unused, big-endian float32 values), base64 as the
// host's database service returns bytea. Throws std::invalid_argument when malformed.
Vector decodePgvectorBinary(std::string_view base64);

}  // namespace common::vector
