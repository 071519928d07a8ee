#include "vector/BrandCache.h"

#include <algorithm>
#include <shared_mutex>

namespace common::vector {

struct BrandCache::Entry {
  explicit Entry(std::size_t dims) : rows(dims) {}
  std::shared_mutex lock;  // shared: scans; exclusive: refreshes
  // Under `lock`:
  RowSet rows;
  bool loaded = false;
  std::int64_t windowFrom = 0;  // every row created at or after this is in `rows`
  std::int64_t span = 0;        // the longest window (now - from) asked for since the load
  std::int64_t watermark = 0;   // the newest created time seen
  std::int64_t loadedAt = 0;
  bool oversized = false;  // the window did not fit the budget at loadedAt: stream it
  // Under BrandCache::mutex_:
  std::size_t accounted = 0;
  std::size_t accountedRows = 0;
  std::list<CacheKey>::iterator recency;
  bool listed = false;
};

namespace {

void merge(std::vector<Match>& best, const std::vector<Top>& tops, const RowSet& rows) {
  for (std::size_t i = 0; i < best.size(); ++i) {
    if (tops[i].row == Top::kNone) continue;
    if (!best[i].found || tops[i].score > best[i].similarity) {
      best[i].found = true;
      best[i].similarity = tops[i].score;
      best[i].id = rows.id(tops[i].row);
      best[i].created = rows.created(tops[i].row);
    }
  }
}

}  // namespace

BrandCache::BrandCache(CacheOptions options) : options_(options) {}
BrandCache::~BrandCache() = default;

std::shared_ptr<BrandCache::Entry> BrandCache::entryFor(const CacheKey& key) {
  std::lock_guard guard(mutex_);
  auto& entry = entries_[key];
  if (!entry) entry = std::make_shared<Entry>(key.dimensions);
  if (entry->listed) recency_.erase(entry->recency);
  recency_.push_front(key);
  entry->recency = recency_.begin();
  entry->listed = true;
  return entry;
}

bool BrandCache::fullLoad(Entry& entry, RowSource& source, std::int64_t now, std::int64_t from) {
  entry.rows.clear();
  entry.loaded = false;
  std::optional<RowCursor> cursor;
  std::uint64_t fetched = 0;
  for (;;) {
    std::vector<StoredRow> page = source.fetch(from, cursor, options_.pageRows);
    fetched += page.size();
    for (const StoredRow& row : page) {
      if (row.values.size() == entry.rows.dims())
        entry.rows.upsert(row.id, row.created, row.values.data());
    }
    if (entry.rows.bytes() > options_.maxBytes) {
      entry.rows.clear();
      entry.oversized = true;
      entry.loadedAt = now;
      return false;
    }
    if (page.size() < options_.pageRows) break;
    cursor = RowCursor{page.back().created, page.back().id};
  }
  entry.loaded = true;
  entry.oversized = false;
  entry.windowFrom = from;
  entry.span = now - from;
  entry.loadedAt = now;
  entry.watermark = entry.rows.size() > 0 ? entry.rows.created(entry.rows.size() - 1) : from;
  std::lock_guard guard(mutex_);
  ++counters_.fullLoads;
  counters_.rowsFetched += fetched;
  return true;
}

bool BrandCache::refresh(Entry& entry, RowSource& source, std::int64_t now, std::int64_t from) {
  if (entry.oversized && now - entry.loadedAt <= options_.reloadMicros) return false;
  if (!entry.loaded || from < entry.windowFrom || now - entry.loadedAt > options_.reloadMicros)
    return fullLoad(entry, source, now, from);
  std::optional<RowCursor> cursor;
  const std::int64_t since = std::max(entry.windowFrom, entry.watermark - options_.lookbackMicros);
  std::uint64_t fetched = 0;
  for (;;) {
    std::vector<StoredRow> page = source.fetch(since, cursor, options_.pageRows);
    fetched += page.size();
    for (const StoredRow& row : page) {
      entry.watermark = std::max(entry.watermark, row.created);
      if (row.values.size() != entry.rows.dims()) continue;
      if (entry.rows.createdOf(row.id) == row.created) continue;  // held already
      entry.rows.upsert(row.id, row.created, row.values.data());
    }
    if (page.size() < options_.pageRows) break;
    cursor = RowCursor{page.back().created, page.back().id};
  }
  entry.span = std::max(entry.span, now - from);
  // Drop what no request since the load asked for, once it is a quarter of the rows (each drop
  // moves the matrix).
  const std::int64_t keepFrom = now - entry.span;
  if (entry.rows.firstFrom(keepFrom) * 4 > entry.rows.size()) {
    entry.rows.dropBefore(keepFrom);
    entry.windowFrom = std::max(entry.windowFrom, keepFrom);
  }
  {
    std::lock_guard guard(mutex_);
    ++counters_.refreshes;
    counters_.rowsFetched += fetched;
  }
  if (entry.rows.bytes() <= options_.maxBytes) return true;
  entry.rows.clear();
  entry.loaded = false;
  entry.oversized = true;
  entry.loadedAt = now;
  return false;
}

void BrandCache::account(const CacheKey& key, const std::shared_ptr<Entry>& entry,
                         std::size_t bytes, std::size_t rows) {
  std::lock_guard guard(mutex_);
  const auto found = entries_.find(key);
  if (found == entries_.end() || found->second != entry) return;  // evicted meanwhile
  bytes_ = bytes_ - entry->accounted + bytes;
  entry->accounted = bytes;
  entry->accountedRows = rows;
  // Evict from the least recently used end, never the entry just refreshed.
  while (bytes_ > options_.maxBytes && !recency_.empty()) {
    const CacheKey victim = recency_.back();
    if (!(victim < key) && !(key < victim)) break;
    const auto it = entries_.find(victim);
    bytes_ -= it->second->accounted;
    it->second->listed = false;
    recency_.pop_back();
    entries_.erase(it);
    ++counters_.evictions;
  }
}

NearestResult BrandCache::stream(RowSource& source, std::int64_t from, const InputBatch& inputs,
                                 Isa isa) {
  NearestResult result;
  result.streamed = true;
  result.matches.resize(inputs.size());
  std::vector<Top> tops(inputs.size());
  std::optional<RowCursor> cursor;
  RowSet page(inputs.dims());
  std::uint64_t fetched = 0;
  for (;;) {
    std::vector<StoredRow> rows = source.fetch(from, cursor, options_.pageRows);
    fetched += rows.size();
    page.clear();
    for (const StoredRow& row : rows)
      if (row.values.size() == page.dims()) page.upsert(row.id, row.created, row.values.data());
    result.rowsCompared += page.size();
    scanTop1(page.view(), inputs.view(), tops.data(), isa);
    merge(result.matches, tops, page);
    if (rows.size() < options_.pageRows) break;
    cursor = RowCursor{rows.back().created, rows.back().id};
  }
  std::lock_guard guard(mutex_);
  ++counters_.streamed;
  counters_.rowsFetched += fetched;
  return result;
}

NearestResult BrandCache::nearest(const CacheKey& key, RowSource& source, std::int64_t now,
                                  std::int64_t from, const InputBatch& inputs, Isa isa) {
  // Between the refresh (exclusive) and the scan (shared) another request may reload or clear
  // the entry: the scan checks that the entry still holds this window, else starts again.
  constexpr int kAttempts = 3;
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    const std::shared_ptr<Entry> entry = entryFor(key);
    bool fits;
    std::size_t bytes;
    std::size_t rows;
    {
      std::unique_lock exclusive(entry->lock);
      fits = refresh(*entry, source, now, from);
      bytes = entry->rows.bytes();
      rows = entry->rows.size();
    }
    account(key, entry, bytes, rows);
    if (!fits) return stream(source, from, inputs, isa);
    std::shared_lock shared(entry->lock);
    if (!entry->loaded || entry->oversized || from < entry->windowFrom) continue;
    NearestResult result;
    result.matches.resize(inputs.size());
    const RowsView window = entry->rows.view(entry->rows.firstFrom(from));
    result.rowsCompared = window.count;
    std::vector<Top> tops(inputs.size());
    scanTop1(window, inputs.view(), tops.data(), isa);
    const std::size_t first = entry->rows.size() - window.count;
    for (Top& top : tops)
      if (top.row != Top::kNone) top.row += first;
    merge(result.matches, tops, entry->rows);
    return result;
  }
  return stream(source, from, inputs, isa);
}

CacheStats BrandCache::stats() const {
  std::lock_guard guard(mutex_);
  CacheStats stats = counters_;
  stats.entries = entries_.size();
  stats.bytes = bytes_;
  for (const auto& [key, entry] : entries_) stats.rows += entry->accountedRows;
  return stats;
}

void BrandCache::clear() {
  std::lock_guard guard(mutex_);
  entries_.clear();
  recency_.clear();
  bytes_ = 0;
}

}  // namespace common::vector
