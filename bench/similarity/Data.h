// Bench data: random vectors in the scan's layout, made quickly (a xorshift generator, not
// std::normal_distribution: 1M x 1536 values must take seconds, not minutes).
#pragma once

#include "vector/RowSet.h"
#include "vector/Scan.h"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace bench {

struct Matrix {
  common::vector::AlignedFloats values;  // rows x stride
  std::vector<float> inverseNorms;
  std::size_t rows = 0;
  std::size_t dims = 0;
  std::size_t stride = 0;
  common::vector::RowsView view() const {
    return {values.data(), inverseNorms.data(), rows, stride};
  }
  std::size_t bytes() const { return rows * stride * sizeof(float); }
};

class Random {
 public:
  explicit Random(std::uint64_t seed) : state_(seed * 0x9E3779B97F4A7C15ULL + 1) {}
  std::uint64_t next() {
    state_ ^= state_ << 13;
    state_ ^= state_ >> 7;
    state_ ^= state_ << 17;
    return state_;
  }
  // Uniform in [-1, 1).
  float unit() { return static_cast<float>(static_cast<double>(next() >> 11) * 0x1.0p-52 - 1.0); }

 private:
  std::uint64_t state_;
};

// `rows` random vectors of `dims` values around `clusters` centres (clusters = 0: no structure),
// each centre plus uniform noise `spread` times the centres' own scale (1.5: a row's cosine to
// its centre is about 0.55 and to another row of its topic about 0.3, as embeddings of posts on
// one topic are).
Matrix randomMatrix(std::size_t rows, std::size_t dims, std::uint64_t seed,
                    std::size_t clusters = 0, float spread = 1.5f);
// One vector: a copy of row `row` of `m` plus noise of relative size `noise`, unit length.
std::vector<float> nearCopy(const Matrix& m, std::size_t row, float noise, Random& random);

}  // namespace bench
