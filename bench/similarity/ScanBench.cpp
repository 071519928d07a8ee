#include "ScanBench.h"

#include "Data.h"
#include "StreamRead.h"

#include "vector/RowSet.h"
#include "vector/Scan.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>

namespace bench {
namespace {

using Clock = std::chrono::steady_clock;
using common::vector::Isa;

double seconds(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

std::size_t availableBytes() {
  std::ifstream meminfo("/proc/meminfo");
  std::string key;
  std::size_t kib = 0;
  std::string unit;
  while (meminfo >> key >> kib >> unit)
    if (key == "MemAvailable:") return kib * 1024;
  return 0;
}

volatile float g_sink;  // keeps the streaming read's sum alive

struct Timing {
  double read = 1e30;  // best streaming read of the rows
  double scan = 1e30;  // best scan
};

// Alternates a streaming read and a scan `repeat` times and keeps the best of each, so that
// both see the same machine (other processes come and go on a shared one).
Timing measure(const Matrix& m, const common::vector::InputBatch& inputs, Isa isa, int repeat) {
  std::vector<common::vector::Top> tops(inputs.size());
  Timing best;
  for (int i = 0; i < repeat; ++i) {
    auto start = Clock::now();
    g_sink = streamRead(m.values.data(), m.rows * m.stride);
    best.read = std::min(best.read, seconds(start));
    start = Clock::now();
    common::vector::scanTop1(m.view(), inputs.view(), tops.data(), isa);
    best.scan = std::min(best.scan, seconds(start));
  }
  g_sink = tops[0].score;
  return best;
}

const char* mark(bool ok) {
  return ok ? "PASS" : "MISS";
}

}  // namespace

bool runScanBench(const ScanBenchOptions& options) {
  bool allMet = true;
  std::vector<Isa> levels;
  for (const Isa isa : {Isa::avx512, Isa::avx2, Isa::portable})
    if (common::vector::isaAvailable(isa) &&
        (options.allLevels || isa == common::vector::bestIsa()))
      levels.push_back(isa);
  std::printf("## Exact scan against the memory-bandwidth limit\n\n");
  std::printf(
      "Chosen level: %s (the other levels are shown up to %zu rows). Each cell is the best of %d "
      "passes, each pass a streaming read (sum) of "
      "the same rows (\"bandwidth\", the limit) then the scan; \"x limit\" = scan time / read time "
      "(target <= 1.5 for one input); \"per input vs 1\" = (batch time / inputs) / "
      "one-input time (target <= 1).\n\n",
      common::vector::isaName(common::vector::bestIsa()), options.allLevelsMaxRows, options.repeat);
  std::printf(
      "| D | rows | MB | bandwidth GB/s | level | inputs | ms/pass | ms/input | Mrows/s | GB/s | x "
      "limit | per input vs 1 | targets |\n");
  std::printf("|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
  for (const std::size_t dims : options.dims) {
    for (const std::size_t rows : options.rows) {
      const std::size_t need = rows * common::vector::paddedStride(dims) * sizeof(float);
      const std::size_t available = availableBytes();
      if (need > available * 6 / 10) {
        std::printf(
            "| %zu | %zu | %zu | skipped: needs %zu MB, %zu MB available | | | | | | | | | |\n",
            dims, rows, need >> 20, need >> 20, available >> 20);
        continue;
      }
      const Matrix m = randomMatrix(rows, dims, dims * 31 + rows);
      for (const Isa isa : levels) {
        if (isa != common::vector::bestIsa() && rows > options.allLevelsMaxRows) continue;
        double single = 0;
        for (const std::size_t batch : options.batches) {
          Random random(batch);
          std::vector<common::vector::Vector> queries;
          for (std::size_t q = 0; q < batch; ++q)
            queries.push_back(nearCopy(m, random.next() % rows, 0.1f, random));
          const common::vector::InputBatch inputs(queries, dims);
          const Timing timing = measure(m, inputs, isa, options.repeat);
          const double t = timing.scan;
          const double read = timing.read;
          const double bandwidth = static_cast<double>(m.bytes()) / read / 1e9;
          if (batch == 1) single = t;
          const double perInput = t / static_cast<double>(batch);
          const double limitRatio = t / read;
          const double perInputRatio = single > 0 ? perInput / single : 0;
          std::string targets;
          if (batch == 1) {
            const bool ok = limitRatio <= 1.5;
            targets = std::string(mark(ok)) + " <=1.5x";
            if (isa == common::vector::bestIsa()) allMet = allMet && ok;
          } else if (single > 0) {
            const bool ok = perInputRatio <= 1.0;
            targets = std::string(mark(ok)) + " <=1 per input";
            if (isa == common::vector::bestIsa()) allMet = allMet && ok;
          }
          std::printf(
              "| %zu | %zu | %zu | %.1f | %s | %zu | %.2f | %.3f | %.1f | %.1f | %.2f | %s | %s "
              "|\n",
              dims, rows, m.bytes() >> 20, bandwidth, common::vector::isaName(isa), batch, t * 1e3,
              perInput * 1e3, static_cast<double>(rows) / t / 1e6,
              static_cast<double>(m.bytes()) / t / 1e9, limitRatio,
              batch == 1 || single == 0 ? "-" : std::to_string(perInputRatio).substr(0, 5).c_str(),
              targets.c_str());
          std::fflush(stdout);
        }
      }
    }
  }
  std::printf("\n");
  return allMet;
}

}  // namespace bench
