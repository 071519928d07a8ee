// similarity-bench: the exact similarity scan against the memory-bandwidth limit, and against
// the same query in PostgreSQL with pgvector (exact, and ivfflat with its recall). Prints
// markdown tables; bench/similarity.sh runs it with a private PostgreSQL.
#include "PgBench.h"
#include "ScanBench.h"

#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace {

std::vector<std::size_t> sizes(const std::string& text) {
  std::vector<std::size_t> out;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ','))
    if (!item.empty()) out.push_back(static_cast<std::size_t>(std::stoull(item)));
  return out;
}

[[noreturn]] void usage() {
  std::fprintf(
      stderr,
      "usage: similarity-bench [--dims 768,1536] [--rows 100000,1000000] [--batches 1,32]\n"
      "                        [--repeat 3] [--chosen-level-only] [--no-scan]\n"
      "                        [--pg CONNINFO] [--pg-rows 100000] [--pg-dims 768]\n"
      "                        [--pg-brands 100] [--pg-queries 100]\n");
  std::exit(2);
}

}  // namespace

int main(int argc, char** argv) {
  bench::ScanBenchOptions scan;
  bench::PgBenchOptions pg;
  bool runScan = true;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg(argv[i]);
    const auto value = [&]() -> std::string {
      if (i + 1 >= argc) usage();
      return argv[++i];
    };
    if (arg == "--dims")
      scan.dims = sizes(value());
    else if (arg == "--rows")
      scan.rows = sizes(value());
    else if (arg == "--batches")
      scan.batches = sizes(value());
    else if (arg == "--repeat")
      scan.repeat = std::stoi(value());
    else if (arg == "--chosen-level-only")
      scan.allLevels = false;
    else if (arg == "--no-scan")
      runScan = false;
    else if (arg == "--pg")
      pg.conninfo = value();
    else if (arg == "--pg-rows")
      pg.rows = std::stoull(value());
    else if (arg == "--pg-dims")
      pg.dims = std::stoull(value());
    else if (arg == "--pg-brands")
      pg.brands = std::stoull(value());
    else if (arg == "--pg-queries")
      pg.queries = std::stoull(value());
    else
      usage();
  }
  bool met = true;
  if (runScan) met = bench::runScanBench(scan) && met;
  if (!pg.conninfo.empty()) met = bench::runPgBench(pg) && met;
  std::printf("Targets: %s\n", met ? "all met" : "some missed (see the tables)");
  return 0;
}
