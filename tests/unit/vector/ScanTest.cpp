// The SIMD scan at every ISA level this CPU has, and the portable loop, against a plain
// double-precision reference on random data: the same top-1 row and a value within 1e-5.
#include "vector/RowSet.h"
#include "vector/Scan.h"
#include "vector/Vector.h"

#include <gtest/gtest.h>

#include <random>
#include <stdexcept>
#include <string>
#include <vector>

namespace common::vector {
namespace {

struct Reference {
  double score = -2;
  std::size_t row = Top::kNone;
  double runnerUp = -2;  // the second best score, to tell a near tie from a wrong answer
};

Reference reference(const std::vector<Vector>& rows, const Vector& input) {
  Reference best;
  for (std::size_t r = 0; r < rows.size(); ++r) {
    const double score = cosine(rows[r], input);
    if (score > best.score) {
      best.runnerUp = best.score;
      best.score = score;
      best.row = r;
    } else if (score > best.runnerUp) {
      best.runnerUp = score;
    }
  }
  return best;
}

std::vector<Vector> randomVectors(std::mt19937& random, std::size_t count, std::size_t dims) {
  std::normal_distribution<float> value(0.0f, 1.0f);
  std::uniform_real_distribution<float> length(0.1f, 10.0f);  // rows need not be unit length
  std::vector<Vector> out(count, Vector(dims));
  for (Vector& v : out) {
    const float scale = length(random);
    for (float& x : v) x = value(random) * scale;
  }
  return out;
}

std::vector<Isa> levels() {
  std::vector<Isa> out;
  for (const Isa isa : {Isa::portable, Isa::avx2, Isa::avx512})
    if (isaAvailable(isa)) out.push_back(isa);
  return out;
}

void checkAgainstReference(Isa isa, std::size_t rowCount, std::size_t dims, std::size_t inputs,
                           unsigned seed) {
  std::mt19937 random(seed);
  const std::vector<Vector> rows = randomVectors(random, rowCount, dims);
  std::vector<Vector> queries = randomVectors(random, inputs, dims);
  // Half of the inputs are near copies of a row, as a duplicate check sees them.
  std::normal_distribution<float> noise(0.0f, 0.05f);
  for (std::size_t i = 0; i < inputs; i += 2) {
    queries[i] = rows[(i * 7919) % rowCount];
    for (float& x : queries[i]) x += noise(random);
  }
  RowSet set(dims);
  for (std::size_t r = 0; r < rowCount; ++r)
    ASSERT_TRUE(set.upsert("row-" + std::to_string(100000 + r), 1000, rows[r].data()));
  const InputBatch batch(queries, dims);
  std::vector<Top> tops(inputs);
  scanTop1(set.view(), batch.view(), tops.data(), isa);
  for (std::size_t i = 0; i < inputs; ++i) {
    const Reference want = reference(rows, queries[i]);
    const std::string where = std::string(isaName(isa)) + " rows=" + std::to_string(rowCount) +
                              " dims=" + std::to_string(dims) +
                              " inputs=" + std::to_string(inputs) + " input " + std::to_string(i);
    ASSERT_NE(tops[i].row, Top::kNone) << where;
    EXPECT_NEAR(tops[i].score, want.score, 1e-5) << where;
    if (want.score - want.runnerUp > 1e-5) {
      EXPECT_EQ(tops[i].row, want.row) << where;
    }
  }
}

TEST(Scan, MatchesTheDoublePrecisionReferenceAtEveryLevel) {
  for (const Isa isa : levels()) {
    unsigned seed = 1;
    for (const std::size_t dims : {1u, 7u, 16u, 100u, 384u, 1536u})
      for (const std::size_t inputs : {1u, 2u, 3u, 4u, 5u, 13u, 32u})
        checkAgainstReference(isa, 101, dims, inputs, seed++);
  }
}

TEST(Scan, LargeRowCountsSpanSeveralBlocks) {
  // 1201 rows of 1536 dimensions are 7 MB: the scan goes block by block (512 KiB each).
  for (const Isa isa : levels()) checkAgainstReference(isa, 1201, 1536, 9, 77);
}

TEST(Scan, ListsTheLevelsThisCpuHas) {
  EXPECT_TRUE(isaAvailable(Isa::portable));
  EXPECT_TRUE(isaAvailable(bestIsa()));
  std::printf("scan levels on this CPU:");
  for (const Isa isa : levels()) std::printf(" %s", isaName(isa));
  std::printf(" (chosen: %s)\n", isaName(bestIsa()));
}

TEST(Scan, TiesGoToTheFirstRow) {
  const std::size_t dims = 32;
  Vector same(dims, 0.5f);
  RowSet set(dims);
  ASSERT_TRUE(set.upsert("a", 1, same.data()));
  ASSERT_TRUE(set.upsert("b", 2, same.data()));
  const InputBatch batch({same}, dims);
  for (const Isa isa : levels()) {
    Top top;
    scanTop1(set.view(), batch.view(), &top, isa);
    EXPECT_EQ(top.row, 0u) << isaName(isa);
    EXPECT_NEAR(top.score, 1.0, 1e-6) << isaName(isa);
  }
}

TEST(Scan, NoRowsGiveNoMatch) {
  RowSet set(8);
  const InputBatch batch({Vector(8, 1.0f)}, 8);
  Top top;
  top.row = 5;
  scanTop1(set.view(), batch.view(), &top);
  EXPECT_EQ(top.row, Top::kNone);
}

TEST(Scan, RefusesMismatchedStrides) {
  RowSet set(16);
  ASSERT_TRUE(set.upsert("a", 1, Vector(16, 1.0f).data()));
  const InputBatch batch({Vector(40, 1.0f)}, 40);
  Top top;
  try {
    scanTop1(set.view(), batch.view(), &top);
    FAIL() << "expected a refusal";
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "scan: rows have a stride of 16 floats, inputs 48");
  }
}

TEST(InputBatch, NamesTheInputWithTheWrongDimensionCount) {
  try {
    InputBatch batch({Vector(8, 1.0f), Vector(9, 1.0f)}, 8);
    FAIL() << "expected a refusal";
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "input 1 has 9 dimensions, not 8");
  }
  try {
    InputBatch batch({Vector(8, 0.0f)}, 8);
    FAIL() << "expected a refusal";
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "input 0: the vector is all zeros");
  }
}

}  // namespace
}  // namespace common::vector
