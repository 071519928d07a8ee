#include "vector/Vector.h"

#include <cmath>
#include <stdexcept>
#include <string>

namespace common::vector {

double norm(const float* values, std::size_t count) {
  double sum = 0;
  for (std::size_t i = 0; i < count; ++i) sum += static_cast<double>(values[i]) * values[i];
  return std::sqrt(sum);
}

double normalise(Vector& v) {
  if (v.empty()) throw std::invalid_argument("the vector is empty");
  const double length = norm(v);
  if (!std::isfinite(length)) throw std::invalid_argument("the vector has a NaN or infinite value");
  if (length == 0) throw std::invalid_argument("the vector is all zeros");
  for (float& x : v) x = static_cast<float>(x / length);
  return length;
}

double cosine(const float* a, const float* b, std::size_t count) {
  double dot = 0, na = 0, nb = 0;
  for (std::size_t i = 0; i < count; ++i) {
    dot += static_cast<double>(a[i]) * b[i];
    na += static_cast<double>(a[i]) * a[i];
    nb += static_cast<double>(b[i]) * b[i];
  }
  if (na == 0 || nb == 0) throw std::invalid_argument("cosine of a zero vector");
  return dot / std::sqrt(na * nb);
}

double cosine(const Vector& a, const Vector& b) {
  if (a.size() != b.size())
    throw std::invalid_argument("cosine of vectors of " + std::to_string(a.size()) + " and " +
                                std::to_string(b.size()) + " dimensions");
  return cosine(a.data(), b.data(), a.size());
}

}  // namespace common::vector
