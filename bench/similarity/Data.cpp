#include "Data.h"

#include "vector/Vector.h"

#include <cmath>

namespace bench {

Matrix randomMatrix(std::size_t rows, std::size_t dims, std::uint64_t seed, std::size_t clusters,
                    float spread) {
  Matrix m;
  m.rows = rows;
  m.dims = dims;
  m.stride = common::vector::paddedStride(dims);
  m.values.assign(rows * m.stride, 0.0f);
  m.inverseNorms.assign(rows, 0.0f);
  Random random(seed);
  std::vector<float> centres(clusters * dims);
  for (float& x : centres) x = random.unit();
  for (std::size_t r = 0; r < rows; ++r) {
    float* row = m.values.data() + r * m.stride;
    const float* centre =
        clusters > 0 ? centres.data() + (random.next() % clusters) * dims : nullptr;
    for (std::size_t d = 0; d < dims; ++d)
      row[d] = (centre != nullptr ? centre[d] : 0.0f) +
               random.unit() * (centre != nullptr ? spread : 1.0f);
    m.inverseNorms[r] = static_cast<float>(1.0 / common::vector::norm(row, dims));
  }
  return m;
}

std::vector<float> nearCopy(const Matrix& m, std::size_t row, float noise, Random& random) {
  std::vector<float> v(m.values.begin() + static_cast<std::ptrdiff_t>(row * m.stride),
                       m.values.begin() + static_cast<std::ptrdiff_t>(row * m.stride + m.dims));
  const double length = common::vector::norm(v.data(), v.size());
  const float scale = static_cast<float>(length / std::sqrt(static_cast<double>(m.dims))) * noise;
  for (float& x : v) x += random.unit() * scale;
  common::vector::normalise(v);
  return v;
}

}  // namespace bench
