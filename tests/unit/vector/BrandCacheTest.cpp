// The per-brand cache against an in-memory row source: the first request loads the window,
// later ones fetch only what is new (with the lookback), rows stored again move, old rows age
// out, a longer window or the reload time loads again, the memory budget evicts and streams,
// and concurrent requests get correct answers.
#include "vector/BrandCache.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

namespace common::vector {
namespace {

constexpr std::int64_t kSecond = 1000000;
constexpr std::int64_t kDay = 86400 * kSecond;
constexpr std::size_t kDims = 16;

// A table of rows, with a log of every fetch.
class MemorySource : public RowSource {
 public:
  struct Fetch {
    std::int64_t from;
    bool paged;
    std::size_t returned;
  };

  void put(const std::string& id, std::int64_t created, Vector values) {
    std::lock_guard guard(mutex_);
    rows_.erase(std::remove_if(rows_.begin(), rows_.end(),
                               [&](const StoredRow& row) { return row.id == id; }),
                rows_.end());
    rows_.push_back(StoredRow{id, created, std::move(values)});
  }
  void remove(const std::string& id) {
    std::lock_guard guard(mutex_);
    rows_.erase(std::remove_if(rows_.begin(), rows_.end(),
                               [&](const StoredRow& row) { return row.id == id; }),
                rows_.end());
  }

  std::vector<StoredRow> fetch(std::int64_t from, const std::optional<RowCursor>& after,
                               std::size_t limit) override {
    std::lock_guard guard(mutex_);
    std::vector<StoredRow> sorted = rows_;
    std::sort(sorted.begin(), sorted.end(), [](const StoredRow& a, const StoredRow& b) {
      return a.created != b.created ? a.created < b.created : a.id < b.id;
    });
    std::vector<StoredRow> out;
    for (const StoredRow& row : sorted) {
      if (row.created < from) continue;
      if (after &&
          (row.created < after->created || (row.created == after->created && row.id <= after->id)))
        continue;
      if (out.size() == limit) break;
      out.push_back(row);
    }
    fetches_.push_back(Fetch{from, after.has_value(), out.size()});
    return out;
  }

  std::vector<Fetch> takeFetches() {
    std::lock_guard guard(mutex_);
    return std::exchange(fetches_, {});
  }

