// The portable kernel: accumulators of 4 floats in the compiler's generic vectors, so it is
// vectorised for whatever the baseline ISA is. What runs on CPUs without AVX2.
#include "vector/ScanBlock.h"

#include <cstring>

namespace common::vector::detail {
namespace {

// Four floats as one value (GCC's generic vector extension: SSE2 on x86-64, NEON on ARM,
// scalar code where there is neither).
typedef float Lanes __attribute__((vector_size(16)));

inline Lanes load(const float* p) {
  Lanes v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

struct PortableTile {
  template <int Q>
  static constexpr int rowsFor() {
    // At most 4 accumulators: with the loads they fit 16 vector registers.
    return Q == 1 ? 4 : Q == 2 ? 2 : 1;
  }

  template <int R, int Q>
  static void dots(const float* rows, const float* inputs, std::size_t stride, float* out) {
    Lanes acc[R * Q] = {};
    for (std::size_t k = 0; k < stride; k += 4) {
      Lanes y[Q];
      WARREN_UNROLL
      for (int q = 0; q < Q; ++q) {
        y[q] = load(inputs + static_cast<std::size_t>(q) * stride + k);
      }
      WARREN_UNROLL
      for (int r = 0; r < R; ++r) {
        const Lanes x = load(rows + static_cast<std::size_t>(r) * stride + k);
        WARREN_UNROLL
        for (int q = 0; q < Q; ++q) {
          acc[r * Q + q] += x * y[q];
        }
      }
    }
    WARREN_UNROLL
    for (int i = 0; i < R * Q; ++i) {
      out[i] = (acc[i][0] + acc[i][1]) + (acc[i][2] + acc[i][3]);
    }
  }
};

}  // namespace

void blockPortable(const RowsView& rows, std::size_t rowBase, const float* inputs,
                   std::size_t inputCount, std::size_t stride, Top* tops) {
  scanBlock<PortableTile>(rows, rowBase, inputs, inputCount, stride, tops);
}

}  // namespace common::vector::detail
