#include "PgBench.h"

#include <cstdio>

namespace bench {

bool runPgBench(const PgBenchOptions&) {
  std::printf("(PostgreSQL part not written yet)\n");
  return true;
}

}  // namespace bench
