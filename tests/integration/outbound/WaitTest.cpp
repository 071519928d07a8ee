// Everything that waits: the per-host rate limit, a slow server, the pause before a retry, and
// how a cancelled job or a deadline cuts each wait short.
#include "Helpers.h"
#include "TestServer.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace warren::outbound {
namespace {

using test::Arrival;
using test::Reply;
using test::TestServer;

Reply ok(const Arrival&, std::size_t) {
  Reply reply;
  reply.body = "ok";
  return reply;
}

HttpOptions limited(double perSecond) {
  HttpOptions options;
  options.rateLimits["127.0.0.1"] = RateLimit{perSecond, 1};
  return options;
}

TEST(OutboundRateLimit, SpreadsRequestsToOneHostAtTheConfiguredPace) {
  TestServer server(ok);
  HttpClient client(limited(5));  // 5/s, burst 1: one request every 200 ms
  for (int i = 0; i < 6; ++i)
    ASSERT_EQ(client.request(makeRequest("GET", server.url("/"))).status, WARREN_OK);
  const auto arrivals = server.arrivals();
  ASSERT_EQ(arrivals.size(), 6u);
  const double spread = secondsBetween(arrivals.front().at, arrivals.back().at);
  EXPECT_GE(spread, 0.8);
  EXPECT_LT(spread, 5.0);
}

TEST(OutboundRateLimit, OtherHostsAreNotLimited) {
  TestServer server(ok);
  HttpClient client(limited(0.1));  // 127.0.0.1 is limited; "localhost" is another host
  const auto start = Clock::now();
  for (int i = 0; i < 4; ++i)
    ASSERT_EQ(client.request(makeRequest("GET", server.url("/", "localhost"))).status, WARREN_OK);
  EXPECT_LT(secondsBetween(start, Clock::now()), 2.0);
}

TEST(OutboundRateLimit, ACancelledJobStopsWaitingForAToken) {
  TestServer server(ok);
  HttpClient client(limited(0.2));  // one request per 5 s
  ASSERT_EQ(client.request(makeRequest("GET", server.url("/"))).status, WARREN_OK);
  plugins::JobContext job({}, {});
  const auto start = Clock::now();
  HttpResult r;
  {
    CancelLater cancel(job, 200ms);
    r = client.request(makeRequest("GET", server.url("/")), &job);
  }
  EXPECT_LT(secondsBetween(start, Clock::now()), 2.0);
  EXPECT_EQ(r.status, WARREN_ERR_CANCELLED);
  EXPECT_EQ(r.error, "GET " + server.url("/") +
                         " cancelled while waiting for the rate limit of host '127.0.0.1' (0.2/s)");
  EXPECT_EQ(server.arrivals().size(), 1u);
  // The token it gave back is the next one: a call without a job gets it on time, not later.
}

TEST(OutboundRateLimit, ATokenDueAfterTheDeadlineFailsAtOnce) {
  TestServer server(ok);
  HttpClient client(limited(0.2));
  ASSERT_EQ(client.request(makeRequest("GET", server.url("/"))).status, WARREN_OK);
  HttpRequest request = makeRequest("GET", server.url("/"));
  request.timeout = 1s;
  const auto start = Clock::now();
  const HttpResult r = client.request(request);
  EXPECT_LT(secondsBetween(start, Clock::now()), 0.5);
  EXPECT_EQ(r.status, WARREN_ERR_TIMEOUT);
  EXPECT_EQ(r.error, "GET " + server.url("/") +
                         ": the rate limit of host '127.0.0.1' (0.2/s) leaves no slot before the "
                         "deadline (timeout after 1000 ms)");
  EXPECT_EQ(r.attempts, 0u);
}

TEST(OutboundCancellation, ACancelledJobStopsWaitingForASlowResponse) {
  TestServer server([](const Arrival&, std::size_t) {
    Reply reply;
    reply.delay = 20s;
    return reply;
  });
  HttpClient client;
  plugins::JobContext job({}, {});
  const auto start = Clock::now();
  HttpResult r;
  {
    CancelLater cancel(job, 300ms);
    r = client.request(makeRequest("GET", server.url("/slow")), &job);
  }
  EXPECT_LT(secondsBetween(start, Clock::now()), 2.0);
  EXPECT_EQ(r.status, WARREN_ERR_CANCELLED);
  EXPECT_EQ(r.error, "GET " + server.url("/slow") + " cancelled: the job was cancelled");
  EXPECT_EQ(r.attempts, 1u);
  EXPECT_EQ(client.idleConnections(), 0u);  // the cut connection is not reused
}

TEST(OutboundCancellation, ACancelledJobStopsWaitingToRetry) {
  TestServer server([](const Arrival&, std::size_t) {
    Reply reply;
    reply.status = 503;
    reply.headers = {{"Retry-After", "20"}};
    return reply;
  });
  HttpClient client;
  plugins::JobContext job({}, {});
  const auto start = Clock::now();
  HttpResult r;
  {
    CancelLater cancel(job, 300ms);
    r = client.request(makeRequest("GET", server.url("/busy")), &job);
  }
  EXPECT_LT(secondsBetween(start, Clock::now()), 2.0);
  EXPECT_EQ(r.status, WARREN_ERR_CANCELLED);
  EXPECT_EQ(r.error, "GET " + server.url("/busy") +
                         " cancelled while waiting to retry: the job was cancelled");
  EXPECT_EQ(server.arrivals().size(), 1u);
}

TEST(OutboundClient, ManyThreadsShareOneClient) {
  TestServer server(ok);
  HttpClient client;
  std::vector<std::thread> threads;
  std::atomic<int> succeeded{0};
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 10; ++i)
        if (client.request(makeRequest("GET", server.url("/"))).status == WARREN_OK) ++succeeded;
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(succeeded.load(), 80);
  EXPECT_LE(server.connections(), 8u);  // connections are reused across threads
  EXPECT_LE(client.idleConnections(), 8u);
}

}  // namespace
}  // namespace warren::outbound
