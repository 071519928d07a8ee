// The AVX-512F kernel: as the AVX2 one with 16-float registers and twice the register file, so
// larger tiles (up to 4 rows x 4 inputs).
#include "vector/ScanBlock.h"

#include <immintrin.h>

#define WARREN_TARGET_AVX512 __attribute__((target("avx512f")))

namespace common::vector::detail {
namespace {

struct Avx512Tile {
  template <int Q>
  static constexpr int rowsFor() {
    return Q <= 2 ? 8 : 4;
  }

  // Horizontal sum by halving swaps. The zero-masked forms with a full mask are the plain
  // shuffles; the unmasked ones (and _mm512_reduce_add_ps) trip GCC 12's -Wuninitialized.
  WARREN_TARGET_AVX512 static inline float sum(__m512 v) {
    constexpr __mmask16 kAll = 0xFFFF;
    v = _mm512_add_ps(v, _mm512_maskz_shuffle_f32x4(kAll, v, v, 0x4E));
    v = _mm512_add_ps(v, _mm512_maskz_shuffle_f32x4(kAll, v, v, 0xB1));
    v = _mm512_add_ps(v, _mm512_maskz_permute_ps(kAll, v, 0x4E));
    v = _mm512_add_ps(v, _mm512_maskz_permute_ps(kAll, v, 0xB1));
    return _mm512_cvtss_f32(v);
  }

  template <int R, int Q>
  WARREN_TARGET_AVX512 static void dots(const float* rows, const float* inputs, std::size_t stride,
                                        float* out) {
    __m512 acc[R][Q];
    for (int r = 0; r < R; ++r)
      for (int q = 0; q < Q; ++q) acc[r][q] = _mm512_setzero_ps();
    for (std::size_t k = 0; k < stride; k += 16) {
      __m512 y[Q];
      for (int q = 0; q < Q; ++q) y[q] = _mm512_loadu_ps(inputs + static_cast<std::size_t>(q) * stride + k);
      for (int r = 0; r < R; ++r) {
        const __m512 x = _mm512_loadu_ps(rows + static_cast<std::size_t>(r) * stride + k);
        for (int q = 0; q < Q; ++q) acc[r][q] = _mm512_fmadd_ps(x, y[q], acc[r][q]);
      }
    }
    for (int r = 0; r < R; ++r)
      for (int q = 0; q < Q; ++q) out[r * Q + q] = sum(acc[r][q]);
  }
};

}  // namespace

void blockAvx512(const RowsView& rows, std::size_t rowBase, const float* inputs,
                 std::size_t inputCount, std::size_t stride, Top* tops) {
  scanBlock<Avx512Tile>(rows, rowBase, inputs, inputCount, stride, tops);
}

}  // namespace common::vector::detail