 private:
  std::mutex mutex_;
  std::vector<StoredRow> rows_;
  std::vector<Fetch> fetches_;
};

// A unit vector pointing mostly along axis `axis`.
Vector axisVector(std::size_t axis, float tilt = 0.0f) {
  Vector v(kDims, tilt);
  v[axis % kDims] = 1.0f;
  return v;
}

NearestResult ask(BrandCache& cache, MemorySource& source, const std::string& brand,
                  std::int64_t now, std::int64_t days, std::vector<Vector> inputs) {
  return cache.nearest(CacheKey{brand, "m", kDims}, source, now, now - days * kDay,
                       InputBatch(inputs, kDims));
}

const std::int64_t kNow = 1800000000LL * kSecond;

TEST(BrandCache, FirstRequestLoadsTheWindowThenOnlyNewRowsAreFetched) {
  CacheOptions options;
  options.pageRows = 3;
  options.lookbackMicros = 10 * kSecond;
  BrandCache cache(options);
  MemorySource source;
  for (std::size_t i = 0; i < 7; ++i)
    source.put("r" + std::to_string(i), kNow - (10 - i) * kDay, axisVector(i));
  source.put("old", kNow - 40 * kDay, axisVector(9));

  NearestResult first = ask(cache, source, "b", kNow, 30, {axisVector(2), axisVector(9)});
  EXPECT_EQ(first.rowsCompared, 7u);
  EXPECT_EQ(first.matches[0].id, "r2");
  EXPECT_NEAR(first.matches[0].similarity, 1.0, 1e-6);
  EXPECT_EQ(first.matches[1].id, "r0");  // "old" is outside the 30 days: the closest is another
  std::vector<MemorySource::Fetch> fetches = source.takeFetches();
  ASSERT_EQ(fetches.size(), 3u);  // pages of 3: 3 + 3 + 1
  EXPECT_EQ(fetches[0].from, kNow - 30 * kDay);

  source.put("new", kNow + kSecond, axisVector(11));
  NearestResult second = ask(cache, source, "b", kNow + 2 * kSecond, 30, {axisVector(11)});
  EXPECT_EQ(second.matches[0].id, "new");
  fetches = source.takeFetches();
  ASSERT_EQ(fetches.size(), 1u);
  // From the watermark (r6, 4 days ago) minus the lookback.
  EXPECT_EQ(fetches[0].from, kNow - 4 * kDay - 10 * kSecond);
  EXPECT_EQ(fetches[0].returned, 2u);  // r6 again (within the lookback, skipped) and "new"
  EXPECT_EQ(cache.stats().fullLoads, 1u);
  EXPECT_EQ(cache.stats().refreshes, 1u);
}

TEST(BrandCache, ARowCommittedLateBehindTheWatermarkIsStillSeen) {
  CacheOptions options;
  options.lookbackMicros = 60 * kSecond;
  BrandCache cache(options);
  MemorySource source;
  source.put("a", kNow - 10 * kSecond, axisVector(1));
  ask(cache, source, "b", kNow, 30, {axisVector(1)});
  // A row whose INSERT started 30 s ago commits only now, behind the watermark ("a").
  source.put("late", kNow - 30 * kSecond, axisVector(5));
  const NearestResult result = ask(cache, source, "b", kNow + kSecond, 30, {axisVector(5)});
  EXPECT_EQ(result.matches[0].id, "late");
  EXPECT_EQ(result.rowsCompared, 2u);
}

TEST(BrandCache, ARowStoredAgainMovesInsteadOfDuplicating) {
  BrandCache cache;
  MemorySource source;
  source.put("a", kNow - kDay, axisVector(1));
  source.put("b", kNow - kDay + 1, axisVector(2));
  ask(cache, source, "brand", kNow, 30, {axisVector(1)});
  source.put("a", kNow + kSecond, axisVector(3));  // re-embedded: new vector, new time
  const NearestResult result =
      ask(cache, source, "brand", kNow + 2 * kSecond, 30, {axisVector(1), axisVector(3)});
  EXPECT_EQ(result.rowsCompared, 2u);
  EXPECT_LT(result.matches[0].similarity, 0.5);
  EXPECT_EQ(result.matches[1].id, "a");
  EXPECT_EQ(result.matches[1].created, kNow + kSecond);
}

TEST(BrandCache, OldRowsLeaveTheWindowAndALongerWindowLoadsAgain) {
  CacheOptions options;
  options.reloadMicros = 10 * kDay;
  BrandCache cache(options);
  MemorySource source;
  source.put("edge", kNow - 29 * kDay, axisVector(4));
  source.put("recent", kNow - kDay, axisVector(1));
  EXPECT_EQ(ask(cache, source, "b", kNow, 30, {axisVector(4)}).matches[0].id, "edge");
  // Two days later "edge" is 31 days old.
  const NearestResult later = ask(cache, source, "b", kNow + 2 * kDay, 30, {axisVector(4)});
  EXPECT_EQ(later.rowsCompared, 1u);
  EXPECT_EQ(later.matches[0].id, "recent");
  EXPECT_EQ(cache.stats().fullLoads, 1u);
  // A 60-day window needs rows the entry never loaded.
  const NearestResult longer = ask(cache, source, "b", kNow + 2 * kDay, 60, {axisVector(4)});
  EXPECT_EQ(longer.matches[0].id, "edge");
  EXPECT_EQ(cache.stats().fullLoads, 2u);
  // A shorter window afterwards is a suffix of what is held: no load.
  EXPECT_EQ(ask(cache, source, "b", kNow + 2 * kDay, 7, {axisVector(4)}).rowsCompared, 1u);
  EXPECT_EQ(cache.stats().fullLoads, 2u);
}

TEST(BrandCache, TheReloadTimePicksUpDeletedRows) {
  CacheOptions options;
  options.reloadMicros = 600 * kSecond;
  BrandCache cache(options);
  MemorySource source;
  source.put("gone", kNow - kDay, axisVector(1));
  source.put("kept", kNow - kDay, axisVector(2));
  ask(cache, source, "b", kNow, 30, {axisVector(1)});
  source.remove("gone");
  EXPECT_EQ(ask(cache, source, "b", kNow + 10 * kSecond, 30, {axisVector(1)}).matches[0].id,
            "gone");
  EXPECT_EQ(ask(cache, source, "b", kNow + 601 * kSecond, 30, {axisVector(1)}).matches[0].id,
            "kept");
}

TEST(BrandCache, KeysDoNotMix) {
  BrandCache cache;
  MemorySource one, two;
  one.put("x", kNow - kDay, axisVector(1));
  two.put("y", kNow - kDay, axisVector(1));
  EXPECT_EQ(ask(cache, one, "brand-1", kNow, 30, {axisVector(1)}).matches[0].id, "x");
  EXPECT_EQ(ask(cache, two, "brand-2", kNow, 30, {axisVector(1)}).matches[0].id, "y");
  EXPECT_EQ(cache.stats().entries, 2u);
}

TEST(BrandCache, AnEmptyWindowHasNoMatch) {
  BrandCache cache;
  MemorySource source;
  const NearestResult result = ask(cache, source, "b", kNow, 30, {axisVector(1)});
  EXPECT_FALSE(result.matches[0].found);
  EXPECT_EQ(result.rowsCompared, 0u);
}

TEST(BrandCache, TheBudgetEvictsTheLeastRecentlyUsedBrand) {
  RowSet probe(kDims);
  for (int i = 0; i < 50; ++i) probe.upsert(std::to_string(i), i, axisVector(1).data());
  CacheOptions options;
  options.maxBytes = probe.bytes() * 3 / 2;  // one brand of 50 rows fits, two do not
  BrandCache cache(options);
  MemorySource a, b;
  for (int i = 0; i < 50; ++i) {
    a.put("a" + std::to_string(i), kNow - kDay + i, axisVector(static_cast<std::size_t>(i)));
    b.put("b" + std::to_string(i), kNow - kDay + i, axisVector(static_cast<std::size_t>(i)));
  }
  ask(cache, a, "a", kNow, 30, {axisVector(1)});
  ask(cache, b, "b", kNow, 30, {axisVector(1)});
  CacheStats stats = cache.stats();
  EXPECT_EQ(stats.evictions, 1u);
  EXPECT_EQ(stats.entries, 1u);
  EXPECT_LE(stats.bytes, options.maxBytes);
  EXPECT_EQ(stats.rows, 50u);
  // "a" was evicted: asking again loads it in full.
  ask(cache, a, "a", kNow, 30, {axisVector(1)});
  EXPECT_EQ(cache.stats().fullLoads, 3u);
}

TEST(BrandCache, AWindowLargerThanTheBudgetIsStreamedWithTheSameAnswer) {
  CacheOptions options;
  options.maxBytes = 4096;
  options.pageRows = 7;
  BrandCache cache(options);
  MemorySource source;
  for (int i = 0; i < 100; ++i)
    source.put("r" + std::to_string(i), kNow - kDay + i,
               axisVector(static_cast<std::size_t>(i), 0.01f * static_cast<float>(i)));
  const Vector input = axisVector(3, 0.9f);
  std::string expected;
  double best = -2;
  for (const StoredRow& row : source.fetch(0, std::nullopt, 1000)) {
    const double score = cosine(row.values, input);
    if (score > best) {
      best = score;
      expected = row.id;
    }
  }
  const NearestResult result = ask(cache, source, "b", kNow, 30, {input});
  EXPECT_TRUE(result.streamed);
  EXPECT_EQ(result.rowsCompared, 100u);
  EXPECT_EQ(result.matches[0].id, expected);
  EXPECT_NEAR(result.matches[0].similarity, best, 1e-6);
  source.takeFetches();
  // The next request streams straight away (no failed load first).
  ask(cache, source, "b", kNow + kSecond, 30, {axisVector(3)});
  EXPECT_EQ(source.takeFetches().size(), 15u);  // ceil(100 / 7) pages
  EXPECT_EQ(cache.stats().streamed, 2u);
  EXPECT_EQ(cache.stats().bytes, 0u);
}

TEST(BrandCache, ConcurrentRequestsAndWritesGetCorrectAnswers) {
  CacheOptions options;
  options.maxBytes = 64 << 10;  // small: eviction happens while others scan
  BrandCache cache(options);
  constexpr int kBrands = 4;
  std::vector<MemorySource> sources(kBrands);
  for (int b = 0; b < kBrands; ++b)
    for (int i = 0; i < 100; ++i)
      sources[static_cast<std::size_t>(b)].put(std::to_string(b) + "-" + std::to_string(i),
                                               kNow - kDay + i,
                                               axisVector(static_cast<std::size_t>(i % 8), 0.1f));
  std::atomic<int> wrong{0};
  std::atomic<std::int64_t> clock{kNow};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 100; ++i) {
        const int brand = (t + i) % kBrands;
        MemorySource& source = sources[static_cast<std::size_t>(brand)];
        const std::string id =
            std::to_string(brand) + "-new-" + std::to_string(t) + "-" + std::to_string(i);
        const std::int64_t now = clock.fetch_add(1000);
        // A distinct direction for this request: only the row it just wrote matches it exactly.
        Vector mine(kDims, 0.0f);
        mine[static_cast<std::size_t>(8 + t % 8)] = 1.0f;
        mine[static_cast<std::size_t>(i % 8)] = 0.01f * static_cast<float>(i + 1);
        source.put(id, now, mine);
        const NearestResult result =
            cache.nearest(CacheKey{std::to_string(brand), "m", kDims}, source, now + 1,
                          now - 30 * kDay, InputBatch({mine}, kDims));
        if (!result.matches[0].found || result.matches[0].similarity < 0.999999) ++wrong;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(wrong.load(), 0);
  EXPECT_GT(cache.stats().evictions, 0u);
}

}  // namespace
}  // namespace common::vector
