// The AVX2 + FMA kernel: R x Q accumulators of 8 floats in registers, each row vector loaded
// once per tile and multiplied into every input of the group.
#include "vector/ScanBlock.h"

#include <immintrin.h>

#define WARREN_TARGET_AVX2 __attribute__((target("avx2,fma")))

namespace common::vector::detail {
namespace {

struct Avx2Tile {
  template <int Q>
  static constexpr int rowsFor() {
    return Q == 1 ? 8 : Q == 2 ? 4 : 2;
  }

  WARREN_TARGET_AVX2 static inline float sum(__m256 v) {
    __m128 low = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    low = _mm_add_ps(low, _mm_movehl_ps(low, low));
    low = _mm_add_ss(low, _mm_shuffle_ps(low, low, 1));
    return _mm_cvtss_f32(low);
  }

  template <int R, int Q>
  WARREN_TARGET_AVX2 static void dots(const float* rows, const float* inputs, std::size_t stride,
                                      float* out) {
    __m256 acc[R][Q];
    for (int r = 0; r < R; ++r)
      for (int q = 0; q < Q; ++q) acc[r][q] = _mm256_setzero_ps();
    for (std::size_t k = 0; k < stride; k += 8) {
      __m256 y[Q];
      for (int q = 0; q < Q; ++q) y[q] = _mm256_loadu_ps(inputs + static_cast<std::size_t>(q) * stride + k);
      for (int r = 0; r < R; ++r) {
        const __m256 x = _mm256_loadu_ps(rows + static_cast<std::size_t>(r) * stride + k);
        for (int q = 0; q < Q; ++q) acc[r][q] = _mm256_fmadd_ps(x, y[q], acc[r][q]);
      }
    }
    for (int r = 0; r < R; ++r)
      for (int q = 0; q < Q; ++q) out[r * Q + q] = sum(acc[r][q]);
  }
};

}  // namespace

void blockAvx2(const RowsView& rows, std::size_t rowBase, const float* inputs,
               std::size_t inputCount, std::size_t stride, Top* tops) {
  scanBlock<Avx2Tile>(rows, rowBase, inputs, inputCount, stride, tops);
}

}  // namespace common::vector::detail
