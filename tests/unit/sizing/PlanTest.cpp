#include "sizing/Plan.h"
#include "sizing/PlanReport.h"

#include <gtest/gtest.h>

#include <stdexcept>

namespace warren::sizing {
namespace {

PlanResult planFor(std::uint64_t posts, std::uint64_t materials = 0) {
  PlanInputs in;
  in.postsPerDay = posts;
  in.materialsPerDay = materials;
  return plan(in);
}

TEST(Plan, ThousandPostsPerDay) {
  const auto r = planFor(1000);
  EXPECT_DOUBLE_EQ(r.peakFactor, 2.4);
  EXPECT_NEAR(r.peakPostsPerSecond, 1000 * 0.4 / 14400.0, 1e-12);
  EXPECT_NEAR(r.busySlots, 1.0 / 3.0, 1e-12);  // 0.02778 posts/s × 12 s
  EXPECT_EQ(r.workers, 2u);                    // ceil(0.33 / 5) = 1, raised to the HA minimum
  EXPECT_EQ(r.slots, 10u);
  EXPECT_EQ(r.dbConnections, 40u);     // 2 × 10 + 20
  EXPECT_EQ(r.retainedJobs, 2000u);    // 2 jobs per post, kept 24 h
  EXPECT_EQ(r.redisBytes, 20480000u);  // × 10 KiB
  EXPECT_EQ(r.tier, "standard");
  EXPECT_EQ(r.tierNodes, 1u);
}

TEST(Plan, HundredThousandPostsAndFiftyThousandMaterials) {
  const auto r = planFor(100000, 50000);
  // Peak work: (100000 × 12 s + 50000 × 5 s) × 40 % over 4 h = 40.28 jobs at once.
  EXPECT_NEAR(r.busySlots, 40.277777777777778, 1e-9);
  EXPECT_EQ(r.workers, 9u);
  EXPECT_EQ(r.slots, 45u);
  EXPECT_EQ(r.dbConnections, 110u);
  EXPECT_EQ(r.retainedJobs, 250000u);
  EXPECT_EQ(r.redisBytes, 2560000000u);
  EXPECT_EQ(r.tier, "performance");
  EXPECT_EQ(r.tierNodes, 1u);
}

TEST(Plan, WorkerCountIsExactAtTheBoundary) {
  // 30,000 posts/day keep exactly 10 jobs running at peak: 2 workers of 5. One more post
  // needs a third worker.
  EXPECT_DOUBLE_EQ(planFor(30000).busySlots, 10.0);
  EXPECT_EQ(planFor(30000).workers, 2u);
  EXPECT_EQ(planFor(30001).workers, 3u);
  EXPECT_EQ(planFor(37500).workers, 3u);  // 12.5 jobs at once
  EXPECT_EQ(planFor(37500).tier, "medium");
}

TEST(Plan, BeyondTheLargestTierCountsNodes) {
  const auto r = planFor(300000);
  EXPECT_DOUBLE_EQ(r.busySlots, 100.0);
  EXPECT_EQ(r.workers, 20u);
  EXPECT_EQ(r.slots, 100u);
  EXPECT_EQ(r.dbConnections, 220u);
  EXPECT_EQ(r.redisBytes, 6144000000u);
  EXPECT_EQ(r.tier, "performance");
  EXPECT_EQ(r.tierNodes, 2u);
}

TEST(Plan, NoTrafficStillPlansTheHaMinimum) {
  const auto r = planFor(0);
  EXPECT_EQ(r.workers, 2u);
  EXPECT_EQ(r.dbConnections, 40u);
  EXPECT_EQ(r.redisBytes, 0u);
}

TEST(Plan, AssumptionsCanChange) {
  PlanInputs in;
  in.postsPerDay = 10000;
  in.peakSharePercent = 100;  // everything within one hour: 24× the average rate
  in.peakHours = 1;
  in.concurrencyPerWorker = 4;
  in.minWorkers = 1;
  in.retentionHours = 168;
  const auto r = plan(in);
  EXPECT_DOUBLE_EQ(r.peakFactor, 24.0);
  EXPECT_NEAR(r.busySlots, 10000 * 12.0 / 3600.0, 1e-9);  // 33.3
  EXPECT_EQ(r.workers, 9u);
  EXPECT_EQ(r.retainedJobs, 140000u);
  EXPECT_EQ(r.tier, "large");
}

TEST(Plan, RefusesInputsOutOfRange) {
  PlanInputs in;
  in.postsPerDay = 2000000000;
  try {
    plan(in);
    FAIL() << "expected a refusal";
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "posts per day is 2000000000: expected 0 to 1000000000");
  }
  in.postsPerDay = 10;
  in.peakHours = 0;
  EXPECT_THROW(plan(in), std::invalid_argument);
  in.peakHours = 4;
  in.concurrencyPerWorker = 0;
  EXPECT_THROW(plan(in), std::invalid_argument);
}

TEST(Percentile, NearestRank) {
  std::vector<std::uint64_t> hundred;
  for (std::uint64_t i = 100; i >= 1; --i) hundred.push_back(i);
  EXPECT_EQ(percentile(hundred, 95), 95u);
  EXPECT_EQ(percentile(hundred, 100), 100u);
  EXPECT_EQ(percentile({7}, 95), 7u);
  EXPECT_EQ(percentile({1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20}, 95),
            19u);
  EXPECT_FALSE(percentile({}, 95));
  EXPECT_THROW(percentile({1}, 0), std::invalid_argument);
}

TEST(Plan, ObservedDurationsAndBacklogReplaceTheDefaults) {
  std::vector<std::uint64_t> generate(100, 12000);
  for (std::size_t i = 95; i < 100; ++i) generate[i] = 60000;  // slow tail above the p95
  const std::vector<QueueObservation> observed = {
      observeQueue("content-generate", generate, 100),
      observeQueue("post-publish", {}, 50),       // no samples: default 2 s
      observeQueue("analytics-collect", {}, 7)};  // not in the formula: memory only
  EXPECT_EQ(observed[0].samples, 100u);
  EXPECT_EQ(observed[0].p95Ms, 12000u);
  EXPECT_FALSE(observed[1].p95Ms);

  PlanInputs in;
  in.postsPerDay = 1000;
  in = withObserved(in, observed);
  EXPECT_EQ(in.generateMs, 12000u);
  EXPECT_EQ(in.publishMs, 2000u);
  EXPECT_EQ(in.backlogJobs, 157u);
  EXPECT_EQ(in.backlogWorkMs, 100u * 12000 + 50u * 2000);
  const auto r = plan(in);
  // (1000 × 14 s × 40 % + 1300 s of backlog) over 4 h.
  EXPECT_NEAR(r.busySlots, (1000 * 14.0 * 0.4 + 1300) / 14400.0, 1e-12);
  EXPECT_EQ(r.retainedJobs, 2157u);
}

TEST(PlanReport, JsonForMachines) {
  PlanInputs in;
  in.postsPerDay = 1000;
  EXPECT_EQ(planJson(in, plan(in)),
            R"({"inputs":{"postsPerDay":1000,"materialsPerDay":0,"peakSharePercent":40,)"
            R"("peakHours":4,"generateMs":10000,"publishMs":2000,"analyzeMs":5000,)"
            R"("concurrencyPerWorker":5,"minWorkers":2,"dbConnectionsPerWorker":10,)"
            R"("dbConnectionsBase":20,"bytesPerJob":10240,"retentionHours":24,"backlogJobs":0,)"
            R"("backlogWorkMs":0},"result":{"peakFactor":2.4,"peakPostsPerSecond":0.0277778,)"
            R"("peakMaterialsPerSecond":0,"busySlots":0.333333,"workers":2,"slots":10,)"
            R"("dbConnections":40,"retainedJobs":2000,"redisBytes":20480000,"tier":"standard",)"
            R"("tierNodes":1},"observed":[]})");
}

TEST(PlanReport, TableForPeople) {
  PlanInputs in;
  in.postsPerDay = 1000;
  EXPECT_EQ(
      planTable(in, plan(in)),
      "Capacity plan: 1000 posts/day, 0 materials/day\n"
      "Peak: 40% of the day in 4 h = 2.4x the average rate (0.0278 posts/s, 0 materials/s)\n"
      "Time per job: generate 10 s, publish 2 s, analyze 5 s\n"
      "Jobs running at once at peak: 0.33\n"
      "\n"
      "  workers         2           5 jobs at once each; at least 2 for high availability\n"
      "  DB connections  40          workers x 10 + 20\n"
      "  Redis memory    19.5 MiB    2000 jobs retained x 10.0 KiB (finished jobs kept 24 h)\n"
      "  tier            standard    2 vCPU, 2.0 GiB, node budget 10 covers 10 slots\n");
}

TEST(PlanReport, ObservedQueuesAreListed) {
  PlanInputs in;
  in.postsPerDay = 1000;
  in = withObserved(
      in, {observeQueue("content-generate", {11234}, 3), observeQueue("post-publish", {}, 0)});
  const std::string table = planTable(in, plan(in));
  EXPECT_NE(table.find("Time per job: generate 11.2 s (observed p95), publish 2 s, analyze 5 s\n"),
            std::string::npos)
      << table;
  EXPECT_NE(table.find("  QUEUE             SAMPLES  P95       WAITING\n"
                       "  content-generate        1  11.2 s          3\n"
                       "  post-publish            0  -               0\n"),
            std::string::npos)
      << table;
}

TEST(PlanReport, HumanUnits) {
  EXPECT_EQ(humanBytes(512), "512 B");
  EXPECT_EQ(humanBytes(20480000), "19.5 MiB");
  EXPECT_EQ(humanBytes(2560000000), "2.4 GiB");
  EXPECT_EQ(humanSeconds(10000), "10 s");
  EXPECT_EQ(humanSeconds(250), "0.25 s");
  EXPECT_EQ(humanSeconds(123456), "123 s");
}

}  // namespace
}  // namespace warren::sizing
