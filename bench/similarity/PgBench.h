// Part 2 of the similarity bench: the same duplicate check in PostgreSQL with pgvector.
#pragma once

#include <cstddef>
#include <string>

namespace bench {

struct PgBenchOptions {
  std::string conninfo;  // libpq connection string; empty: skipped
  std::size_t rows = 100000;
  std::size_t dims = 768;
  std::size_t brands = 100;
  std::size_t queries = 100;
};

bool runPgBench(const PgBenchOptions& options);

}  // namespace bench
