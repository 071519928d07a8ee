#include "vector/Scan.h"

#include <algorithm>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <string_view>

namespace common::vector {
namespace {

// Rows per block: enough to fill about half of a 1 MiB L2 cache, so the block stays cached
// while every group of 4 inputs passes over it. With one group (<= 4 inputs) the rows are read
// from memory exactly once.
constexpr std::size_t kBlockBytes = 512 * 1024;

detail::BlockFn kernel(Isa isa) {
  switch (isa) {
    case Isa::avx512:
      return detail::blockAvx512;
    case Isa::avx2:
      return detail::blockAvx2;
    case Isa::portable:
      break;
  }
  return detail::blockPortable;
}

Isa cpuBest() {
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f")) return Isa::avx512;
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return Isa::avx2;
  return Isa::portable;
}

}  // namespace

const char* isaName(Isa isa) {
  switch (isa) {
    case Isa::avx512:
      return "avx512";
    case Isa::avx2:
      return "avx2";
    case Isa::portable:
      break;
  }
  return "portable";
}

bool isaAvailable(Isa isa) {
  static const Isa best = cpuBest();
  return static_cast<int>(isa) <= static_cast<int>(best);
}

Isa bestIsa() {
  static const Isa chosen = [] {
    Isa isa = cpuBest();
    if (const char* cap = std::getenv("WARREN_VECTOR_ISA")) {
      const std::string_view name(cap);
      for (const Isa level : {Isa::portable, Isa::avx2, Isa::avx512}) {
        if (name == isaName(level) && static_cast<int>(level) < static_cast<int>(isa)) isa = level;
      }
    }
    return isa;
  }();
  return chosen;
}

void scanTop1(const RowsView& rows, const InputsView& inputs, Top* out, Isa isa) {
  if (inputs.count == 0) return;
  if (rows.count > 0 && rows.stride != inputs.stride)
    throw std::invalid_argument("scan: rows have a stride of " + std::to_string(rows.stride) +
                                " floats, inputs " + std::to_string(inputs.stride));
  if (inputs.stride == 0 || inputs.stride % kStrideFloats != 0)
    throw std::invalid_argument("scan: the stride must be a positive multiple of " +
                                std::to_string(kStrideFloats) + " floats");
  if (!isaAvailable(isa))
    throw std::invalid_argument(std::string("scan: this CPU has no ") + isaName(isa));
  for (std::size_t i = 0; i < inputs.count; ++i) out[i] = Top{};
  const detail::BlockFn block = kernel(isa);
  const std::size_t stride = inputs.stride;
  const std::size_t blockRows = std::max<std::size_t>(8, kBlockBytes / (stride * sizeof(float)));
  for (std::size_t first = 0; first < rows.count; first += blockRows) {
    RowsView part;
    part.data = rows.data + first * stride;
    part.inverseNorms = rows.inverseNorms + first;
    part.count = std::min(blockRows, rows.count - first);
    part.stride = stride;
    for (std::size_t group = 0; group < inputs.count; group += 4) {
      const std::size_t count = std::min<std::size_t>(4, inputs.count - group);
      block(part, first, inputs.data + group * stride, count, stride, out + group);
    }
  }
}

}  // namespace common::vector
