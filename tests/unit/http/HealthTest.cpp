// The health model without a network: named checks, the consumption check's thresholds and
// messages, and the server's routing, /health, /ready and /metrics answers through handle().
#include "http/Health.h"
#include "http/Server.h"
#include "metrics/ProcessMetrics.h"
#include "metrics/Registry.h"

#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>

namespace warren::http {
namespace {

using namespace std::chrono_literals;

TEST(Health, ReportsEveryCheckInTheOrderAdded) {
  Health health;
  EXPECT_TRUE(health.run().healthy) << "no checks: healthy";
  health.add("redis", [] { return CheckResult::ok(); });
  health.add("database", [] { return CheckResult::failed("connection refused"); });
  health.add("workers", [] { return CheckResult::ok(); });
  const auto report = health.run();
  EXPECT_FALSE(report.healthy);
  ASSERT_EQ(report.checks.size(), 3u);
  EXPECT_EQ(report.checks[0].name, "redis");
  EXPECT_EQ(report.checks[1].name, "database");
  EXPECT_EQ(report.checks[1].result.error, "connection refused");
  EXPECT_EQ(report.checks[2].name, "workers");

  health.add("database", [] { return CheckResult::ok(); });  // replaced, keeps its place
  EXPECT_TRUE(health.run().healthy);
  EXPECT_EQ(health.names(), (std::vector<std::string>{"redis", "database", "workers"}));
  EXPECT_TRUE(health.remove("database"));
  EXPECT_FALSE(health.remove("database"));
  EXPECT_EQ(health.names(), (std::vector<std::string>{"redis", "workers"}));
}

TEST(Health, AThrowingCheckIsUnhealthyWithItsMessage) {
  Health health;
  health.add("redis", []() -> CheckResult { throw std::runtime_error("PING timed out"); });
  health.add("silent", [] { return CheckResult{false, ""}; });
  const auto report = health.run();
  EXPECT_FALSE(report.healthy);
  EXPECT_EQ(report.checks[0].result.error, "check failed: PING timed out");
  EXPECT_EQ(report.checks[1].result.error, "unhealthy (no reason given)");
  EXPECT_EQ(health.run("nope").error, "no check named 'nope'");
}

// ---- consumption ------------------------------------------------------------------------------

constexpr std::int64_t kStart = 1'700'000'000'000;

ConsumptionLimits defaults() {
  return {};
}  // drainDelay 5 s, renew 15 s, margin 5 s

TEST(ConsumptionLimits, FollowTheWorkerOptions) {
  EXPECT_EQ(defaults().fetchAllowanceMs(), 20000);    // 5 s + 10 s + 5 s margin
  EXPECT_EQ(defaults().renewalAllowanceMs(), 20000);  // 2 x 7.5 s + 5 s
  struct Options {
    std::int64_t drainDelayS = 30;
    std::int64_t lockRenewTimeMs = 2000;
    std::int64_t limiterMax = 10;
    std::int64_t limiterDurationMs = 60000;
  } options;
  const auto limits = limitsOf(options, 1000);
  EXPECT_EQ(limits.fetchAllowanceMs(), 40000 + 60000 + 1000);
  EXPECT_EQ(limits.renewalAllowanceMs(), 2000 + 1000);
  options.limiterMax = 0;  // no limiter: its duration does not count
  EXPECT_EQ(limitsOf(options, 1000).fetchAllowanceMs(), 41000);
}

TEST(ConsumptionCheck, HealthyWhileTheLoopsAreOnTime) {
  ConsumptionSample s;
  s.lastFetchMs = kStart + 50000;
  s.lastRenewalMs = kStart + 50000;
  s.active = 1;
  s.concurrency = 2;
  EXPECT_TRUE(ConsumptionCheck::judge("q", s, defaults(), kStart + 70000, kStart).healthy);
}

TEST(ConsumptionCheck, ALateFetchLoopSaysByHowMuch) {
  ConsumptionSample s;
  s.lastFetchMs = kStart + 10000;
  s.lastRenewalMs = kStart + 39000;
  s.concurrency = 4;
  s.active = 1;
  s.lastError = "Connection reset by peer";
  const auto r = ConsumptionCheck::judge("post-publish", s, defaults(), kStart + 42500, kStart);
  EXPECT_FALSE(r.healthy);
  EXPECT_EQ(r.error,
            "queue 'post-publish': fetch loop late by 12.5 s (last round trip 32.5 s ago, "
            "expected within 20.0 s with 3 free slot(s)); last error: Connection reset by peer");
}

TEST(ConsumptionCheck, ALateLockRenewalWhileJobsRun) {
  ConsumptionSample s;
  s.lastFetchMs = kStart + 60000;
  s.lastRenewalMs = kStart + 10000;
  s.concurrency = 2;
  s.active = 2;  // all slots busy: the fetch loop is not expected to run
  const auto r = ConsumptionCheck::judge("q", s, defaults(), kStart + 100000, kStart);
  EXPECT_FALSE(r.healthy);
  EXPECT_EQ(r.error,
            "queue 'q': lock renewal late by 70.0 s (last renewal 90.0 s ago, expected within "
            "20.0 s with 2 active job(s))");

  s.active = 0;  // idle: renewal is not judged
  s.lastFetchMs = kStart + 95000;
  EXPECT_TRUE(ConsumptionCheck::judge("q", s, defaults(), kStart + 100000, kStart).healthy);
}

TEST(ConsumptionCheck, BothLoopsLate) {
  ConsumptionSample s;
  s.concurrency = 2;
  s.active = 1;
  const auto r = ConsumptionCheck::judge("q", s, defaults(), kStart + 30000, kStart);
  EXPECT_EQ(r.error,
            "queue 'q': fetch loop late by 10.0 s (no round trip in 30.0 s, expected within "
            "20.0 s with 1 free slot(s)); lock renewal late by 10.0 s (no renewal in 30.0 s, "
            "expected within 20.0 s with 1 active job(s))");
}

TEST(ConsumptionCheck, BusyOrDrainingWorkersAreNotExpectedToFetch) {
  ConsumptionSample s;
  s.lastFetchMs = kStart;
  s.lastRenewalMs = kStart + 99000;
  s.concurrency = 3;
  s.active = 3;
  EXPECT_TRUE(ConsumptionCheck::judge("q", s, defaults(), kStart + 100000, kStart).healthy);
  s.active = 0;
  s.fetching = false;
  EXPECT_TRUE(ConsumptionCheck::judge("q", s, defaults(), kStart + 100000, kStart).healthy);
}

TEST(ConsumptionCheck, CountsFromCreationAndReset) {
  std::atomic<std::int64_t> now{kStart};
  ConsumptionSample sample;  // never fetched
  sample.concurrency = 1;
  auto check = std::make_shared<ConsumptionCheck>(
      "q", [&] { return sample; }, defaults(), [&] { return now.load(); });
  now = kStart + 20000;
  EXPECT_TRUE(check->evaluate().healthy) << "a fresh worker gets a full period";
  EXPECT_FALSE(check->unhealthyFor(0ms));
  EXPECT_EQ(check->unhealthyDuration(), std::nullopt);

  now = kStart + 21000;
  const auto failing = asCheck(check)();
  EXPECT_FALSE(failing.healthy);
  EXPECT_EQ(failing.error,
            "queue 'q': fetch loop late by 1.0 s (no round trip in 21.0 s, expected within "
            "20.0 s with 1 free slot(s))");
  EXPECT_TRUE(check->unhealthyFor(0ms));
  now = kStart + 51000;
  EXPECT_EQ(check->unhealthyDuration(), 30000ms);
  EXPECT_TRUE(check->unhealthyFor(30s));
  EXPECT_FALSE(check->unhealthyFor(31s));

  check->reset();  // the watchdog rebuilt the connections
  EXPECT_FALSE(check->unhealthyFor(0ms));
  now = kStart + 60000;
  EXPECT_TRUE(check->evaluate().healthy);

  sample.lastFetchMs = kStart + 65000;  // consuming again; a later failure counts afresh
  now = kStart + 80000;
  EXPECT_TRUE(check->evaluate().healthy);
  now = kStart + 65000 + 20001;
  EXPECT_FALSE(check->evaluate().healthy);
  EXPECT_EQ(check->unhealthyDuration(), 0ms);
}

TEST(ConsumptionCheck, ASamplerThatThrowsIsUnhealthy) {
  ConsumptionCheck check(
      "q", []() -> ConsumptionSample { throw std::runtime_error("gone"); }, defaults());
  EXPECT_EQ(check.evaluate().error, "queue 'q': status unavailable: gone");
  EXPECT_TRUE(check.unhealthyFor(0ms));
}

TEST(ConsumptionCheck, AdaptsWorkerStatusLikeStructs) {
  struct Status {
    std::int64_t lastFetchMs = 1, lastWaitMs = 2, lastRenewalMs = 3;
    std::uint32_t active = 4;
    std::string lastError = "e";
  } status;
  const auto s = sampleOf(status, 8, false);
  EXPECT_EQ(s.lastFetchMs, 1);
  EXPECT_EQ(s.lastWaitMs, 2);
  EXPECT_EQ(s.lastRenewalMs, 3);
  EXPECT_EQ(s.active, 4u);
  EXPECT_EQ(s.concurrency, 8u);
  EXPECT_FALSE(s.fetching);
  EXPECT_EQ(s.lastError, "e");
}

// ---- routing and answers through handle() ----------------------------------------------------

Request get(const std::string& path, const std::string& method = "GET") {
  Request r;
  r.method = method;
  const auto q = path.find('?');
  r.path = path.substr(0, q);
  if (q != std::string::npos) r.query = path.substr(q + 1);
  return r;
}

TEST(ServerRouting, NotFoundAndMethodNotAllowed) {
  Health health;
  metrics::Registry registry;
  Server server({}, health, registry);
  const auto missing = server.handle(get("/nope"));
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.body, R"({"error":"not found","path":"/nope"})");
  const auto post = server.handle(get("/health", "POST"));
  EXPECT_EQ(post.status, 405);
  EXPECT_EQ(post.body, R"({"error":"method not allowed","method":"POST","allow":"GET"})");
  ASSERT_EQ(post.headers.size(), 1u);
  EXPECT_EQ(post.headers[0], (std::pair<std::string, std::string>{"Allow", "GET"}));
  EXPECT_EQ(server.handle(get("/health?verbose=1")).status, 200) << "the query is ignored";
}

TEST(ServerRouting, PrefixRoutesForAdminEndpoints) {
  Health health;
  metrics::Registry registry;
  Server server({}, health, registry);
  server.addRoute("POST", "/admin/*", [](const Request& r) {
    return Response::json(202, "{\"path\":\"" + r.path + "\"}");
  });
  server.addRoute("GET", "/admin/queues/*",
                  [](const Request&) { return Response::json(200, "{}"); });
  server.addRoute("GET", "/admin/fail",
                  [](const Request&) -> Response { throw std::runtime_error("boom"); });
  EXPECT_EQ(server.handle(get("/admin/pause", "POST")).body, R"({"path":"/admin/pause"})");
  EXPECT_EQ(server.handle(get("/admin/queues/x")).status, 200);
  EXPECT_EQ(server.handle(get("/admin/queues/x", "POST")).status, 202)
      << "a shorter prefix for the method still matches";
  const auto wrong = server.handle(get("/admin/queues/x", "DELETE"));
  EXPECT_EQ(wrong.status, 405);
  ASSERT_EQ(wrong.headers.size(), 1u);
  EXPECT_EQ(wrong.headers[0].second, "POST, GET");
  EXPECT_EQ(server.handle(get("/admin")).status, 404);
  server.addRoute("GET", "/admin/queues/*", [](const Request&) {  // replaced
    return Response::json(200, "{\"v\":2}");
  });
  EXPECT_EQ(server.handle(get("/admin/queues/y")).body, R"({"v":2})");
  const auto failed = server.handle(get("/admin/fail"));
  EXPECT_EQ(failed.status, 500);
  EXPECT_EQ(failed.body, R"({"error":"boom"})");
  EXPECT_THROW(server.addRoute("GET", "relative", {}), std::invalid_argument);
}

TEST(ServerAnswers, ReadyFollowsTheState) {
  Health health;
  metrics::Registry registry;
  Server server({}, health, registry);
  EXPECT_EQ(server.state(), State::starting);
  const std::pair<State, std::string> cases[] = {
      {State::starting, "starting"}, {State::draining, "draining"}, {State::stopping, "stopping"}};
  for (const auto& [state, name] : cases) {
    server.setState(state);
    const auto r = server.handle(get("/ready"));
    EXPECT_EQ(r.status, 503);
    EXPECT_EQ(r.body, "{\"ready\":false,\"state\":\"" + name + "\"}");
  }
  server.setState(State::serving);
  EXPECT_EQ(server.handle(get("/ready")).status, 200);
  EXPECT_EQ(server.handle(get("/ready")).body, R"({"ready":true})");
}

TEST(ServerAnswers, HealthJson) {
  Health health;
  metrics::Registry registry;
  ServerOptions options;
  options.version = "1.2.3";
  Server server(options, health, registry);
  health.add("redis", [] { return CheckResult::ok(); });
  health.add("database", [] { return CheckResult::failed("say \"no\""); });
  const auto r = server.handle(get("/health"));
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(r.contentType, "application/json");
  const std::string prefix =
      R"({"status":"unhealthy","checks":{"redis":{"healthy":true,"error":null},)"
      R"("database":{"healthy":false,"error":"say \"no\""}},"uptime_s":)";
  EXPECT_EQ(r.body.substr(0, prefix.size()), prefix) << r.body;
  EXPECT_NE(r.body.find(R"(,"version":"1.2.3"})"), std::string::npos) << r.body;
}

