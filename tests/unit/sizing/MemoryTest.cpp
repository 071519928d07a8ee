#include "sizing/Memory.h"

#include "StderrCapture.h"
#include "TempDir.h"

#include <gtest/gtest.h>

namespace warren::sizing {
namespace {

constexpr const char* kMeminfo =
    "MemTotal:        8048576 kB\n"
    "MemFree:          123456 kB\n"
    "MemAvailable:    4194304 kB\n"
    "Buffers:           10240 kB\n";

class MemoryLimitTest : public ::testing::Test {
 protected:
  test::TempDir dir{"warren-sizing"};
  MemorySources sources{dir / "memory.max", dir / "memory" / "memory.limit_in_bytes",
                        dir / "meminfo"};
};

TEST_F(MemoryLimitTest, CgroupV2LimitComesFirst) {
  test::writeFile(sources.cgroupV2Max, "2147483648\n");
  test::writeFile(sources.cgroupV1Limit, "1073741824\n");
  test::writeFile(sources.meminfo, kMeminfo);
  const auto limit = readMemoryLimit(sources);
  ASSERT_TRUE(limit);
  EXPECT_EQ(limit->bytes, 2147483648u);
  EXPECT_EQ(limit->source, "cgroup v2 " + sources.cgroupV2Max.string());
}

TEST_F(MemoryLimitTest, CgroupV2MaxMeansNoLimitSoMemAvailableCounts) {
  test::writeFile(sources.cgroupV2Max, "max\n");
  test::writeFile(sources.meminfo, kMeminfo);
  const auto limit = readMemoryLimit(sources);
  ASSERT_TRUE(limit);
  EXPECT_EQ(limit->bytes, std::uint64_t{4194304} * 1024);
  EXPECT_EQ(limit->source, "MemAvailable in " + sources.meminfo.string());
}

TEST_F(MemoryLimitTest, CgroupV1Limit) {
  test::writeFile(sources.cgroupV1Limit, "1073741824\n");
  test::writeFile(sources.meminfo, kMeminfo);
  const auto limit = readMemoryLimit(sources);
  ASSERT_TRUE(limit);
  EXPECT_EQ(limit->bytes, 1073741824u);
  EXPECT_EQ(limit->source, "cgroup v1 " + sources.cgroupV1Limit.string());
}

TEST_F(MemoryLimitTest, CgroupV1HugeValueMeansNoLimit) {
  test::writeFile(sources.cgroupV1Limit, "9223372036854771712\n");
  test::writeFile(sources.meminfo, kMeminfo);
  const auto limit = readMemoryLimit(sources);
  ASSERT_TRUE(limit);
  EXPECT_EQ(limit->bytes, std::uint64_t{4194304} * 1024);
  EXPECT_EQ(limit->source, "MemAvailable in " + sources.meminfo.string());
}

TEST_F(MemoryLimitTest, MeminfoOnly) {
  test::writeFile(sources.meminfo, kMeminfo);
  const auto limit = readMemoryLimit(sources);
  ASSERT_TRUE(limit);
  EXPECT_EQ(limit->bytes, 4294967296u);
}

TEST_F(MemoryLimitTest, MalformedFilesAreSkipped) {
  test::writeFile(sources.cgroupV2Max, "lots\n");
  test::writeFile(sources.cgroupV1Limit, "-1\n");
  test::writeFile(sources.meminfo, kMeminfo);
  EXPECT_EQ(readMemoryLimit(sources)->bytes, 4294967296u);
}

TEST_F(MemoryLimitTest, NothingReadableGivesNoLimit) {
  EXPECT_FALSE(readMemoryLimit(sources));
  test::writeFile(sources.meminfo, "MemTotal: 1024 kB\nMemAvailable: many kB\n");
  EXPECT_FALSE(readMemoryLimit(sources));
}

TEST(MemoryCap, OverheadIsSetAsideThenJobsFit) {
  const MemoryLimit limit{2048 * kMiB, "test"};
  EXPECT_EQ(memoryForJobs(limit), 1848 * kMiB);
  EXPECT_EQ(memoryForJobs(limit, 0), 2048 * kMiB);
  EXPECT_EQ(memoryForJobs({100 * kMiB, "test"}), 0u);
  EXPECT_EQ(memoryCap(1848 * kMiB, 512 * kMiB), 3u);
  EXPECT_EQ(memoryCap(1848 * kMiB, 1848 * kMiB), 1u);
}

TEST(MemoryCap, NeverBelowOneAndNoneForZeroPerJob) {
  EXPECT_EQ(memoryCap(0, 512 * kMiB), 1u);
  EXPECT_EQ(memoryCap(100 * kMiB, 512 * kMiB), 1u);
  EXPECT_FALSE(memoryCap(1848 * kMiB, 0));
}

TEST(MemoryCap, LoweringTheConfiguredConcurrencyIsLogged) {
  const MemoryLimit limit{2048 * kMiB, "cgroup v2 /fixture/memory.max"};
  test::StderrCapture capture;
  const auto concurrency = capConcurrency("video-render", 10, 512 * kMiB, limit);
  const std::string logged = capture.finish();
  EXPECT_EQ(concurrency, 3u);
  EXPECT_NE(logged.find("\"level\":\"warn\""), std::string::npos) << logged;
  EXPECT_NE(logged.find("concurrency of queue 'video-render' lowered from 10 to 3 to fit memory: "
                        "512 MiB per job, 1848 MiB available for jobs "
                        "(cgroup v2 /fixture/memory.max)"),
            std::string::npos)
      << logged;
  EXPECT_NE(logged.find("\"queue\":\"video-render\""), std::string::npos) << logged;
  EXPECT_NE(logged.find("\"configured\":10"), std::string::npos) << logged;
  EXPECT_NE(logged.find("\"capped\":3"), std::string::npos) << logged;
  EXPECT_NE(logged.find("\"memoryPerJobBytes\":536870912"), std::string::npos) << logged;
  EXPECT_NE(logged.find("\"availableBytes\":1937768448"), std::string::npos) << logged;
}

TEST(MemoryCap, ConcurrencyThatFitsIsKeptSilently) {
  const MemoryLimit limit{2048 * kMiB, "test"};
  test::StderrCapture capture;
  EXPECT_EQ(capConcurrency("content-generate", 3, 512 * kMiB, limit), 3u);
  EXPECT_EQ(capConcurrency("content-generate", 50, 0, limit), 50u);
  EXPECT_EQ(capture.finish(), "");
}

}  // namespace
}  // namespace warren::sizing
