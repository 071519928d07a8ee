// The HTTP endpoint over real loopback sockets: /health turning 503 and back, /ready per state,
// /metrics content and promtool, 404/405, admin-style routes, loopback-only binding.
#include "Command.h"
#include "TempDir.h"
#include "http/Health.h"
#include "http/Server.h"
#include "metrics/ProcessMetrics.h"
#include "metrics/Registry.h"

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <sstream>
#include <string>

namespace warren::http {
namespace {

using namespace std::chrono_literals;

struct Reply {
  int status = 0;
  std::string contentType;
  std::string body;
  std::string allow;
};

Reply fetch(std::uint16_t port, const std::string& method, const std::string& path,
            const std::string& body = {}) {
  Poco::Net::HTTPClientSession session("127.0.0.1", port);
  session.setTimeout(Poco::Timespan(10, 0));
  Poco::Net::HTTPRequest request(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
  if (!body.empty()) request.setContentLength64(static_cast<Poco::Int64>(body.size()));
  session.sendRequest(request) << body;
  Poco::Net::HTTPResponse response;
  std::istream& in = session.receiveResponse(response);
  std::ostringstream text;
  text << in.rdbuf();
  return {static_cast<int>(response.getStatus()), response.getContentType(), text.str(),
          response.get("Allow", "")};
}

Reply get(std::uint16_t port, const std::string& path) {
  return fetch(port, "GET", path);
}

class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ServerOptions options;
    options.version = "9.8.7";
    server_ = std::make_unique<Server>(options, health_, registry_);
    server_->start();
    port_ = server_->port();
    ASSERT_NE(port_, 0);
  }
  void TearDown() override { server_->stop(); }

  Health health_;
  metrics::Registry registry_;
  std::unique_ptr<Server> server_;
  std::uint16_t port_ = 0;
};

TEST_F(ServerTest, HealthTurns503AndBack) {
  std::atomic<bool> redisUp{true};
  health_.add("redis", [&] {
    return redisUp ? CheckResult::ok() : CheckResult::failed("Connection refused (127.0.0.1:6379)");
  });
  health_.add("database", [] { return CheckResult::ok(); });

  auto r = get(port_, "/health");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.contentType, "application/json");
  EXPECT_EQ(r.body.rfind(R"({"status":"healthy","checks":{"redis":{"healthy":true,"error":null},)"
                         R"("database":{"healthy":true,"error":null}},"uptime_s":)",
                         0),
            0u)
      << r.body;
  EXPECT_NE(r.body.find(R"(,"version":"9.8.7"})"), std::string::npos) << r.body;

  redisUp = false;
  r = get(port_, "/health");
  EXPECT_EQ(r.status, 503);
  EXPECT_NE(r.body.find(R"({"status":"unhealthy",)"), std::string::npos) << r.body;
  EXPECT_NE(
      r.body.find(R"x("redis":{"healthy":false,"error":"Connection refused (127.0.0.1:6379)"})x"),
      std::string::npos)
      << r.body;
  EXPECT_NE(r.body.find(R"("database":{"healthy":true,"error":null})"), std::string::npos);

  redisUp = true;
  EXPECT_EQ(get(port_, "/health").status, 200);
}

TEST_F(ServerTest, ConsumptionCheckGoesStaleAndRecovers) {
  std::atomic<std::int64_t> now{epochMs()};
  std::atomic<std::int64_t> lastFetch{now.load()};
  auto check = std::make_shared<ConsumptionCheck>(
      "post-publish",
      [&] {
        ConsumptionSample s;
        s.lastFetchMs = lastFetch;
        s.lastRenewalMs = now;
        s.concurrency = 2;
        s.lastError = "Connection timed out";
        return s;
      },
      ConsumptionLimits{}, [&] { return now.load(); });
  health_.add("queue:post-publish", asCheck(check));
  EXPECT_EQ(get(port_, "/health").status, 200);

  now += 25000;  // the fetch loop stopped 25 s ago; allowed 20 s
  const auto r = get(port_, "/health");
  EXPECT_EQ(r.status, 503);
  EXPECT_NE(r.body.find(R"("queue:post-publish":{"healthy":false,"error":"queue 'post-publish': )"
                        R"(fetch loop late by 5.0 s (last round trip 25.0 s ago, expected within )"
                        R"(20.0 s with 2 free slot(s)); last error: Connection timed out"})"),
            std::string::npos)
      << r.body;
  now += 10000;
  EXPECT_TRUE(check->unhealthyFor(10s)) << "what the watchdog asks";

  lastFetch = now.load();
  EXPECT_EQ(get(port_, "/health").status, 200);
  EXPECT_FALSE(check->unhealthyFor(0ms));
}

