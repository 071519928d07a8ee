// content_embeddings (vector/Schema.h) through the host's database service: storing vectors,
// reading a brand's rows for the exact scan, and pgvector's own search where the extension is.
//
// Where a vector lives (Layout), decided at prepare() from what the database has:
//   sqlite    `embedding` holds base64 of little-endian float32 (SQLite has no base64 decoder,
//             and the host's service binds text);
//   postgres  `embedding` bytea, float32 little-endian (no pgvector);
//   pgvector  `embedding_vector`, an untyped pgvector `vector` column, so rows of every model
//             and length share one table; `embedding` is NULL. Each length gets its own partial
//             expression index, `(embedding_vector::vector(N)) vector_cosine_ops WHERE
//             dimensions = N`, the form pgvector indexes a typed column in.
#pragma once

#include "db/Db.h"
#include "vector/BrandCache.h"
#include "vector/Vector.h"

#include <warren/plugin.hpp>

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace common::vector {

enum class Layout { sqlite, postgres, pgvector };
const char* layoutName(Layout layout);

struct StoreOptions {
  bool pgvectorSetup = true;  // create the extension and column when the server has pgvector
  bool ivfflatIndex = true;   // keep an ivfflat index per vector length (the seed's index)
  std::int64_t ivfflatMinRows = 10000;  // below this many rows an index is not worth building
};

struct NewRow {
  std::string id;  // Store::rowId
  std::string sourceType;
  std::optional<std::string> sourceId;
  std::string text;
  Vector values;
};

struct RowInfo {
  std::string id;
  std::string sourceType;
  std::optional<std::string> sourceId;
  std::optional<std::string> text;
  std::int64_t created = 0;
};

struct ModelRows {
  std::string model;
  std::uint32_t dimensions = 0;
  std::int64_t rows = 0;
};

// pgvector's two forms of the batch query (the seed's single statement: the inputs unnested,
// CROSS JOIN LATERAL ... ORDER BY <=> LIMIT 1).
struct PgvectorSearch {
  enum class Form {
    exact,    // ORDER BY an expression no index serves: PostgreSQL reads the brand's window
              // through content_embeddings_window and sorts it, so the answer is exact
    ivfflat,  // the seed's form: the per-length ivfflat index, brand and window filtered after
              // the index scan (approximate; see probes and iterativeScan)
  };
  Form form = Form::exact;
  int probes = 10;                              // ivfflat.probes for this statement
  std::string iterativeScan = "relaxed_order";  // ivfflat.iterative_scan ("off": not set)
};

// pgvector's batch statement for vectors of `dims` values. Parameters: $1 the inputs
// (pgvectorArrayLiteral), $2 the brand, $3 the model, $4 the window's start (timestamptz text);
// with the ivfflat form $5 ivfflat.probes and, unless iterativeScan is "off", $6
// ivfflat.iterative_scan. Rows: ord (1-based input), id, similarity, created_at, compared.
std::string pgvectorBatchSql(const PgvectorSearch& search, std::uint32_t dims);

class Store {
 public:
  Store(const warren::Host& host, StoreOptions options = {});

  // At init, outside any job: finds the backend and, on PostgreSQL, pgvector. When the server
  // has the extension (and pgvectorSetup) it creates it, adds embedding_vector, moves rows
  // stored before into it and builds the ivfflat indexes. Returns what it did, for the log.
  std::vector<std::string> prepare();
  Layout layout() const { return layout_; }

  // SHA-256 of the text, hex.
  static std::string textHash(std::string_view text);
  // A row's id (32 hex digits of a SHA-256): of the brand, model, dimensions and source when
  // there is a source id, so storing the same post again replaces its row; otherwise of the
  // queue, job id, item index and text, so a retried job replaces what its first run stored.
  static std::string rowId(const std::string& brand, const std::string& model, std::uint32_t dims,
                           const std::string& sourceType,
                           const std::optional<std::string>& sourceId, std::string_view queue,
                           std::string_view jobId, std::size_t index, std::string_view textHash);

  // Stores (or replaces) rows of one brand and model; every vector has `dims` values.
  void insert(const warren::Job* job, const std::string& brand, const std::string& model,
              std::uint32_t dims, const std::vector<NewRow>& rows) const;

  // The key's rows created at or after `from`, after `after`, by (created, id), at most `limit`.
  std::vector<StoredRow> fetch(const warren::Job* job, const CacheKey& key, std::int64_t from,
                               const std::optional<RowCursor>& after, std::size_t limit) const;

  // pgvector's batch query (layout() == pgvector only); rowsCompared is the window's size.
  NearestResult nearestPgvector(const warren::Job* job, const CacheKey& key, std::int64_t from,
                                const std::vector<Vector>& inputs,
                                const PgvectorSearch& search) const;

  // The models and lengths of a brand's rows created at or after `from`.
  std::vector<ModelRows> models(const warren::Job* job, const std::string& brand,
                                std::int64_t from) const;
  // Source, text and time of the rows with these ids (any order).
  std::vector<RowInfo> describe(const warren::Job* job, const std::vector<std::string>& ids) const;

  // (Re)builds the ivfflat index of each length with enough rows whose index is missing,
  // invalid or has lists far from the row count's (rows / 1000, sqrt(rows) above 1M rows).
  std::vector<std::string> maintainIndexes(const warren::Job* job) const;

 private:
  std::string timestampParam(std::int64_t micros) const;
  std::string createdColumn() const;
  std::vector<std::string> setUpPgvector();
  std::size_t moveToPgvector() const;

  db::Db db_;
  StoreOptions options_;
  Layout layout_ = Layout::sqlite;
};

// The cache's row source for one key, reading through a Store within a job.
class StoreRows : public RowSource {
 public:
  StoreRows(const Store& store, const warren::Job* job, CacheKey key)
      : store_(store), job_(job), key_(std::move(key)) {}
  std::vector<StoredRow> fetch(std::int64_t from, const std::optional<RowCursor>& after,
                               std::size_t limit) override {
    return store_.fetch(job_, key_, from, after, limit);
  }

 private:
  const Store& store_;
  const warren::Job* job_;
  CacheKey key_;
};

}  // namespace common::vector
