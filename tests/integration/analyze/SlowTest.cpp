// The rate limit of the issue as the providers send it: a 429 with a 30 s hint. The job waits
// in BullMQ's delayed set, holding no slot and spending no attempt, and completes after the
// hint. Label "slow" (about 35 s).
#include "AnalyzeNode.h"
#include "Providers.h"

#include <gtest/gtest.h>

namespace warren::test {
namespace {

TEST(AnalyzeSlow, A429WithA30SecondHintLeavesTheSlotFreeAndCompletesAfterIt) {
  AiFake fake(fakeKeys());
  const ProviderCase& openai = providerCases()[1];
  AnalyzeNode node(providerEnv(openai, fake), {"queue.content-analyze.config.model=fake-429-long"});
  const auto added = std::chrono::steady_clock::now();
  const std::string id =
      node.add({{"kind", "text"}, {"text", "Fresh bread every morning."}}, {{"attempts", 1}});
  FinishedJob job = node.waitFor(id, "delayed");
  ASSERT_EQ(job.state, "delayed") << job.describe() << node.log();
  EXPECT_EQ(job.attemptsMade(), 0);
  // The slot is free meanwhile: a text job without a provider call would run now; here another
  // analysis is admitted and delayed the same way instead of waiting behind the first.
  const std::string second =
      node.add({{"kind", "text"}, {"text", "Pastries on Sundays."}}, {{"attempts", 1}});
  ASSERT_EQ(node.waitFor(second, "delayed").state, "delayed") << node.log();
  EXPECT_EQ(node.queue().count("active"), 0u);
  job = node.wait(id, std::chrono::seconds(60));
  ASSERT_EQ(job.state, "completed") << job.describe() << node.log();
  EXPECT_GE(std::chrono::steady_clock::now() - added, std::chrono::seconds(29));
  EXPECT_EQ(job.attemptsMade(), 1);
  EXPECT_EQ(node.wait(second, std::chrono::seconds(30)).state, "completed");
  EXPECT_EQ(node.log().find(openai.key), std::string::npos);
}

}  // namespace
}  // namespace warren::test
