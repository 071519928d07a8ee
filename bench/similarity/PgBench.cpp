#include "PgBench.h"

#include "Data.h"
#include "Posts.h"

#include "vector/Codec.h"
#include "vector/HashEmbedder.h"
#include "vector/RowSet.h"
#include "vector/Scan.h"
#include "vector/Schema.h"
#include "vector/Store.h"
#include "vector/Time.h"

#include <libpq-fe.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace bench {
namespace {

using Clock = std::chrono::steady_clock;
using common::vector::Vector;

double seconds(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

class Connection {
 public:
  explicit Connection(const std::string& conninfo) : pg_(PQconnectdb(conninfo.c_str())) {
    if (PQstatus(pg_) != CONNECTION_OK)
      throw std::runtime_error(std::string("connect: ") + PQerrorMessage(pg_));
  }
  ~Connection() { PQfinish(pg_); }

  struct Rows {
    std::unique_ptr<PGresult, decltype(&PQclear)> result{nullptr, PQclear};
    int count() const { return PQntuples(result.get()); }
    std::string at(int row, int column) const { return PQgetvalue(result.get(), row, column); }
    bool null(int row, int column) const { return PQgetisnull(result.get(), row, column) != 0; }
  };

  Rows exec(const std::string& sql, const std::vector<std::string>& params = {}) {
    std::vector<const char*> values;
    for (const std::string& p : params) values.push_back(p.c_str());
    Rows rows;
    rows.result.reset(PQexecParams(pg_, sql.c_str(), static_cast<int>(values.size()), nullptr,
                                   values.empty() ? nullptr : values.data(), nullptr, nullptr, 0));
    const ExecStatusType status = PQresultStatus(rows.result.get());
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
      throw std::runtime_error(
          "SQL failed: " + std::string(PQresultErrorMessage(rows.result.get())) + " in " +
          sql.substr(0, 200));
    return rows;
  }

  // Several statements, no parameters.
  void script(const std::string& sql) {
    std::unique_ptr<PGresult, decltype(&PQclear)> result(PQexec(pg_, sql.c_str()), PQclear);
    if (PQresultStatus(result.get()) != PGRES_COMMAND_OK)
      throw std::runtime_error("SQL failed: " + std::string(PQresultErrorMessage(result.get())));
  }

  PGconn* raw() { return pg_; }

 private:
  PGconn* pg_;
};

void put16(std::string& out, std::uint16_t v) {
  out += static_cast<char>(v >> 8);
  out += static_cast<char>(v & 0xFF);
}
void put32(std::string& out, std::uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out += static_cast<char>((v >> shift) & 0xFF);
}
void put64(std::string& out, std::uint64_t v) {
  for (int shift = 56; shift >= 0; shift -= 8) out += static_cast<char>((v >> shift) & 0xFF);
}
void putText(std::string& out, const std::string& text) {
  put32(out, static_cast<std::uint32_t>(text.size()));
  out += text;
}

// Loads the rows with a binary COPY: text fields as bytes, the integer and the timestamp (µs
// since 2000-01-01) big-endian, the vector as pgvector's recv format.
void load(Connection& pg, const Matrix& m, const std::vector<int>& brands,
          const std::vector<std::int64_t>& created) {
  const std::string sql =
      "COPY content_embeddings (id, brand_profile_id, model, dimensions, text_hash, created_at, "
      "embedding_vector) FROM STDIN (FORMAT binary)";
  std::unique_ptr<PGresult, decltype(&PQclear)> start(PQexec(pg.raw(), sql.c_str()), PQclear);
  if (PQresultStatus(start.get()) != PGRES_COPY_IN)
    throw std::runtime_error(std::string("COPY: ") + PQresultErrorMessage(start.get()));
  constexpr std::int64_t kPostgresEpochMicros = 946684800LL * 1000000;
  std::string chunk("PGCOPY\n\377\r\n\0", 11);
  put32(chunk, 0);  // flags
  put32(chunk, 0);  // header extension
  for (std::size_t r = 0; r < m.rows; ++r) {
    put16(chunk, 7);
    putText(chunk, "r" + std::to_string(r));
    putText(chunk, "brand-" + std::to_string(brands[r]));
    putText(chunk, "bench");
    put32(chunk, 4);
    put32(chunk, static_cast<std::uint32_t>(m.dims));
    putText(chunk, "-");
    put32(chunk, 8);
    put64(chunk, static_cast<std::uint64_t>(created[r] - kPostgresEpochMicros));
    put32(chunk, static_cast<std::uint32_t>(4 + 4 * m.dims));
    put16(chunk, static_cast<std::uint16_t>(m.dims));
    put16(chunk, 0);
    for (std::size_t d = 0; d < m.dims; ++d) {
      std::uint32_t bits;
      std::memcpy(&bits, m.values.data() + r * m.stride + d, sizeof bits);
      put32(chunk, bits);
    }
    if (chunk.size() > (1 << 20) || r + 1 == m.rows) {
      if (r + 1 == m.rows) put16(chunk, 0xFFFF);  // trailer
      if (PQputCopyData(pg.raw(), chunk.data(), static_cast<int>(chunk.size())) != 1)
        throw std::runtime_error(std::string("COPY data: ") + PQerrorMessage(pg.raw()));
      chunk.clear();
    }
  }
  if (PQputCopyEnd(pg.raw(), nullptr) != 1)
    throw std::runtime_error(std::string("COPY end: ") + PQerrorMessage(pg.raw()));
  std::unique_ptr<PGresult, decltype(&PQclear)> end(PQgetResult(pg.raw()), PQclear);
  if (PQresultStatus(end.get()) != PGRES_COMMAND_OK)
    throw std::runtime_error(std::string("COPY: ") + PQresultErrorMessage(end.get()));
  while (PGresult* more = PQgetResult(pg.raw())) PQclear(more);
}

struct Query {
  int brand;
  Vector vector;
  bool duplicate;  // a near copy of a stored row of the brand's window
};

struct Answer {
  std::string id;  // "" when no row came back
  double similarity = 0;
};

double median(std::vector<double> values) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

double percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  return values[std::min(values.size() - 1,
                         static_cast<std::size_t>(p * static_cast<double>(values.size())))];
}

struct FormResult {
  double recallDuplicates = 0;
  double recallNew = 0;
  int empty = 0;
  double medianMs = 0;
  double p95Ms = 0;
};

}  // namespace

