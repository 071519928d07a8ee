// The exact similarity scan: for each of B input vectors, the row of N stored vectors with the
// highest cosine similarity, reading the rows once per batch. SIMD is chosen at run time
// (AVX-512F, AVX2+FMA, or a portable loop); every level gives the same answer up to float
// rounding (checked against a double-precision reference in the tests).
//
// Layout: rows and inputs are float32, `stride` floats apart, stride a multiple of kStrideFloats
// (64 bytes) with the padding after the last dimension zero. Inputs are unit vectors; each row
// carries the inverse of its norm, so the score is the exact cosine whatever the rows' lengths.
#pragma once

#include <cstddef>
#include <cstdint>

namespace common::vector {

constexpr std::size_t kStrideFloats = 16;
constexpr std::size_t paddedStride(std::size_t dims) {
  return (dims + kStrideFloats - 1) / kStrideFloats * kStrideFloats;
}

enum class Isa { portable, avx2, avx512 };

const char* isaName(Isa isa);
// True when this CPU runs `isa` (portable always).
bool isaAvailable(Isa isa);
// The widest available level; WARREN_VECTOR_ISA=portable|avx2|avx512 in the environment caps it.
Isa bestIsa();

struct RowsView {
  const float* data = nullptr;          // count x stride floats
  const float* inverseNorms = nullptr;  // count values: 1 / |row| (0 for a zero row)
  std::size_t count = 0;
  std::size_t stride = 0;
};

struct InputsView {
  const float* data = nullptr;  // count x stride floats, each a unit vector
  std::size_t count = 0;
  std::size_t stride = 0;
};

struct Top {
  static constexpr std::size_t kNone = static_cast<std::size_t>(-1);
  float score = -2.0f;      // cosine similarity of `row`
  std::size_t row = kNone;  // index in the rows, kNone when there were no rows
};

// out[i] = the best row for input i (ties: the lowest row index). Throws std::invalid_argument
// when the strides differ or are not multiples of kStrideFloats, or `isa` is not available.
void scanTop1(const RowsView& rows, const InputsView& inputs, Top* out, Isa isa = bestIsa());

namespace detail {
// One ISA's kernel over a block of rows and at most 4 inputs, merging into `tops`.
using BlockFn = void (*)(const RowsView& rows, std::size_t rowBase, const float* inputs,
                         std::size_t inputCount, std::size_t stride, Top* tops);
void blockPortable(const RowsView&, std::size_t, const float*, std::size_t, std::size_t, Top*);
void blockAvx2(const RowsView&, std::size_t, const float*, std::size_t, std::size_t, Top*);
void blockAvx512(const RowsView&, std::size_t, const float*, std::size_t, std::size_t, Top*);
}  // namespace detail

}  // namespace common::vector