TEST(ServerAnswers, ACheckCanShowDetailHealthyOrNot) {
  Health health;
  metrics::Registry registry;
  Server server({}, health, registry);
  health.add("redis", [] {
    CheckResult result;
    result.detail = R"({"mode":"sentinel","failovers":1})";
    return result;
  });
  health.add("cluster", [] { return CheckResult(false, "down", R"({"masters":2})"); });
  const auto r = server.handle(get("/health"));
  const std::string checks =
      R"({"status":"unhealthy","checks":{"redis":{"healthy":true,"error":null,)"
      R"("detail":{"mode":"sentinel","failovers":1}},"cluster":{"healthy":false,)"
      R"("error":"down","detail":{"masters":2}}},)";
  EXPECT_EQ(r.body.substr(0, checks.size()), checks) << r.body;
}

// ---- metrics ----------------------------------------------------------------------------------

TEST(ProcessMetrics, ReadsProcSelf) {
  const auto stats = metrics::readProcessStats();
  ASSERT_TRUE(stats.cpuSeconds && stats.residentBytes && stats.virtualBytes && stats.openFds &&
              stats.maxFds && stats.startTimeSeconds);
  EXPECT_GT(*stats.residentBytes, 1024 * 1024);
  EXPECT_GE(*stats.virtualBytes, *stats.residentBytes);
  EXPECT_GE(*stats.openFds, 3);  // stdin, stdout, stderr
  EXPECT_GE(*stats.maxFds, *stats.openFds);
  const double now = static_cast<double>(epochMs()) / 1000.0;
  EXPECT_LE(*stats.startTimeSeconds, now + 1);
  EXPECT_GT(*stats.startTimeSeconds, now - 3600) << "this test process started recently";
}

