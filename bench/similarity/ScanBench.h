// Part 1 of the similarity bench: the exact scan against the memory-bandwidth limit.
#pragma once

#include <cstddef>
#include <vector>

namespace bench {

struct ScanBenchOptions {
  std::vector<std::size_t> dims{768, 1536};
  std::vector<std::size_t> rows{100000, 1000000};
  std::vector<std::size_t> batches{1, 32};
  int repeat = 3;                         // passes per cell; the best is reported
  bool allLevels = true;                  // every ISA level, not only the chosen one...
  std::size_t allLevelsMaxRows = 100000;  // ...for row counts up to this (the chosen one above)
};

// Prints the tables; returns false when a target was missed.
bool runScanBench(const ScanBenchOptions& options);

}  // namespace bench
