// The stored vectors of recently used brands, in memory, for the exact scan: a batch of inputs
// reads a brand's rows once, from RAM, and only rows newer than the cache's watermark come from
// the database on each request.
//
// Keys are (brand, model, dimensions). Each entry holds every row of its key created at or after
// `windowFrom`, ordered by creation. A request refreshes its entry first:
//   - the first request, one for a longer window than loaded, or one after `reloadMicros`
//     (which also picks up deleted rows) loads the window in full, page by page;
//   - otherwise only rows created at or after (watermark - lookbackMicros) are fetched: the
//     lookback re-reads the last moments, because a row's created_at is taken when its INSERT
//     starts and it becomes visible at commit, so a row can appear behind the newest one seen.
//     Rows already held (same id and time) are skipped; a row stored again moves.
// Rows that fall out of the longest window asked for since the last full load are dropped.
//
// Memory: the entries together stay within `maxBytes`; the least recently used entries are
// evicted first. A key whose window alone exceeds it is not cached: until the next reload
// time its rows are streamed from the database page by page through the scan on every request
// (still read once per batch). An entry in use by a scan when it is evicted is freed when that
// scan ends.
//
// Threads: any number of requests at once. Refreshes of one entry are serialised; scans of it
// run concurrently with each other.
#pragma once

#include "vector/RowSet.h"
#include "vector/Scan.h"
#include "vector/Vector.h"

#include <cstddef>
#include <cstdint>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

namespace common::vector {

struct StoredRow {
  std::string id;
  std::int64_t created = 0;  // microseconds since the epoch
  Vector values;
};

struct RowCursor {
  std::int64_t created = 0;
  std::string id;
};

// Where the cache reads rows (the database in production; memory in tests).
class RowSource {
 public:
  virtual ~RowSource() = default;
  // The key's rows created at or after `from` and, when `after` is set, after it in
  // (created, id) order; ordered by (created, id); at most `limit`.
  virtual std::vector<StoredRow> fetch(std::int64_t from, const std::optional<RowCursor>& after,
                                       std::size_t limit) = 0;
};

struct CacheKey {
  std::string brand;
  std::string model;
  std::uint32_t dimensions = 0;
  bool operator<(const CacheKey& other) const {
    return std::tie(brand, model, dimensions) <
           std::tie(other.brand, other.model, other.dimensions);
  }
};

struct CacheOptions {
  std::size_t maxBytes = 256u << 20;
  std::int64_t lookbackMicros = 60 * 1000000LL;
  std::int64_t reloadMicros = 600 * 1000000LL;
  std::size_t pageRows = 2000;
};

struct Match {
  bool found = false;
  std::string id;
  double similarity = 0;
  std::int64_t created = 0;
};

struct NearestResult {
  std::vector<Match> matches;    // one per input
  std::size_t rowsCompared = 0;  // rows of the key in the window
  bool streamed = false;         // the window did not fit the cache
};

struct CacheStats {
  std::size_t entries = 0;
  std::size_t bytes = 0;
  std::size_t rows = 0;
  std::uint64_t fullLoads = 0;
  std::uint64_t refreshes = 0;
  std::uint64_t rowsFetched = 0;
  std::uint64_t evictions = 0;
  std::uint64_t streamed = 0;
};

class BrandCache {
 public:
  explicit BrandCache(CacheOptions options = {});
  ~BrandCache();
  BrandCache(const BrandCache&) = delete;
  BrandCache& operator=(const BrandCache&) = delete;

  // For each input, the row of `key` created at or after `from` with the highest cosine
  // similarity. `now` is the caller's clock (the window's end). Errors of the source propagate.
  NearestResult nearest(const CacheKey& key, RowSource& source, std::int64_t now, std::int64_t from,
                        const InputBatch& inputs, Isa isa = bestIsa());

  CacheStats stats() const;
  void clear();

 private:
  struct Entry;
  std::shared_ptr<Entry> entryFor(const CacheKey& key);
  // Refreshes `entry`; false when the window does not fit the budget (the caller streams).
  bool refresh(Entry& entry, RowSource& source, std::int64_t now, std::int64_t from);
  bool fullLoad(Entry& entry, RowSource& source, std::int64_t now, std::int64_t from);
  void account(const CacheKey& key, const std::shared_ptr<Entry>& entry, std::size_t bytes,
               std::size_t rows);
  NearestResult stream(RowSource& source, std::int64_t from, const InputBatch& inputs, Isa isa);

  const CacheOptions options_;
  mutable std::mutex mutex_;  // guards everything below, never held while waiting on an entry
  std::map<CacheKey, std::shared_ptr<Entry>> entries_;
  std::list<CacheKey> recency_;  // front: most recently used
  std::size_t bytes_ = 0;
  CacheStats counters_;
};

}  // namespace common::vector
