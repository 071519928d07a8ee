// The loop shared by the scan kernels (internal to Scan*.cpp): a block of rows against a group of
// at most 4 inputs, in register tiles of Tile::rowsFor(Q) rows x Q inputs. `Tile` is defined in
// an unnamed namespace of each kernel's file, with that file's target attribute; this loop
// itself is compiled for the baseline ISA and calls the tile once per tile.
#pragma once

#include "vector/Scan.h"

// Fully unrolls a loop over a tile's rows or inputs, so that its accumulators live in registers
// (GCC 12 at -O2 keeps them on the stack otherwise, which costs 3-5x).
#define WARREN_UNROLL _Pragma("GCC unroll 16")

namespace common::vector::detail {

// `rows` is the block (its data and inverse norms start at the block's first row); rowBase is
// that row's index in the whole scan, which is what `tops` records.
template <typename Tile, int Q>
void scanGroup(const RowsView& rows, std::size_t rowBase, const float* inputs, std::size_t stride,
               Top* tops) {
  constexpr int R = Tile::template rowsFor<Q>();
  float dots[R * Q];
  const auto merge = [&](std::size_t first, int count) {
    for (int r = 0; r < count; ++r) {
      const std::size_t local = first + static_cast<std::size_t>(r);
      const float inverse = rows.inverseNorms[local];
      for (int q = 0; q < Q; ++q) {
        const float score = dots[r * Q + q] * inverse;
        if (score > tops[q].score) {
          tops[q].score = score;
          tops[q].row = rowBase + local;
        }
      }
    }
  };
  std::size_t local = 0;
  for (; local + R <= rows.count; local += R) {
    Tile::template dots<R, Q>(rows.data + local * stride, inputs, stride, dots);
    merge(local, R);
  }
  for (; local < rows.count; ++local) {
    Tile::template dots<1, Q>(rows.data + local * stride, inputs, stride, dots);
    merge(local, 1);
  }
}

template <typename Tile>
void scanBlock(const RowsView& rows, std::size_t rowBase, const float* inputs,
               std::size_t inputCount, std::size_t stride, Top* tops) {
  switch (inputCount) {
    case 1:
      return scanGroup<Tile, 1>(rows, rowBase, inputs, stride, tops);
    case 2:
      return scanGroup<Tile, 2>(rows, rowBase, inputs, stride, tops);
    case 3:
      return scanGroup<Tile, 3>(rows, rowBase, inputs, stride, tops);
    default:
      return scanGroup<Tile, 4>(rows, rowBase, inputs, stride, tops);
  }
}

}  // namespace common::vector::detail