TEST_F(ServerTest, ReadyPerState) {
  const std::pair<State, std::string> cases[] = {
      {State::starting, "starting"}, {State::draining, "draining"}, {State::stopping, "stopping"}};
  for (const auto& [state, name] : cases) {
    server_->setState(state);
    const auto r = get(port_, "/ready");
    EXPECT_EQ(r.status, 503);
    EXPECT_EQ(r.body, "{\"ready\":false,\"state\":\"" + name + "\"}");
  }
  server_->setState(State::serving);
  const auto r = get(port_, "/ready");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, R"({"ready":true})");
}

TEST_F(ServerTest, NotFoundAndWrongMethod) {
  auto r = get(port_, "/metricz");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.contentType, "application/json");
  EXPECT_EQ(r.body, R"({"error":"not found","path":"/metricz"})");
  r = fetch(port_, "POST", "/ready", "{}");
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(r.allow, "GET");
  EXPECT_EQ(r.body, R"({"error":"method not allowed","method":"POST","allow":"GET"})");
  EXPECT_EQ(fetch(port_, "DELETE", "/metrics").status, 405);
}

TEST_F(ServerTest, RoutesAddedWhileServing) {
  server_->addRoute("POST", "/admin/*", [](const Request& request) {
    return Response::json(200, "{\"path\":\"" + request.path + "\",\"body\":\"" + request.body +
                                   "\",\"token\":\"" + request.header("x-admin-token") + "\"}");
  });
  Poco::Net::HTTPClientSession session("127.0.0.1", port_);
  Poco::Net::HTTPRequest request("POST", "/admin/queues/q/pause?now=1",
                                 Poco::Net::HTTPMessage::HTTP_1_1);
  request.set("X-Admin-Token", "t0k");
  request.setContentLength(5);
  session.sendRequest(request) << "hello";
  Poco::Net::HTTPResponse response;
  std::ostringstream body;
  body << session.receiveResponse(response).rdbuf();
  EXPECT_EQ(response.getStatus(), 200);
  EXPECT_EQ(body.str(), R"({"path":"/admin/queues/q/pause","body":"hello","token":"t0k"})");
}

