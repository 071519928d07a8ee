// The AVX2 + FMA kernel: R x Q accumulators of 8 floats in registers, each row vector loaded
// once per tile and multiplied into every input of the group; eight accumulators at a time are
// reduced together (a transposing horizontal-add tree).
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

  // out[i] = the sum of a[i]'s lanes, for 8 accumulators.
  WARREN_TARGET_AVX2 static inline void sum8(const __m256* a, float* out) {
    const __m256 t0 = _mm256_hadd_ps(a[0], a[1]);
    const __m256 t1 = _mm256_hadd_ps(a[2], a[3]);
    const __m256 t2 = _mm256_hadd_ps(a[4], a[5]);
    const __m256 t3 = _mm256_hadd_ps(a[6], a[7]);
    const __m256 u0 = _mm256_hadd_ps(t0, t1);  // lanes: sums of a0..a3, low then high half
    const __m256 u1 = _mm256_hadd_ps(t2, t3);  // the same for a4..a7
    const __m256 low = _mm256_permute2f128_ps(u0, u1, 0x20);
    const __m256 high = _mm256_permute2f128_ps(u0, u1, 0x31);
    _mm256_storeu_ps(out, _mm256_add_ps(low, high));
  }

  template <int R, int Q>
  WARREN_TARGET_AVX2 static void dots(const float* rows, const float* inputs, std::size_t stride,
                                      float* out) {
    constexpr int kCount = R * Q;
    __m256 acc[kCount];
    WARREN_UNROLL
    for (int i = 0; i < kCount; ++i) {
      acc[i] = _mm256_setzero_ps();
    }
    for (std::size_t k = 0; k < stride; k += 8) {
      __m256 y[Q];
      WARREN_UNROLL
      for (int q = 0; q < Q; ++q) {
        y[q] = _mm256_loadu_ps(inputs + static_cast<std::size_t>(q) * stride + k);
      }
      WARREN_UNROLL
      for (int r = 0; r < R; ++r) {
        const __m256 x = _mm256_loadu_ps(rows + static_cast<std::size_t>(r) * stride + k);
        WARREN_UNROLL
        for (int q = 0; q < Q; ++q) {
          acc[r * Q + q] = _mm256_fmadd_ps(x, y[q], acc[r * Q + q]);
        }
      }
    }
    int i = 0;
    WARREN_UNROLL
    for (; i + 8 <= kCount; i += 8) {
      sum8(acc + i, out + i);
    }
    WARREN_UNROLL
    for (; i < kCount; ++i) {
      out[i] = sum(acc[i]);
    }
  }
};

}  // namespace

void blockAvx2(const RowsView& rows, std::size_t rowBase, const float* inputs,
               std::size_t inputCount, std::size_t stride, Top* tops) {
  scanBlock<Avx2Tile>(rows, rowBase, inputs, inputCount, stride, tops);
}

}  // namespace common::vector::detail
