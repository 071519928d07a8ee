// Cancellation (shutdown, drain, reload deadline): the job stops within a second and takes back
// what it wrote, local work files and storage keys alike.
#include "Clips.h"
#include "VideoHost.h"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

namespace warren::test {
namespace {

using Clock = std::chrono::steady_clock;

struct Cancelled {
  plugins::JobOutcome outcome;
  Clock::duration stopTime;  // from cancel() to handle() returning
};

// Runs the job on a thread, cancels it once `ready` holds, and times the stop.
template <typename Ready>
Cancelled runAndCancel(VideoHost& host, const std::string& name, const std::string& data,
                       Ready ready) {
  VideoJob record;
  std::mutex mutex;
  plugins::JobContext context(videoInput(name, data), recordingSinks(record, mutex));
  Cancelled result;
  bool finished = false;
  std::thread worker([&] {
    result.outcome = host.run(context);
    std::lock_guard lock(mutex);
    finished = true;
  });
  const auto deadline = Clock::now() + std::chrono::seconds(60);
  while (Clock::now() < deadline) {
    {
      std::lock_guard lock(mutex);
      if (finished || ready(record)) break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  const auto cancelledAt = Clock::now();
  context.cancel("test");
  worker.join();
  result.stopTime = Clock::now() - cancelledAt;
  return result;
}

int lastProgress(const VideoJob& record) {
  return record.progress.empty() ? -1 : std::stoi(record.progress.back());
}

TEST(VideoCancel, MidTranscodeStopsWithinASecondAndLeavesNothing) {
  VideoHost host;
  host.put(clip("long"), "uploads/long.mp4");
  // Renditions run one after the other: cancelled while encoding the second, the first is
  // already in storage and must go.
  const Cancelled run = runAndCancel(
      host, "video:transcode", R"({"input":"uploads/long.mp4","renditions":["square","vertical"]})",
      [&](const VideoJob& record) {
        return lastProgress(record) >= 55 && host.keys().size() == 2;
      });
  EXPECT_EQ(run.outcome.outcome, WARREN_JOB_FAILED_RETRYABLE);
  EXPECT_EQ(run.outcome.error, "cancelled: the host asked the job to stop");
  EXPECT_LT(run.stopTime, std::chrono::seconds(1));
  EXPECT_EQ(host.keys(), std::vector<std::string>{"uploads/long.mp4"});
  EXPECT_TRUE(host.workLeftovers().empty());
}

TEST(VideoCancel, RemovesTheKeysTheJobAlreadyStored) {
  VideoHost host;
  host.put(clip("long"), "uploads/long.mp4");
  const Cancelled run =
      runAndCancel(host, "video:frames", R"({"input":"uploads/long.mp4","count":200})",
                   [&](const VideoJob&) { return host.keys().size() >= 3; });
  EXPECT_EQ(run.outcome.outcome, WARREN_JOB_FAILED_RETRYABLE);
  EXPECT_EQ(run.outcome.error, "cancelled: the host asked the job to stop");
  EXPECT_LT(run.stopTime, std::chrono::seconds(1));
  EXPECT_EQ(host.keys(), std::vector<std::string>{"uploads/long.mp4"});
  EXPECT_TRUE(host.workLeftovers().empty());
}

}  // namespace
}  // namespace warren::test
