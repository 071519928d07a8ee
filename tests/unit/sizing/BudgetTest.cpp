#include "sizing/Budget.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <random>
#include <stdexcept>

namespace warren::sizing {
namespace {

std::vector<QueueDemand> defaultQueues() {
  std::vector<QueueDemand> queues;
  for (const char* name :
       {"analytics-collect", "content-analyze", "post-publish", "content-generate"}) {
    queues.push_back({name, defaultWeight(name), std::nullopt, std::nullopt});
  }
  return queues;
}

std::map<std::string, std::uint32_t> slotsOf(const BudgetSplit& split) {
  std::map<std::string, std::uint32_t> out;
  for (const auto& s : split.shares) out[s.name] = s.slots;
  return out;
}

std::vector<std::string> namesOf(const BudgetSplit& split) {
  std::vector<std::string> out;
  for (const auto& s : split.shares) out.push_back(s.name);
  return out;
}

TEST(DefaultWeight, PipelineQueuesAndOthers) {
  EXPECT_EQ(defaultWeight("post-publish"), 40u);
  EXPECT_EQ(defaultWeight("content-generate"), 30u);
  EXPECT_EQ(defaultWeight("content-analyze"), 20u);
  EXPECT_EQ(defaultWeight("analytics-collect"), 10u);
  EXPECT_EQ(defaultWeight("video-render"), 10u);
  EXPECT_EQ(defaultWeight("video-render", 7), 7u);
}

TEST(SplitBudget, DefaultQueuesWithBudgetTenGetFourThreeTwoOne) {
  const auto split = splitBudget(10, defaultQueues());
  EXPECT_EQ(namesOf(split), (std::vector<std::string>{"post-publish", "content-generate",
                                                      "content-analyze", "analytics-collect"}));
  EXPECT_EQ(slotsOf(split), (std::map<std::string, std::uint32_t>{{"post-publish", 4},
                                                                  {"content-generate", 3},
                                                                  {"content-analyze", 2},
                                                                  {"analytics-collect", 1}}));
  EXPECT_EQ(split.assigned, 10u);
  EXPECT_EQ(split.unused, 0u);
  EXPECT_TRUE(split.notes.empty());
}

TEST(SplitBudget, BudgetBelowQueueCountGivesEachQueueOneSlotAndSaysSo) {
  const auto split = splitBudget(3, defaultQueues());
  for (const auto& share : split.shares) EXPECT_EQ(share.slots, 1u) << share.name;
  EXPECT_EQ(split.assigned, 4u);
  ASSERT_EQ(split.notes.size(), 1u);
  EXPECT_EQ(split.notes[0],
            "node budget 3 is smaller than the number of queues (4): each queue still gets 1 "
            "slot, 4 in total");
  EXPECT_EQ(splitBudget(0, defaultQueues()).assigned, 4u);
}

TEST(SplitBudget, BudgetEqualToQueueCountGivesOneEachWithoutNote) {
  const auto split = splitBudget(4, defaultQueues());
  for (const auto& share : split.shares) EXPECT_EQ(share.slots, 1u);
  EXPECT_TRUE(split.notes.empty());
}

TEST(SplitBudget, LargestRemainderKeepsTheSumExact) {
  // 7 × 40/100 = 2.8, 2.1, 1.4, 0.7 → the weight-10 queue is raised to 1, the other 6 slots are
  // shared 40:30:20 (2.67, 2, 1.33) and the largest remainder goes to post-publish.
  const auto split = splitBudget(7, defaultQueues());
  EXPECT_EQ(slotsOf(split), (std::map<std::string, std::uint32_t>{{"post-publish", 3},
                                                                  {"content-generate", 2},
                                                                  {"content-analyze", 1},
                                                                  {"analytics-collect", 1}}));
  EXPECT_EQ(split.assigned, 7u);
}

TEST(SplitBudget, CappedQueueGivesItsShareToTheOthersByWeight) {
  auto queues = defaultQueues();
  for (auto& q : queues) {
    if (q.name == "post-publish") q.concurrencyCap = 2;
  }
  const auto split = splitBudget(10, queues);
  // The 8 other slots go 30:20:10 → 4, 2.67, 1.33 → 4, 3, 1.
  EXPECT_EQ(slotsOf(split), (std::map<std::string, std::uint32_t>{{"post-publish", 2},
                                                                  {"content-generate", 4},
                                                                  {"content-analyze", 3},
                                                                  {"analytics-collect", 1}}));
  EXPECT_EQ(split.shares[0].limitedBy, "concurrency");
  EXPECT_EQ(split.shares[0].cap, 2u);
  EXPECT_EQ(split.shares[1].limitedBy, "");
  ASSERT_EQ(split.notes.size(), 1u);
  EXPECT_EQ(split.notes[0],
            "queue 'post-publish' is held at 2 slots by its concurrency cap; the rest of its "
            "share goes to the other queues");
}

TEST(SplitBudget, LowerOfConcurrencyAndMemoryCapApplies) {
  auto queues = defaultQueues();
  for (auto& q : queues) {
    if (q.name == "content-generate") {
      q.concurrencyCap = 3;
      q.memoryCap = 1;
    }
    if (q.name == "content-analyze") {
      q.concurrencyCap = 1;
      q.memoryCap = 5;
    }
  }
  const auto split = splitBudget(10, queues);
  // 8 slots left for weights 40 and 10: 6.4 and 1.6, the larger remainder rounds up.
  EXPECT_EQ(slotsOf(split), (std::map<std::string, std::uint32_t>{{"post-publish", 6},
                                                                  {"content-generate", 1},
                                                                  {"content-analyze", 1},
                                                                  {"analytics-collect", 2}}));
  EXPECT_EQ(split.shares[1].limitedBy, "memory");
  EXPECT_EQ(split.shares[2].limitedBy, "concurrency");
  EXPECT_EQ(split.assigned, 10u);
}

TEST(SplitBudget, CapOfZeroCountsAsOne) {
  auto queues = defaultQueues();
  queues[0].memoryCap = 0;  // analytics-collect
  const auto split = splitBudget(10, queues);
  EXPECT_EQ(slotsOf(split).at("analytics-collect"), 1u);
  EXPECT_EQ(split.assigned, 10u);
}

TEST(SplitBudget, CapAndMinimumTogether) {
  // λ = 0.06: "big" wants 6 but is capped at 5, "tiny" queues sit at their minimum of 1, "mid"
  // takes the rest (3).
  const std::vector<QueueDemand> queues = {{"big", 100, 5, std::nullopt},
                                           {"mid", 50, std::nullopt, std::nullopt},
                                           {"tiny-a", 1, std::nullopt, std::nullopt},
                                           {"tiny-b", 1, std::nullopt, std::nullopt}};
  const auto split = splitBudget(10, queues);
  EXPECT_EQ(slotsOf(split), (std::map<std::string, std::uint32_t>{
                                {"big", 5}, {"mid", 3}, {"tiny-a", 1}, {"tiny-b", 1}}));
}

TEST(SplitBudget, EveryQueueAtItsCapLeavesTheRestUnused) {
  auto queues = defaultQueues();
  for (auto& q : queues) q.concurrencyCap = 2;
  const auto split = splitBudget(20, queues);
  for (const auto& share : split.shares) {
    EXPECT_EQ(share.slots, 2u);
    EXPECT_EQ(share.limitedBy, "concurrency");
  }
  EXPECT_EQ(split.assigned, 8u);
  EXPECT_EQ(split.unused, 12u);
  EXPECT_EQ(split.notes.back(), "every queue is at its cap: 12 of 20 budget slots stay unused");
  EXPECT_EQ(split.notes.front(), "queue 'post-publish' is held at 2 slots by its concurrency cap");
}

TEST(SplitBudget, TiesGoByWeightThenName) {
  const std::vector<QueueDemand> queues = {{"b", 10, std::nullopt, std::nullopt},
                                           {"c", 10, std::nullopt, std::nullopt},
                                           {"a", 10, std::nullopt, std::nullopt}};
  const auto split = splitBudget(4, queues);
  EXPECT_EQ(namesOf(split), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(slotsOf(split), (std::map<std::string, std::uint32_t>{{"a", 2}, {"b", 1}, {"c", 1}}));
}

TEST(SplitBudget, ResultDoesNotDependOnInputOrder) {
  auto queues = defaultQueues();
  queues.push_back({"video-render", 25, 3, std::nullopt});
  queues.push_back({"embed", 25, std::nullopt, 2});
  const auto reference = splitBudget(13, queues);
  std::mt19937 random(7);
  for (int i = 0; i < 20; ++i) {
    std::shuffle(queues.begin(), queues.end(), random);
    const auto split = splitBudget(13, queues);
    ASSERT_EQ(namesOf(split), namesOf(reference));
    EXPECT_EQ(slotsOf(split), slotsOf(reference));
  }
}

// The exact λ of Σ clamp(λ·w, 1, cap) = budget, by bisection: an independent reference for the
// water-filling in splitBudget.
std::vector<double> idealShares(std::uint32_t budget, const std::vector<QueueDemand>& queues) {
  auto total = [&](double lambda, std::vector<double>* out) {
    double sum = 0;
    for (const auto& q : queues) {
      const double cap = q.concurrencyCap ? std::max(1u, *q.concurrencyCap) : budget;
      const double share = std::clamp(lambda * q.weight, 1.0, cap);
      if (out != nullptr) out->push_back(share);
      sum += share;
    }
    return sum;
  };
  double lo = 0;
  double hi = budget;
  for (int i = 0; i < 200; ++i) {
    const double mid = (lo + hi) / 2;
    (total(mid, nullptr) < budget ? lo : hi) = mid;
  }
  std::vector<double> shares;
  total(hi, &shares);
  return shares;
}

TEST(SplitBudget, SumEqualsBudgetAndSharesStayWithinOneOfTheIdeal) {
  std::mt19937 random(42);
  std::uniform_int_distribution<std::uint32_t> weight(1, 60);
  std::uniform_int_distribution<std::uint32_t> cap(1, 12);
  std::uniform_int_distribution<int> coin(0, 2);
  for (int round = 0; round < 300; ++round) {
    std::vector<QueueDemand> queues;
    const int count = 1 + round % 7;
    std::uint64_t capacity = 0;
    for (int i = 0; i < count; ++i) {
      QueueDemand q{"q" + std::to_string(i), weight(random), std::nullopt, std::nullopt};
      if (coin(random) == 0) q.concurrencyCap = cap(random);
      capacity += q.concurrencyCap ? *q.concurrencyCap : 1000;
      queues.push_back(q);
    }
    for (std::uint32_t budget = static_cast<std::uint32_t>(count); budget <= 40; ++budget) {
      if (capacity < budget) break;
      const auto split = splitBudget(budget, queues);
      ASSERT_EQ(split.assigned, budget) << "round " << round;
      const auto ideal = idealShares(budget, queues);
      for (std::size_t i = 0; i < queues.size(); ++i) {
        const auto slots = slotsOf(split).at(queues[i].name);
        EXPECT_GE(slots, 1u);
        if (queues[i].concurrencyCap) {
          EXPECT_LE(slots, *queues[i].concurrencyCap);
        }
        EXPECT_LT(std::fabs(slots - ideal[i]), 1.0 + 1e-9)
            << "round " << round << " budget " << budget << " queue " << queues[i].name;
      }
    }
  }
}

TEST(SplitBudget, NoQueuesLeavesTheBudgetUnused) {
  const auto split = splitBudget(5, {});
  EXPECT_TRUE(split.shares.empty());
  EXPECT_EQ(split.unused, 5u);
}

TEST(SplitBudget, RefusesBadQueues) {
  auto expectRefusal = [](std::uint32_t budget, std::vector<QueueDemand> queues,
                          const std::string& message) {
    try {
      splitBudget(budget, queues);
      ADD_FAILURE() << "expected: " << message;
    } catch (const std::invalid_argument& e) {
      EXPECT_EQ(e.what(), message);
    }
  };
  expectRefusal(10, {{"a", 10, {}, {}}, {"a", 20, {}, {}}}, "queue 'a' is listed twice");
  expectRefusal(10, {{"a", 0, {}, {}}}, "queue 'a': weight 0 is outside 1 … 1000000");
  expectRefusal(10, {{"", 10, {}, {}}}, "a queue has no name");
  expectRefusal(2000000, {{"a", 10, {}, {}}}, "node budget 2000000 is above the limit of 1000000");
}

}  // namespace
}  // namespace warren::sizing