TEST_F(ServerTest, MetricsContentTypeAndLines) {
  registry_.counterAdd("worker_jobs_processed_total",
                       {{"queue", "post-publish"}, {"status", "completed"}}, 3);
  registry_.histogramObserve("worker_job_duration_seconds", {{"queue", "post-publish"}}, 0.05);
  registry_.histogramObserve("worker_job_duration_seconds", {{"queue", "post-publish"}}, 7);
  metrics::setQueueDepth(registry_, "post-publish", 42);
  int scrapes = 0;
  server_->addCollector([&](metrics::Registry& r) {
    r.gaugeSet("worker_oldest_waiting_job_age_seconds", {{"queue", "post-publish"}}, ++scrapes);
  });

  const auto r = get(port_, "/metrics");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.contentType, "text/plain; version=0.0.4; charset=utf-8");
  const std::string expected[] = {
      "# HELP worker_jobs_processed_total Jobs finished by this node, by queue and final status "
      "(completed, failed).\n# TYPE worker_jobs_processed_total counter\n"
      "worker_jobs_processed_total{queue=\"post-publish\",status=\"completed\"} 3\n",
      "# TYPE worker_job_duration_seconds histogram\n"
      "worker_job_duration_seconds_bucket{queue=\"post-publish\",le=\"0.1\"} 1\n"
      "worker_job_duration_seconds_bucket{queue=\"post-publish\",le=\"0.5\"} 1\n"
      "worker_job_duration_seconds_bucket{queue=\"post-publish\",le=\"1\"} 1\n"
      "worker_job_duration_seconds_bucket{queue=\"post-publish\",le=\"5\"} 1\n"
      "worker_job_duration_seconds_bucket{queue=\"post-publish\",le=\"10\"} 2\n"
      "worker_job_duration_seconds_bucket{queue=\"post-publish\",le=\"30\"} 2\n"
      "worker_job_duration_seconds_bucket{queue=\"post-publish\",le=\"60\"} 2\n"
      "worker_job_duration_seconds_bucket{queue=\"post-publish\",le=\"+Inf\"} 2\n"
      "worker_job_duration_seconds_sum{queue=\"post-publish\"} 7.05\n"
      "worker_job_duration_seconds_count{queue=\"post-publish\"} 2\n",
      "\nbullmq_queue_depth{queue=\"post-publish\"} 42\n",
      "\nworker_queue_depth{queue=\"post-publish\"} 42\n",
      "\nworker_oldest_waiting_job_age_seconds{queue=\"post-publish\"} 1\n",
      "# TYPE process_cpu_seconds_total counter\n",
      "\nprocess_resident_memory_bytes ",
      "\nprocess_virtual_memory_bytes ",
      "\nprocess_open_fds ",
      "\nprocess_max_fds ",
      "\nprocess_start_time_seconds ",
  };
  for (const auto& text : expected) EXPECT_NE(r.body.find(text), std::string::npos) << text;
  EXPECT_NE(get(port_, "/metrics")
                .body.find("worker_oldest_waiting_job_age_seconds{queue=\"post-"
                           "publish\"} 2\n"),
            std::string::npos)
      << "collectors run at each scrape";
}

// Every family the host describes, with sample values, through promtool's linter.
TEST_F(ServerTest, PromtoolFindsNothingToSay) {
  const auto which = test::run({"/bin/sh", "-c", "command -v promtool"});
  if (which.exitCode != 0) {
    GTEST_SKIP() << "promtool is not installed (apt-get install prometheus); CI installs it";
  }
  const metrics::Labels q = {{"queue", "content-generate"}};
  registry_.counterAdd(metrics::names::jobsProcessed,
                       {{"queue", "content-generate"}, {"status", "completed"}}, 5);
  registry_.counterAdd(metrics::names::jobsProcessed,
                       {{"queue", "content-generate"}, {"status", "failed"}}, 1);
  registry_.histogramObserve(metrics::names::jobDuration, q, 12.5);
  registry_.histogramObserve(metrics::names::jobWait, q, 0.7);
  registry_.counterAdd(metrics::names::lockRenewalFailures, q, 1);
  registry_.counterAdd(metrics::names::stalledRecovered, q, 2);
  metrics::setQueueDepth(registry_, "content-generate", 17);
  metrics::setWorkerSlots(registry_, "content-generate", 3, 5);
  registry_.gaugeSet(metrics::names::oldestWaitingAge, q, 93.25);
  metrics::setPluginInfo(registry_, "content-generate", "0.3.1", 1);
  metrics::setPluginInfo(registry_, "content-generate", "0.3.2", 2);
  registry_.gaugeSet(metrics::names::redisPoolConnections, {{"pool", "workers"}, {"state", "open"}},
                     9);
  registry_.gaugeSet(metrics::names::redisPoolMax, {{"pool", "workers"}}, 12);
  registry_.gaugeSet(metrics::names::dbPoolConnections, {{"pool", "primary"}, {"state", "busy"}},
                     2);
  registry_.gaugeSet(metrics::names::dbPoolConnections, {{"pool", "primary"}, {"state", "idle"}},
                     8);
  registry_.gaugeSet(metrics::names::dbPoolMax, {{"pool", "primary"}}, 10);
  registry_.counterAdd(metrics::names::dbPoolWaitTimeouts, {{"pool", "primary"}}, 0);
  registry_.gaugeSet(metrics::names::queueDepth, {{"queue", "quote\"back\\slash\nline"}}, 1);

  const auto r = get(port_, "/metrics");
  ASSERT_EQ(r.status, 200);
  test::TempDir dir;
  const auto file = dir.path() / "metrics.txt";
  std::ofstream(file) << r.body;
  const auto lint =
      test::run({"/bin/sh", "-c", "promtool check metrics < '" + file.string() + "'"});
  EXPECT_EQ(lint.exitCode, 0) << lint.out << lint.err << "\n--- scraped:\n" << r.body;
  EXPECT_EQ(lint.out + lint.err, "") << "promtool warned:\n" << lint.out << lint.err;
  // Every family has a real HELP text.
  EXPECT_EQ(r.body.find("(no description given)"), std::string::npos) << r.body;
  for (const auto* name : {"warren_plugin_info", "warren_db_pool_connections",
                           "worker_job_wait_seconds_bucket", "worker_concurrency_slots"}) {
    EXPECT_NE(r.body.find(name), std::string::npos) << name;
  }
}

