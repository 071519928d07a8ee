// The row set keeps rows ordered by (created, id), replaces rows by id and drops old ones.
#include "vector/RowSet.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

namespace common::vector {
namespace {

Vector filled(std::size_t dims, float value) {
  return Vector(dims, value);
}

std::vector<std::string> ids(const RowSet& set) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < set.size(); ++i) out.push_back(set.id(i));
  return out;
}

TEST(RowSet, KeepsRowsInCreationOrderAndReplacesById) {
  RowSet set(3);
  EXPECT_EQ(set.stride(), 16u);
  ASSERT_TRUE(set.upsert("c", 30, filled(3, 3).data()));
  ASSERT_TRUE(set.upsert("a", 10, filled(3, 1).data()));
  ASSERT_TRUE(set.upsert("b", 20, filled(3, 2).data()));
  ASSERT_TRUE(set.upsert("b2", 20, filled(3, 2).data()));
  EXPECT_EQ(ids(set), (std::vector<std::string>{"a", "b", "b2", "c"}));
  // "a" stored again later (re-embedded): it moves, with its new values.
  ASSERT_TRUE(set.upsert("a", 40, filled(3, 4).data()));
  EXPECT_EQ(ids(set), (std::vector<std::string>{"b", "b2", "c", "a"}));
  EXPECT_FLOAT_EQ(set.values(3)[0], 4.0f);
  EXPECT_FLOAT_EQ(set.values(3)[3], 0.0f);  // padding stays zero
  EXPECT_EQ(set.firstFrom(20), 0u);
  EXPECT_EQ(set.firstFrom(21), 2u);
  EXPECT_EQ(set.firstFrom(41), 4u);
  set.dropBefore(25);
  EXPECT_EQ(ids(set), (std::vector<std::string>{"c", "a"}));
  EXPECT_FALSE(set.contains("b"));
  EXPECT_TRUE(set.contains("a"));
  const RowsView view = set.view(1);
  EXPECT_EQ(view.count, 1u);
  EXPECT_FLOAT_EQ(view.inverseNorms[0], static_cast<float>(1.0 / std::sqrt(48.0)));
}

TEST(RowSet, RefusesVectorsThatCannotBeCompared) {
  RowSet set(4);
  EXPECT_FALSE(set.upsert("zero", 1, filled(4, 0).data()));
  EXPECT_EQ(set.size(), 0u);
}

TEST(RowSet, CountsItsMemory) {
  RowSet set(1536);
  const std::size_t empty = set.bytes();
  for (int i = 0; i < 100; ++i)
    ASSERT_TRUE(set.upsert(std::to_string(i), i, filled(1536, 1).data()));
  EXPECT_GE(set.bytes() - empty, 100u * 1536 * 4);
  EXPECT_LE(set.bytes() - empty, 2u * 100 * 1536 * 4 + 100 * 200);
}

}  // namespace
}  // namespace common::vector