bool runPgBench(const PgBenchOptions& options) {
  Connection pg(options.conninfo);
  pg.exec("SET client_min_messages = warning");
  pg.exec("CREATE EXTENSION IF NOT EXISTS vector");
  const std::string version =
      pg.exec("SELECT extversion FROM pg_extension WHERE extname = 'vector'").at(0, 0);
  pg.exec("DROP TABLE IF EXISTS content_embeddings");
  pg.script(common::vector::schema::kPostgres);
  pg.exec("ALTER TABLE content_embeddings ADD COLUMN embedding_vector vector");

  const std::size_t rows = options.rows, dims = options.dims;
  // Posts of each brand, embedded offline: the vectors have the structure of post embeddings.
  const common::vector::HashEmbedder embedder(static_cast<std::uint32_t>(dims));
  PostWriter writer(7);
  Random random(99);
  const std::int64_t now = common::vector::nowMicros();
  const std::int64_t from = now - 30 * common::vector::kMicrosPerDay;
  std::vector<int> brands(rows);
  std::vector<std::int64_t> created(rows);
  std::vector<std::string> texts(rows);
  Matrix m;
  m.rows = rows;
  m.dims = dims;
  m.stride = common::vector::paddedStride(dims);
  m.values.assign(rows * m.stride, 0.0f);
  m.inverseNorms.assign(rows, 1.0f);
  auto start = Clock::now();
  for (std::size_t r = 0; r < rows; ++r) {
    brands[r] = static_cast<int>(random.next() % options.brands);
    created[r] =
        now - static_cast<std::int64_t>(
                  random.next() % static_cast<std::uint64_t>(60 * common::vector::kMicrosPerDay));
    texts[r] = writer.post(static_cast<std::size_t>(brands[r]));
    const Vector v = embedder.embed(texts[r]);
    std::copy(v.begin(), v.end(), m.values.begin() + static_cast<std::ptrdiff_t>(r * m.stride));
  }
  const double embedSeconds = seconds(start);
  start = Clock::now();
  load(pg, m, brands, created);
  pg.exec("ANALYZE content_embeddings");
  const double loadSeconds = seconds(start);
  const std::size_t lists = std::max<std::size_t>(10, rows / 1000);
  start = Clock::now();
  pg.exec("SET maintenance_work_mem = '1GB'");
  pg.exec("CREATE INDEX content_embeddings_ivfflat_" + std::to_string(dims) +
          " ON content_embeddings USING ivfflat ((embedding_vector::vector(" +
          std::to_string(dims) + ")) vector_cosine_ops) WITH (lists = " + std::to_string(lists) +
          ") WHERE dimensions = " + std::to_string(dims));
  const double indexSeconds = seconds(start);

  // Each brand's window, for the exact reference.
  std::vector<std::vector<std::size_t>> window(options.brands);
  for (std::size_t r = 0; r < rows; ++r)
    if (created[r] >= from) window[static_cast<std::size_t>(brands[r])].push_back(r);
  std::vector<Query> queries;
  for (std::size_t q = 0; q < options.queries; ++q) {
    const int brand = static_cast<int>(q % options.brands);
    const auto& own = window[static_cast<std::size_t>(brand)];
    const bool duplicate = q % 2 == 0;
    // A duplicate is a stored post of the brand's window lightly edited; a new post is another
    // post of the brand.
    const std::string text = duplicate ? writer.edit(texts[own[random.next() % own.size()]])
                                       : writer.post(static_cast<std::size_t>(brand));
    queries.push_back({brand, embedder.embed(text), duplicate});
  }
  std::vector<Answer> exact;
  for (const Query& q : queries) {
    Answer best{"", -2};
    for (const std::size_t r : window[static_cast<std::size_t>(q.brand)]) {
      const double s =
          common::vector::cosine(m.values.data() + r * m.stride, q.vector.data(), dims);
      if (s > best.similarity) best = {"r" + std::to_string(r), s};
    }
    exact.push_back(best);
  }

  const auto runForm = [&](const common::vector::PgvectorSearch& search) {
    const std::string sql =
        common::vector::pgvectorBatchSql(search, static_cast<std::uint32_t>(dims));
    FormResult result;
    std::vector<double> ms;
    int sameDup = 0, sameNew = 0, dups = 0, news = 0;
    for (std::size_t i = 0; i < queries.size(); ++i) {
      std::vector<std::string> params = {
          common::vector::pgvectorArrayLiteral(&queries[i].vector, 1),
          "brand-" + std::to_string(queries[i].brand), "bench",
          common::vector::formatTimestamp(from, 6)};
      if (search.form == common::vector::PgvectorSearch::Form::ivfflat) {
        params.push_back(std::to_string(search.probes));
        if (search.iterativeScan != "off") params.push_back(search.iterativeScan);
      }
      const auto t = Clock::now();
      const Connection::Rows answer = pg.exec(sql, params);
      ms.push_back(seconds(t) * 1e3);
      const std::string id = answer.count() > 0 && !answer.null(0, 1) ? answer.at(0, 1) : "";
      if (id.empty()) ++result.empty;
      (queries[i].duplicate ? dups : news) += 1;
      if (id == exact[i].id) (queries[i].duplicate ? sameDup : sameNew) += 1;
    }
    result.recallDuplicates = dups ? static_cast<double>(sameDup) / dups : 0;
    result.recallNew = news ? static_cast<double>(sameNew) / news : 0;
    result.medianMs = median(ms);
    result.p95Ms = percentile(ms, 0.95);
    return result;
  };

  using Form = common::vector::PgvectorSearch::Form;
  struct Named {
    const char* name;
    common::vector::PgvectorSearch search;
  };
  const Named forms[] = {
      {"pgvector-exact (Warren's default)", {Form::exact, 0, "off"}},
      {"ivfflat probes=1 (the seed's)", {Form::ivfflat, 1, "off"}},
      {"ivfflat probes=10", {Form::ivfflat, 10, "off"}},
      {"ivfflat probes=1 + iterative_scan", {Form::ivfflat, 1, "relaxed_order"}},
      {"ivfflat probes=10 + iterative_scan", {Form::ivfflat, 10, "relaxed_order"}},
  };

  std::size_t windowRows = 0;
  for (const auto& w : window) windowRows += w.size();
  std::printf("## PostgreSQL %s with pgvector %s\n\n",
              pg.exec("SHOW server_version").at(0, 0).c_str(), version.c_str());
  std::printf(
      "%zu generated posts of %zu brands (40 topics), embedded offline (warren-hash-1, %zu "
      "dimensions, %.1f s), created over 60 days (30-day window: %zu rows per brand on average); "
      "loaded in %.1f s (binary COPY); ivfflat index (lists = %zu) built in %.1f s. %zu checks, "
      "one "
      "per statement: half edited copies of a post in the brand's window (\"duplicates\"), half "
      "new "
      "posts of the brand; recall@1 against the exact answer computed in double precision.\n\n",
      rows, options.brands, dims, embedSeconds, windowRows / options.brands, loadSeconds, lists,
      indexSeconds, queries.size());
  std::printf(
      "| schema | form | recall@1 duplicates | recall@1 new posts | no row returned | median ms | "
      "p95 ms |\n");
  std::printf("|---|---|---|---|---|---|---|\n");
  bool exactOk = true;
  for (const bool seed : {false, true}) {
    if (seed) {
      pg.exec("BEGIN");
      pg.exec("DROP INDEX content_embeddings_window");  // the seed's schema: ivfflat only
    }
    for (const Named& form : forms) {
      const FormResult r = runForm(form.search);
      std::printf("| %s | %s | %.3f | %.3f | %d of %zu | %.2f | %.2f |\n",
                  seed ? "seed (ivfflat only)" : "Warren (window btree + ivfflat)", form.name,
                  r.recallDuplicates, r.recallNew, r.empty, queries.size(), r.medianMs, r.p95Ms);
      std::fflush(stdout);
      if (form.search.form == Form::exact)
        exactOk = exactOk && r.recallDuplicates == 1.0 && r.recallNew == 1.0;
    }
    if (seed) pg.exec("ROLLBACK");
  }

  // One brand's batch of 32 inputs in one statement (what generate sends), against one each.
  {
    const int brand = 0;
    std::vector<Vector> batch;
    for (const Query& q : queries)
      if (q.brand == brand && batch.size() < 32) batch.push_back(q.vector);
    while (batch.size() < 32)
      batch.push_back(nearCopy(m, window[0][batch.size() % window[0].size()], 0.3f, random));
    const std::string sql =
        common::vector::pgvectorBatchSql({Form::exact, 0, "off"}, static_cast<std::uint32_t>(dims));
    const std::vector<std::string> params = {
        common::vector::pgvectorArrayLiteral(batch.data(), batch.size()), "brand-0", "bench",
        common::vector::formatTimestamp(from, 6)};
    std::vector<double> ms;
    for (int i = 0; i < 5; ++i) {
      const auto t = Clock::now();
      pg.exec(sql, params);
      ms.push_back(seconds(t) * 1e3);
    }
    // The cache path: the brand's window in memory, scanned once for the 32 inputs.
    common::vector::RowSet set(dims);
    for (const std::size_t r : window[0])
      set.upsert("r" + std::to_string(r), created[r], m.values.data() + r * m.stride);
    const common::vector::InputBatch inputs(batch, dims);
    std::vector<common::vector::Top> tops(batch.size());
    std::vector<double> scanMs;
    for (int i = 0; i < 20; ++i) {
      const auto t = Clock::now();
      common::vector::scanTop1(set.view(), inputs.view(), tops.data());
      scanMs.push_back(seconds(t) * 1e3);
    }
    std::printf(
        "\nOne brand's window (%zu rows), 32 inputs: pgvector-exact in one statement %.2f ms (%.3f "
        "ms per input); "
        "Warren's scan from the cache %.3f ms (%.4f ms per input): %.0fx.\n",
        set.size(), median(ms), median(ms) / 32, median(scanMs), median(scanMs) / 32,
        median(ms) / median(scanMs));
  }

  // The same exact query over the whole table: PostgreSQL's sequential scan against Warren's.
  {
    std::vector<double> ms;
    for (int i = 0; i < 5; ++i) {
      const auto t = Clock::now();
      pg.exec("SELECT id FROM content_embeddings ORDER BY embedding_vector <=> $1::vector LIMIT 1",
              {common::vector::pgvectorLiteral(queries[static_cast<std::size_t>(i)].vector)});
      ms.push_back(seconds(t) * 1e3);
    }
    const common::vector::InputBatch one({queries[0].vector}, dims);
    common::vector::Top top;
    std::vector<double> scanMs;
    for (int i = 0; i < 5; ++i) {
      const auto t = Clock::now();
      common::vector::scanTop1(m.view(), one.view(), &top);
      scanMs.push_back(seconds(t) * 1e3);
    }
    std::printf(
        "\nExact top-1 over all %zu rows (no index, no filter), one input: PostgreSQL %.1f ms, "
        "Warren's scan "
        "(%s) %.2f ms: %.0fx.\n\n",
        rows, median(ms), common::vector::isaName(common::vector::bestIsa()), median(scanMs),
        median(ms) / median(scanMs));
  }
  pg.exec("DROP TABLE content_embeddings");
  return exactOk;
}

}  // namespace bench
