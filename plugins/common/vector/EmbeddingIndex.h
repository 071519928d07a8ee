// What a plugin uses to store vectors and check new texts against a brand's recent ones:
// content_embeddings (Store) plus the search chosen for the database at hand.
//
//   common::vector::EmbeddingIndex index(host, options);   // in the plugin's constructor
//   index.prepare();                                       // once, before the first job
//   Embeddings e = embedder.embed(&job, texts);
//   SimilarityResult r = index.nearest(&job, brand, e.model, e.vectors, 30);
//   index.store(job, brand, e, items);                     // keep what was accepted
//
// Searches (Method): `scan` reads the brand's window into the BrandCache and runs the exact
// SIMD scan; `pgvector-exact` and `pgvector-ivfflat` run pgvector's batch query (exact by
// construction, or the seed's ivfflat form). `auto` is pgvector-exact where the vectors are in
// pgvector and scan elsewhere. Every form compares only rows of the same model and length.
#pragma once

#include "vector/BrandCache.h"
#include "vector/Embedder.h"
#include "vector/Store.h"

#include <warren/plugin.hpp>

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace common::vector {

enum class Method { automatic, scan, pgvectorExact, pgvectorIvfflat };
// "auto", "scan", "pgvector-exact", "pgvector-ivfflat"; throws std::invalid_argument otherwise.
Method parseMethod(const std::string& name);
const char* methodName(Method method);

struct IndexOptions {
  Method method = Method::automatic;
  PgvectorSearch ivfflat{PgvectorSearch::Form::ivfflat};  // probes and iterative scan
  CacheOptions cache;
  StoreOptions store;
  std::int64_t maintainEveryMicros = 3600 * 1000000LL;  // ivfflat index check after stores
};

struct StoreItem {
  std::string text;
  std::optional<std::string> sourceId;
  std::string sourceType = "text";
};

struct SimilarityMatch {
  bool found = false;
  std::string id;
  double similarity = 0;
  std::int64_t created = 0;
  std::optional<RowInfo> row;  // the matched row's source and text (when asked)
};

struct SimilarityResult {
  std::vector<SimilarityMatch> matches;  // one per input vector
  Method method = Method::scan;          // the search that ran
  std::size_t rowsCompared = 0;          // the brand's rows of this model in the window
};

class EmbeddingIndex {
 public:
  EmbeddingIndex(const warren::Host& host, IndexOptions options);

  // Sets up the storage (Store::prepare) and resolves `auto`. Throws std::runtime_error when a
  // pgvector method was configured and the vectors are not in pgvector. Returns log lines.
  std::vector<std::string> prepare();
  Layout layout() const { return store_.layout(); }
  Method method() const { return method_; }
  const Store& storage() const { return store_; }
  CacheStats cacheStats() const { return cache_.stats(); }

  // Stores one vector per item for `brand` (ids from Store::rowId, with the job's queue and id
  // for items without a source id) and returns the row ids in order.
  std::vector<std::string> store(const warren::Job& job, const std::string& brand,
                                 const Embeddings& embeddings, const std::vector<StoreItem>& items);

  // For each vector, the most similar of `brand`'s rows of (model, vectors' length) created in
  // the last `days` days. When the window holds no row of this model but rows of others, throws
  // job::Unrecoverable naming both: vectors of different models are never compared.
  SimilarityResult nearest(const warren::Job* job, const std::string& brand,
                           const std::string& model, const std::vector<Vector>& vectors,
                           std::int64_t days, bool describeMatches = true);

 private:
  IndexOptions options_;
  Store store_;
  BrandCache cache_;
  Method method_ = Method::scan;
  std::atomic<std::int64_t> lastMaintenance_{0};
};

}  // namespace common::vector
