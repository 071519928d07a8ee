// Which failures are tried again, how often and after how long.
#include "Helpers.h"
#include "TestServer.h"

#include <gtest/gtest.h>

namespace warren::outbound {
namespace {

using test::Arrival;
using test::Reply;
using test::TestServer;

Reply status(int code, std::vector<std::pair<std::string, std::string>> headers = {}) {
  Reply reply;
  reply.status = code;
  reply.headers = std::move(headers);
  reply.body = std::to_string(code);
  return reply;
}

// 503 twice, then 200.
Reply unavailableTwice(const Arrival&, std::size_t index) {
  return status(index < 2 ? 503 : 200);
}

TEST(OutboundRetry, AGetSucceedsOnTheThirdAttemptAfterTwo503s) {
  TestServer server(unavailableTwice);
  HttpClient client(fastRetries());
  const HttpResult r = client.request(makeRequest("GET", server.url("/flaky")));
  ASSERT_EQ(r.status, WARREN_OK) << r.error;
  EXPECT_EQ(r.code, 200);
  EXPECT_EQ(r.attempts, 3u);
  EXPECT_EQ(server.arrivals().size(), 3u);
}

TEST(OutboundRetry, APostIsNeverRetriedUnlessMarkedIdempotent) {
  TestServer server(unavailableTwice);
  HttpClient client(fastRetries());
  const HttpResult post = client.request(makeRequest("POST", server.url("/charge"), {}, "x"));
  ASSERT_EQ(post.status, WARREN_OK) << post.error;
  EXPECT_EQ(post.code, 503);
  EXPECT_EQ(post.attempts, 1u);
  EXPECT_EQ(server.arrivals().size(), 1u);

  HttpRequest idempotent = makeRequest("POST", server.url("/charge"), {}, "x");
  idempotent.idempotent = true;
  const HttpResult retried = client.request(idempotent);  // 503 once more, then 200
  EXPECT_EQ(retried.code, 200);
  EXPECT_EQ(retried.attempts, 2u);
}

TEST(OutboundRetry, ServerErrorsUseUpTheAttemptsAndReturnTheLastResponse) {
  TestServer server([](const Arrival&, std::size_t) { return status(500); });
  HttpOptions options = fastRetries();
  options.maxAttempts = 4;
  HttpClient client(options);
  const HttpResult r = client.request(makeRequest("DELETE", server.url("/item/7")));
  ASSERT_EQ(r.status, WARREN_OK) << r.error;
  EXPECT_EQ(r.code, 500);
  EXPECT_EQ(r.attempts, 4u);
  EXPECT_EQ(server.arrivals().size(), 4u);
}

TEST(OutboundRetry, ClientErrorsAreNotRetried) {
  TestServer server([](const Arrival&, std::size_t) { return status(404); });
  HttpClient client(fastRetries());
  const HttpResult r = client.request(makeRequest("GET", server.url("/nothing")));
  EXPECT_EQ(r.code, 404);
  EXPECT_EQ(r.attempts, 1u);
}

TEST(OutboundRetry, RetryAfterOn429IsHonoured) {
  TestServer server([](const Arrival&, std::size_t index) {
    return index == 0 ? status(429, {{"Retry-After", "1"}}) : status(200);
  });
  HttpClient client(fastRetries());
  const HttpResult r = client.request(makeRequest("GET", server.url("/limited")));
  ASSERT_EQ(r.status, WARREN_OK) << r.error;
  EXPECT_EQ(r.code, 200);
  EXPECT_EQ(r.attempts, 2u);
  const auto arrivals = server.arrivals();
  ASSERT_EQ(arrivals.size(), 2u);
  EXPECT_GE(secondsBetween(arrivals[0].at, arrivals[1].at), 0.9);
}

TEST(OutboundRetry, ARetryAfterBeyondTheDeadlineReturnsTheResponseAtOnce) {
  TestServer server([](const Arrival&, std::size_t) {
    return status(503, {{"Retry-After", "30"}});
  });
  HttpClient client(fastRetries());
  HttpRequest request = makeRequest("GET", server.url("/busy"));
  request.timeout = 2s;
  const auto start = Clock::now();
  const HttpResult r = client.request(request);
  EXPECT_LT(secondsBetween(start, Clock::now()), 1.5);
  ASSERT_EQ(r.status, WARREN_OK) << r.error;
  EXPECT_EQ(r.code, 503);
  EXPECT_EQ(parseObject(r.headersJson)->getValue<std::string>("retry-after"), "30");
  EXPECT_EQ(r.attempts, 1u);
}

}  // namespace
}  // namespace warren::outbound
