// The AVX-512F kernel: as the AVX2 one with 16-float registers and twice the register file, so
// larger tiles (up to 8 rows x 2 inputs, 4 x 4). Only AVX-512F instructions, and their
// zero-masked forms with a full mask where GCC 12's unmasked intrinsics trip -Wuninitialized.
#include "vector/ScanBlock.h"

#include <immintrin.h>

#define WARREN_TARGET_AVX512 __attribute__((target("avx512f")))

namespace common::vector::detail {
namespace {

constexpr __mmask16 kAll = 0xFFFF;

struct Avx512Tile {
  template <int Q>
  static constexpr int rowsFor() {
    return Q <= 2 ? 8 : 4;
  }

  // Horizontal sum by halving swaps.
  WARREN_TARGET_AVX512 static inline float sum(__m512 v) {
    v = _mm512_add_ps(v, _mm512_maskz_shuffle_f32x4(kAll, v, v, 0x4E));
    v = _mm512_add_ps(v, _mm512_maskz_shuffle_f32x4(kAll, v, v, 0xB1));
    v = _mm512_add_ps(v, _mm512_maskz_permute_ps(kAll, v, 0x4E));
    v = _mm512_add_ps(v, _mm512_maskz_permute_ps(kAll, v, 0xB1));
    return _mm512_cvtss_f32(v);
  }

  // out[i] = the sum of a[i]'s lanes, for 8 accumulators: halves, then quarters, then the four
  // floats of each 128-bit lane are folded, two accumulators per level.
  WARREN_TARGET_AVX512 static inline void sum8(const __m512* a, float* out) {
    __m512 b[4];
    WARREN_UNROLL
    for (int i = 0; i < 4; ++i) {
      // low 256 bits: a[2i]'s halves added; high 256 bits: a[2i+1]'s.
      b[i] = _mm512_add_ps(_mm512_maskz_shuffle_f32x4(kAll, a[2 * i], a[2 * i + 1], 0x44),
                           _mm512_maskz_shuffle_f32x4(kAll, a[2 * i], a[2 * i + 1], 0xEE));
    }
    __m512 c[2];
    WARREN_UNROLL
    for (int j = 0; j < 2; ++j) {
      // 128-bit lane L holds 4 partial sums of a[4j + L].
      c[j] = _mm512_add_ps(_mm512_maskz_shuffle_f32x4(kAll, b[2 * j], b[2 * j + 1], 0x88),
                           _mm512_maskz_shuffle_f32x4(kAll, b[2 * j], b[2 * j + 1], 0xDD));
    }
    __m512 d = _mm512_add_ps(_mm512_maskz_unpacklo_ps(kAll, c[0], c[1]),
                             _mm512_maskz_unpackhi_ps(kAll, c[0], c[1]));
    d = _mm512_add_ps(d, _mm512_maskz_permute_ps(kAll, d, 0x4E));
    // Lane L: element 0 is the sum of a[L], element 1 the sum of a[4 + L].
    alignas(64) float lanes[16];
    _mm512_store_ps(lanes, d);
    WARREN_UNROLL
    for (int l = 0; l < 4; ++l) {
      out[l] = lanes[4 * l];
      out[4 + l] = lanes[4 * l + 1];
    }
  }

  template <int R, int Q>
  WARREN_TARGET_AVX512 static void dots(const float* rows, const float* inputs, std::size_t stride,
                                        float* out) {
    constexpr int kCount = R * Q;
    __m512 acc[kCount];
    WARREN_UNROLL
    for (int i = 0; i < kCount; ++i) {
      acc[i] = _mm512_setzero_ps();
    }
    for (std::size_t k = 0; k < stride; k += 16) {
      __m512 y[Q];
      WARREN_UNROLL
      for (int q = 0; q < Q; ++q) {
        y[q] = _mm512_loadu_ps(inputs + static_cast<std::size_t>(q) * stride + k);
      }
      WARREN_UNROLL
      for (int r = 0; r < R; ++r) {
        const __m512 x = _mm512_loadu_ps(rows + static_cast<std::size_t>(r) * stride + k);
        WARREN_UNROLL
        for (int q = 0; q < Q; ++q) {
          acc[r * Q + q] = _mm512_fmadd_ps(x, y[q], acc[r * Q + q]);
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

void blockAvx512(const RowsView& rows, std::size_t rowBase, const float* inputs,
                 std::size_t inputCount, std::size_t stride, Top* tops) {
  scanBlock<Avx512Tile>(rows, rowBase, inputs, inputCount, stride, tops);
}

}  // namespace common::vector::detail
