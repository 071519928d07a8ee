// The Prometheus registry: exposition lines per kind, label handling and escaping, refused names,
// thread safety, and promtool's opinion of the output when promtool is installed.
#include "Command.h"
#include "TempDir.h"

#include "metrics/Registry.h"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <thread>

namespace warren::test {
namespace {

using metrics::Kind;
using metrics::Registry;

std::string refusal(const std::function<void()>& call) {
  try {
    call();
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "";
}

TEST(Registry, CounterLines) {
  Registry r;
  r.counterAdd("jobs_total", {{"queue", "a"}}, 1);
  r.counterAdd("jobs_total", {{"queue", "a"}}, 2);
  r.counterAdd("jobs_total", {{"queue", "b"}}, 0.5);
  EXPECT_EQ(r.value("jobs_total", {{"queue", "a"}}), 3);
  EXPECT_EQ(r.exposition(),
            "# HELP jobs_total jobs_total (no description given)\n"
            "# TYPE jobs_total counter\n"
            "jobs_total{queue=\"a\"} 3\n"
            "jobs_total{queue=\"b\"} 0.5\n");
}

TEST(Registry, GaugeLinesWithHelp) {
  Registry r;
  r.describe("queue_depth", Kind::gauge, "Jobs waiting per queue");
  r.gaugeSet("queue_depth", {}, 7);
  r.gaugeSet("queue_depth", {}, -2);
  EXPECT_EQ(r.exposition(),
            "# HELP queue_depth Jobs waiting per queue\n"
            "# TYPE queue_depth gauge\n"
            "queue_depth -2\n");
}

TEST(Registry, HistogramLinesAreCumulative) {
  Registry r;
  r.describe("job_seconds", Kind::histogram, "Job duration", {0.5, 1, 2.5});
  for (double v : {0.25, 0.75, 1.0, 3.0}) r.histogramObserve("job_seconds", {{"q", "x"}}, v);
  EXPECT_EQ(r.exposition(),
            "# HELP job_seconds Job duration\n"
            "# TYPE job_seconds histogram\n"
            "job_seconds_bucket{q=\"x\",le=\"0.5\"} 1\n"
            "job_seconds_bucket{q=\"x\",le=\"1\"} 3\n"
            "job_seconds_bucket{q=\"x\",le=\"2.5\"} 3\n"
            "job_seconds_bucket{q=\"x\",le=\"+Inf\"} 4\n"
            "job_seconds_sum{q=\"x\"} 5\n"
            "job_seconds_count{q=\"x\"} 4\n");
}

TEST(Registry, ResolvedReferencesUpdateTheSameSeries) {
  Registry r;
  r.describe("job_seconds", Kind::histogram, "Job duration", {0.5, 1, 2.5});
  r.counterAdd("jobs_total", {{"queue", "a"}}, 1);
  const auto counter = r.counter("jobs_total", {{"queue", "a"}});
  r.add(counter, 2);
  const auto histogram = r.histogram("job_seconds", {{"q", "x"}});
  r.histogramObserve("job_seconds", {{"q", "x"}}, 0.25);
  for (double v : {0.75, 1.0, 3.0}) r.observe(histogram, v);
  EXPECT_EQ(r.value("jobs_total", {{"queue", "a"}}), 3);
  const std::string text = r.exposition();
  EXPECT_NE(text.find("job_seconds_bucket{q=\"x\",le=\"0.5\"} 1\n"), std::string::npos) << text;
  EXPECT_NE(text.find("job_seconds_bucket{q=\"x\",le=\"1\"} 3\n"), std::string::npos) << text;
  EXPECT_NE(text.find("job_seconds_count{q=\"x\"} 4\n"), std::string::npos) << text;
  EXPECT_EQ(refusal([&] { r.add(counter, -1); }),
            "counter update through an unresolved or negative reference");
  EXPECT_EQ(refusal([&] { r.counter("job_seconds", {}); }),
            "metric 'job_seconds' is a histogram, not a counter");
}

TEST(Registry, LabelOrderDoesNotMakeANewSeries) {
  Registry r;
  r.counterAdd("c_total", {{"b", "1"}, {"a", "2"}}, 1);
  r.counterAdd("c_total", {{"a", "2"}, {"b", "1"}}, 1);
  EXPECT_EQ(r.value("c_total", {{"b", "1"}, {"a", "2"}}), 2);
  EXPECT_NE(r.exposition().find("c_total{a=\"2\",b=\"1\"} 2\n"), std::string::npos);
}

TEST(Registry, LabelValuesAreEscaped) {
  Registry r;
  r.gaugeSet("g", {{"path", "C:\\dir \"x\"\nnext"}}, 1);
  EXPECT_NE(r.exposition().find("g{path=\"C:\\\\dir \\\"x\\\"\\nnext\"} 1\n"), std::string::npos)
      << r.exposition();
}

TEST(Registry, DescribedButUnusedFamiliesAreNotExposed) {
  Registry r;
  r.describe("unused_total", Kind::counter, "never incremented");
  EXPECT_EQ(r.exposition(), "");
  EXPECT_EQ(r.value("unused_total", {}), 0);
  EXPECT_EQ(r.value("never_seen", {}), 0);
}

TEST(Registry, InvalidNamesAndLabelsAreRefused) {
  Registry r;
  for (const char* name : {"", "1abc", "a-b", "a b", "caf\xC3\xA9"}) {
    EXPECT_EQ(refusal([&] { r.counterAdd(name, {}, 1); }),
              std::string("invalid metric name '") + name + "'");
  }
  EXPECT_EQ(refusal([&] {
              r.gaugeSet("g", {{"1x", "v"}}, 1);
            }),
            "invalid label name '1x' on metric 'g'");
  EXPECT_EQ(refusal([&] {
              r.gaugeSet("g", {{"__name", "v"}}, 1);
            }),
            "invalid label name '__name' on metric 'g'");
  EXPECT_EQ(refusal([&] {
              r.gaugeSet("g", {{"a:b", "v"}}, 1);
            }),
            "invalid label name 'a:b' on metric 'g'");
  EXPECT_EQ(refusal([&] {
              r.histogramObserve("h", {{"le", "1"}}, 1);
            }),
            "label 'le' is reserved on histogram 'h'");
  EXPECT_EQ(r.exposition(), "") << "nothing refused was recorded";
}

TEST(Registry, ValidNamesIncludeColonsAndDigits) {
  Registry r;
  EXPECT_NO_THROW(r.counterAdd("warren:jobs_2xx_total", {{"_private", "v"}}, 1));
}

TEST(Registry, CountersOnlyGoUp) {
  Registry r;
  EXPECT_EQ(refusal([&] { r.counterAdd("c_total", {}, -1); }), "counter 'c_total' cannot decrease");
  EXPECT_EQ(refusal([&] { r.counterAdd("c_total", {}, std::nan("")); }),
            "counter 'c_total' cannot decrease");
}

TEST(Registry, ANameKeepsItsKind) {
  Registry r;
  r.counterAdd("x_total", {}, 1);
  EXPECT_EQ(refusal([&] { r.gaugeSet("x_total", {}, 1); }),
            "metric 'x_total' is a counter, not a gauge");
  EXPECT_EQ(refusal([&] { r.histogramObserve("x_total", {}, 1); }),
            "metric 'x_total' is a counter, not a histogram");
}

TEST(Registry, ConcurrentUpdatesAreNotLost) {
  Registry r;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 2000; ++i) {
        r.counterAdd("hits_total", {{"t", "shared"}}, 1);
        r.histogramObserve("lat_seconds", {}, 0.3);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(r.value("hits_total", {{"t", "shared"}}), 8000);
  EXPECT_NE(r.exposition().find("lat_seconds_count 8000\n"), std::string::npos);
}

TEST(Registry, PromtoolAcceptsTheExposition) {
  if (run({"sh", "-c", "command -v promtool"}).exitCode != 0) {
    GTEST_SKIP() << "promtool is not installed (apt-get install prometheus)";
  }
  Registry r;
  r.describe("warren_jobs_total", Kind::counter, "Jobs finished");
  r.counterAdd("warren_jobs_total", {{"queue", "a\"b"}, {"result", "completed"}}, 3);
  r.describe("warren_active_jobs", Kind::gauge, "Jobs running now");
  r.gaugeSet("warren_active_jobs", {{"queue", "a"}}, 2);
  r.describe("warren_job_duration_seconds", Kind::histogram, "Job duration");
  r.histogramObserve("warren_job_duration_seconds", {{"queue", "a"}}, 0.5);
  TempDir dir;
  writeFile(dir / "metrics.txt", r.exposition());
  const CommandResult result =
      run({"sh", "-c", "promtool check metrics < " + (dir / "metrics.txt").string()});
  EXPECT_EQ(result.exitCode, 0) << result.out << result.err;
}

}  // namespace
}  // namespace warren::test
