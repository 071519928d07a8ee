// The portable kernel: plain loops over 8 lanes per accumulator, which the compiler may
// vectorise for the baseline ISA. Also what runs on CPUs without AVX2.
#include "vector/ScanBlock.h"

namespace common::vector::detail {
namespace {

struct PortableTile {
  template <int Q>
  static constexpr int rowsFor() {
    return Q == 1 ? 4 : 2;
  }

  template <int R, int Q>
  static void dots(const float* rows, const float* inputs, std::size_t stride, float* out) {
    constexpr int kLanes = 8;
    float acc[R * Q][kLanes] = {};
    for (std::size_t k = 0; k < stride; k += kLanes) {
      WARREN_UNROLL
      for (int r = 0; r < R; ++r) {
        const float* x = rows + static_cast<std::size_t>(r) * stride + k;
        WARREN_UNROLL
        for (int q = 0; q < Q; ++q) {
          const float* y = inputs + static_cast<std::size_t>(q) * stride + k;
          WARREN_UNROLL
          for (int l = 0; l < kLanes; ++l) {
            acc[r * Q + q][l] += x[l] * y[l];
          }
        }
      }
    }
    WARREN_UNROLL
    for (int i = 0; i < R * Q; ++i) {
      float sum = 0;
      for (int l = 0; l < kLanes; ++l) sum += acc[i][l];
      out[i] = sum;
    }
  }
};

}  // namespace

void blockPortable(const RowsView& rows, std::size_t rowBase, const float* inputs,
                   std::size_t inputCount, std::size_t stride, Top* tops) {
  scanBlock<PortableTile>(rows, rowBase, inputs, inputCount, stride, tops);
}

}  // namespace common::vector::detail