// The machine's first non-loopback IPv4 address, or "" when it has none.
std::string nonLoopbackAddress() {
  ifaddrs* list = nullptr;
  if (::getifaddrs(&list) != 0) return {};
  std::string found;
  for (ifaddrs* a = list; a != nullptr && found.empty(); a = a->ifa_next) {
    if (a->ifa_addr == nullptr || a->ifa_addr->sa_family != AF_INET) continue;
    if ((a->ifa_flags & IFF_LOOPBACK) != 0 || (a->ifa_flags & IFF_UP) == 0) continue;
    char text[INET_ADDRSTRLEN] = {};
    const auto* in = reinterpret_cast<const sockaddr_in*>(a->ifa_addr);
    if (::inet_ntop(AF_INET, &in->sin_addr, text, sizeof text) != nullptr) found = text;
  }
  ::freeifaddrs(list);
  return found;
}

TEST_F(ServerTest, ListensOnLoopbackOnlyByDefault) {
  EXPECT_EQ(ServerOptions{}.host, "127.0.0.1");
  EXPECT_EQ(server_->host(), "127.0.0.1");
  const std::string other = nonLoopbackAddress();
  if (other.empty()) GTEST_SKIP() << "this machine has no non-loopback IPv4 address to try";
  // Our own address: the kernel delivers this locally, no traffic leaves the machine.
  Poco::Net::StreamSocket socket;
  EXPECT_THROW(socket.connect(Poco::Net::SocketAddress(other, port_), Poco::Timespan(2, 0)),
               Poco::Net::NetException)
      << "port " << port_ << " answered on " << other;
}

TEST(Server, PortInUseIsAReadableError) {
  Health health;
  metrics::Registry registry;
  Server first({}, health, registry);
  first.start();
  ServerOptions options;
  options.port = first.port();
  Server second(options, health, registry);
  try {
    second.start();
    FAIL() << "two servers on one port";
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()).rfind(
                  "cannot listen on 127.0.0.1:" + std::to_string(first.port()) + ": ", 0),
              0u)
        << e.what();
  }
  EXPECT_FALSE(second.running());
}

TEST(Server, StopsPromptlyWithAKeepAliveConnectionOpen) {
  Health health;
  metrics::Registry registry;
  Server server({}, health, registry);
  server.start();
  Poco::Net::HTTPClientSession session("127.0.0.1", server.port());
  session.setKeepAlive(true);
  Poco::Net::HTTPRequest request("GET", "/ready", Poco::Net::HTTPMessage::HTTP_1_1);
  session.sendRequest(request);
  Poco::Net::HTTPResponse response;
  std::ostringstream body;
  body << session.receiveResponse(response).rdbuf();
  EXPECT_EQ(response.getStatus(), 503);
  const auto before = std::chrono::steady_clock::now();
  server.stop();
  EXPECT_LT(std::chrono::steady_clock::now() - before, 3s);
  EXPECT_FALSE(server.running());
  server.stop();  // idempotent
  EXPECT_THROW(get(server.port(), "/ready"), Poco::Exception);
}

}  // namespace
}  // namespace warren::http