TEST(ProcessMetrics, CpuCounterFollowsTheKernelTotal) {
  metrics::Registry registry;
  metrics::describeHostMetrics(registry);
  metrics::collectProcessMetrics(registry);
  const double first = registry.value("process_cpu_seconds_total", {});
  volatile double spin = 0;
  for (int i = 0; i < 30'000'000; ++i) spin = spin + 1e-9;
  metrics::collectProcessMetrics(registry);
  const double second = registry.value("process_cpu_seconds_total", {});
  EXPECT_GE(second, first);
  EXPECT_NEAR(second, *metrics::readProcessStats().cpuSeconds, 0.05);
  const std::string text = registry.exposition();
  EXPECT_NE(text.find("# HELP process_open_fds Number of open file descriptors.\n"
                      "# TYPE process_open_fds gauge\n"),
            std::string::npos);
}

TEST(HostMetrics, JobDurationBucketsAsTheIssueSays) {
  metrics::Registry registry;
  metrics::describeHostMetrics(registry);
  metrics::describeHostMetrics(registry);  // idempotent
  registry.histogramObserve("worker_job_duration_seconds", {{"queue", "q"}}, 0.3);
  const std::string text = registry.exposition();
  std::string le;
  for (std::size_t at = 0; (at = text.find("le=\"", at)) != std::string::npos; at += 4) {
    le += text.substr(at + 4, text.find('"', at + 4) - at - 4) + " ";
  }
  EXPECT_EQ(le, "0.1 0.5 1 5 10 30 60 +Inf ");
}

TEST(HostMetrics, PluginInfoKeepsOneServingGeneration) {
  metrics::Registry registry;
  metrics::setPluginInfo(registry, "echo", "1.0.0", 1);
  metrics::setPluginInfo(registry, "echo", "1.1.0", 2);
  EXPECT_EQ(registry.value("warren_plugin_info",
                           {{"plugin", "echo"}, {"version", "1.0.0"}, {"generation", "1"}}),
            0);
  EXPECT_EQ(registry.value("warren_plugin_info",
                           {{"plugin", "echo"}, {"version", "1.1.0"}, {"generation", "2"}}),
            1);
  metrics::setQueueDepth(registry, "q", 7);
  EXPECT_EQ(registry.value("bullmq_queue_depth", {{"queue", "q"}}), 7);
  EXPECT_EQ(registry.value("worker_queue_depth", {{"queue", "q"}}), 7);
}

}  // namespace
}  // namespace warren::http
