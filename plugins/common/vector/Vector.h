// Float32 embedding vectors: L2 normalisation and cosine similarity.
#pragma once

#include <cstddef>
#include <vector>

namespace common::vector {

using Vector = std::vector<float>;

// Euclidean norm, accumulated in double.
double norm(const float* values, std::size_t count);
inline double norm(const Vector& v) {
  return norm(v.data(), v.size());
}

// Scales `v` to unit length and returns its norm before scaling. A vector that cannot be
// normalised (empty, all zeros, or with a NaN/infinite component) throws std::invalid_argument.
double normalise(Vector& v);

// Cosine similarity in double precision (the reference the SIMD scan is checked against).
// Throws std::invalid_argument when the sizes differ or either vector has norm zero.
double cosine(const float* a, const float* b, std::size_t count);
double cosine(const Vector& a, const Vector& b);

}  // namespace common::vector
