// /metrics of a node that ran jobs: the per-queue gauges, plugin info and process metrics are
// there with the values the queue has, and `promtool check metrics` has nothing to say. On a
// fresh node every series whose labels are known at start is there at 0.
#include "NodeProcess.h"
#include "QueueState.h"
#include "RedisServer.h"

#include <gtest/gtest.h>

#include <csignal>
#include <thread>

namespace warren::test {
namespace {

using namespace std::chrono_literals;

TEST(NodeMetrics, ExpositionAfterJobsPassesPromtool) {
  if (run({"/bin/sh", "-c", "command -v promtool"}).exitCode != 0) {
    GTEST_SKIP() << "promtool is not installed (apt-get install prometheus)";
  }
  RedisServer redis;
  NodeProcess node(NodeOptions("metered", redis.url()).slots(3));
  QueueState queue(redis.url(), "metered");
  queue.add(4, R"({"value":1,"progress":2})");
  queue.add(1, R"({"fail":"on purpose"})");
  ASSERT_TRUE(
      eventually([&] { return queue.count("completed") == 4 && queue.count("failed") == 1; }, 30s))
      << queue.read().summary();
  // Delayed jobs not due yet are not in the depth (wait + prioritized + delayed already due).
  queue.add(2, R"({"value":2})", R"({"delay":600000})");

  const HttpReply reply = node.get("/metrics");
  ASSERT_EQ(reply.status, 200) << reply.body;
  const std::string& body = reply.body;
  EXPECT_EQ(metricValue(body, R"(worker_queue_depth{queue="metered"})"), 0.0) << body;
  EXPECT_EQ(metricValue(body, R"(bullmq_queue_depth{queue="metered"})"), 0.0) << body;
  EXPECT_EQ(metricValue(body, R"(worker_active_jobs{queue="metered"})"), 0.0) << body;
  EXPECT_EQ(metricValue(body, R"(worker_concurrency_slots{queue="metered"})"), 3.0) << body;
  EXPECT_EQ(metricValue(body, R"(worker_jobs_processed_total{queue="metered",status="completed"})"),
            4.0)
      << body;
  EXPECT_EQ(metricValue(body, R"(worker_jobs_processed_total{queue="metered",status="failed"})"),
            1.0)
      << body;
  EXPECT_EQ(
      metricValue(body, R"(warren_plugin_info{generation="1",plugin="echo",version="1.0.0"})"), 1.0)
      << body;
  for (const char* family : {"process_cpu_seconds_total", "process_resident_memory_bytes",
                             "process_open_fds", "process_start_time_seconds"}) {
    EXPECT_TRUE(metricValue(body, family).has_value()) << family << "\n" << body;
  }

  const TempDir dir("warren-node-metrics");
  writeFile(dir / "metrics.txt", body);
  const CommandResult lint =
      run({"/bin/sh", "-c", "promtool check metrics < '" + (dir / "metrics.txt").string() + "'"});
  EXPECT_EQ(lint.exitCode, 0) << lint.out << lint.err;
  EXPECT_EQ(lint.out + lint.err, "") << "promtool warned:\n" << lint.out << lint.err << body;
  EXPECT_EQ(node.stop(SIGTERM), 0) << node.log();
}

TEST(NodeMetrics, QueueDepthCountsWaitingJobs) {
  RedisServer redis;
  NodeProcess node(NodeOptions("deep", redis.url()).slots(1).set("node.shutdown_timeout_ms=500"));
  QueueState queue(redis.url(), "deep");
  queue.add(1, R"({"sleep_ms":20000})");
  ASSERT_TRUE(eventually([&] { return queue.count("active") == 1; }, 20s))
      << queue.read().summary();
  queue.add(3, R"({"value":1})");
  queue.add(2, R"({"value":2})", R"({"priority":5})");
  queue.add(2, R"({"value":3})", R"({"delay":200})");     // due while the only slot is busy
  queue.add(1, R"({"value":4})", R"({"delay":600000})");  // not due: not in the depth
  std::this_thread::sleep_for(400ms);
  const HttpReply reply = node.get("/metrics");
  ASSERT_EQ(reply.status, 200);
  EXPECT_EQ(metricValue(reply.body, R"(worker_queue_depth{queue="deep"})"), 7.0) << reply.body;
  EXPECT_EQ(metricValue(reply.body, R"(bullmq_queue_depth{queue="deep"})"), 7.0) << reply.body;
  EXPECT_EQ(metricValue(reply.body, R"(worker_active_jobs{queue="deep"})"), 1.0) << reply.body;
  EXPECT_EQ(metricValue(reply.body, R"(worker_concurrency_slots{queue="deep"})"), 1.0)
      << reply.body;
  const auto age =
      metricValue(reply.body, R"(worker_oldest_waiting_job_age_seconds{queue="deep"})");
  ASSERT_TRUE(age.has_value()) << reply.body;
  EXPECT_GE(*age, 0.0);
  EXPECT_EQ(node.stop(SIGTERM), 0) << node.log();
}

// Before any job ended, the counters and histograms of each served queue are declared at 0, so
// rate() and alerts on a fresh node read 0, not "no data".
TEST(NodeMetrics, AFreshNodeExposesItsSeriesAtZero) {
  RedisServer redis;
  NodeProcess node(NodeOptions("fresh", redis.url()).slots(2));
  const HttpReply reply = node.get("/metrics");
  ASSERT_EQ(reply.status, 200) << reply.body;
  const std::string& body = reply.body;
  for (const char* series : {
           R"(worker_jobs_processed_total{queue="fresh",status="completed"})",
           R"(worker_jobs_processed_total{queue="fresh",status="failed"})",
           R"(worker_job_duration_seconds_bucket{queue="fresh",le="0.1"})",
           R"(worker_job_duration_seconds_bucket{queue="fresh",le="+Inf"})",
           R"(worker_job_duration_seconds_sum{queue="fresh"})",
           R"(worker_job_duration_seconds_count{queue="fresh"})",
           R"(worker_job_wait_seconds_bucket{queue="fresh",le="+Inf"})",
           R"(worker_job_wait_seconds_count{queue="fresh"})",
           R"(bullmq_queue_depth{queue="fresh"})",
           R"(worker_active_jobs{queue="fresh"})",
       }) {
    EXPECT_EQ(metricValue(body, series), 0.0) << series << "\n" << body;
  }
  EXPECT_EQ(metricValue(body, R"(worker_concurrency_slots{queue="fresh"})"), 2.0) << body;

  const TempDir dir("warren-node-metrics");
  writeFile(dir / "metrics.txt", body);
  if (run({"/bin/sh", "-c", "command -v promtool"}).exitCode == 0) {
    const CommandResult lint =
        run({"/bin/sh", "-c", "promtool check metrics < '" + (dir / "metrics.txt").string() + "'"});
    EXPECT_EQ(lint.exitCode, 0) << lint.out << lint.err;
    EXPECT_EQ(lint.out + lint.err, "") << "promtool warned:\n" << lint.out << lint.err << body;
  }
  EXPECT_EQ(node.stop(SIGTERM), 0) << node.log();
}

}  // namespace
}  // namespace warren::test
