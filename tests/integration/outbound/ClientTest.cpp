// The outbound client against real local HTTP servers: round trips, keep-alive, what it does
// not do (redirects), broken and slow servers, size limits, metrics and logs.
#include "Command.h"
#include "Helpers.h"
#include "StderrCapture.h"
#include "TempDir.h"
#include "TestServer.h"
#include "log/Log.h"
#include "metrics/Registry.h"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace warren::outbound {
namespace {

using test::Arrival;
using test::Reply;
using test::TestServer;

Reply ok(std::string body = "ok") {
  Reply reply;
  reply.body = std::move(body);
  return reply;
}

TEST(OutboundClient, PostRoundTripCarriesHeadersAndBodyBothWays) {
  TestServer server([](const Arrival& in, std::size_t) {
    Reply reply;
    reply.status = 201;
    reply.headers = {{"X-Echo-Method", in.method}, {"Set-Cookie", "a=1"}, {"Set-Cookie", "b=2"}};
    reply.body = "got " + in.body + " with key " + in.headers.at("x-api-key");
    return reply;
  });
  HttpClient client;
  const HttpResult r = client.request(
      makeRequest("POST", server.url("/v1/items?page=2"),
                  {{"X-Api-Key", "k-123"}, {"Content-Type", "application/json"}}, R"({"a":1})"));
  ASSERT_EQ(r.status, WARREN_OK) << r.error;
  EXPECT_EQ(r.code, 201);
  EXPECT_EQ(r.body, R"(got {"a":1} with key k-123)");
  EXPECT_EQ(r.attempts, 1u);
  const auto headers = parseObject(r.headersJson);
  EXPECT_EQ(headers->getValue<std::string>("x-echo-method"), "POST");
  EXPECT_EQ(headers->getValue<std::string>("set-cookie"), "a=1, b=2");
  EXPECT_EQ(headers->getValue<std::string>("content-length"), std::to_string(r.body.size()));

  const auto arrivals = server.arrivals();
  ASSERT_EQ(arrivals.size(), 1u);
  EXPECT_EQ(arrivals[0].method, "POST");
  EXPECT_EQ(arrivals[0].uri, "/v1/items?page=2");
  EXPECT_EQ(arrivals[0].body, R"({"a":1})");
  EXPECT_EQ(arrivals[0].headers.at("content-type"), "application/json");
  EXPECT_EQ(arrivals[0].headers.at("host"), "127.0.0.1:" + std::to_string(server.port()));
}

TEST(OutboundClient, GetAndHeadReturnTheBodyOrNone) {
  TestServer server([](const Arrival&, std::size_t) { return ok("twelve bytes"); });
  HttpClient client;
  const HttpResult get = client.request(makeRequest("GET", server.url("/file")));
  ASSERT_EQ(get.status, WARREN_OK) << get.error;
  EXPECT_EQ(get.code, 200);
  EXPECT_EQ(get.body, "twelve bytes");
  const HttpResult head = client.request(makeRequest("HEAD", server.url("/file")));
  ASSERT_EQ(head.status, WARREN_OK) << head.error;
  EXPECT_EQ(head.body, "");
  EXPECT_EQ(parseObject(head.headersJson)->getValue<std::string>("content-length"), "12");
  EXPECT_EQ(server.connections(), 1u);  // the HEAD reused the GET's connection
}

TEST(OutboundClient, KeepAliveReusesOneConnectionForSequentialRequests) {
  TestServer server([](const Arrival&, std::size_t index) { return ok(std::to_string(index)); });
  HttpClient client;
  for (int i = 0; i < 20; ++i) {
    const HttpResult r = client.request(makeRequest(i % 2 ? "POST" : "GET", server.url("/n")));
    ASSERT_EQ(r.status, WARREN_OK) << r.error;
    EXPECT_EQ(r.body, std::to_string(i));
  }
  EXPECT_EQ(server.arrivals().size(), 20u);
  EXPECT_EQ(server.connections(), 1u);
  EXPECT_EQ(client.idleConnections(), 1u);
}

TEST(OutboundClient, ChunkedResponsesAreReadAndTheConnectionKept) {
  TestServer server([](const Arrival&, std::size_t) {
    Reply reply = ok(std::string(100000, 'c'));
    reply.chunked = true;
    return reply;
  });
  HttpClient client;
  for (int i = 0; i < 3; ++i) {
    const HttpResult r = client.request(makeRequest("GET", server.url("/chunked")));
    ASSERT_EQ(r.status, WARREN_OK) << r.error;
    EXPECT_EQ(r.body.size(), 100000u);
  }
  EXPECT_EQ(server.connections(), 1u);
}

TEST(OutboundClient, RedirectsGoBackToThePluginUnfollowed) {
  TestServer server([](const Arrival&, std::size_t) {
    Reply reply;
    reply.status = 302;
    reply.headers = {{"Location", "http://127.0.0.1:1/elsewhere"}};
    return reply;
  });
  HttpClient client;
  const HttpResult r = client.request(makeRequest("GET", server.url("/old")));
  ASSERT_EQ(r.status, WARREN_OK) << r.error;
  EXPECT_EQ(r.code, 302);
  EXPECT_EQ(parseObject(r.headersJson)->getValue<std::string>("location"),
            "http://127.0.0.1:1/elsewhere");
  EXPECT_EQ(server.arrivals().size(), 1u);
}

TEST(OutboundClient, APooledConnectionTheServerClosedIsReplacedEvenForPost) {
  // The server drops idle connections after 200 ms; the client keeps them for 30 s.
  TestServer server([](const Arrival&, std::size_t) { return ok(); }, std::nullopt, 200ms);
  HttpClient client;
  ASSERT_EQ(client.request(makeRequest("POST", server.url("/a"), {}, "one")).status, WARREN_OK);
  std::this_thread::sleep_for(700ms);
  const HttpResult again = client.request(makeRequest("POST", server.url("/a"), {}, "two"));
  ASSERT_EQ(again.status, WARREN_OK) << again.error;
  EXPECT_EQ(again.attempts, 1u);
  const auto arrivals = server.arrivals();
  ASSERT_EQ(arrivals.size(), 2u);  // the POST reached the server exactly once more
  EXPECT_EQ(arrivals[1].body, "two");
  EXPECT_EQ(server.connections(), 2u);
}

TEST(OutboundClient, ConnectionRefusedIsUnavailableWithTheAddress) {
  const std::uint16_t port = test::closedPort();
  HttpClient client(fastRetries());
  const HttpResult get =
      client.request(makeRequest("GET", "http://127.0.0.1:" + std::to_string(port) + "/x"));
  EXPECT_EQ(get.status, WARREN_ERR_UNAVAILABLE);
  EXPECT_EQ(get.error,
            "connection to 127.0.0.1:" + std::to_string(port) + " failed: Connection refused");
  EXPECT_EQ(get.attempts, 3u);  // idempotent: retried
  const HttpResult post =
      client.request(makeRequest("POST", "http://127.0.0.1:" + std::to_string(port) + "/x"));
  EXPECT_EQ(post.status, WARREN_ERR_UNAVAILABLE);
  EXPECT_EQ(post.attempts, 1u);
}

TEST(OutboundClient, ASlowResponseTimesOutAtTheRequestTimeout) {
  TestServer server([](const Arrival&, std::size_t) {
    Reply reply = ok();
    reply.delay = 20s;
    return reply;
  });
  HttpClient client;
  HttpRequest request = makeRequest("GET", server.url("/slow?token=hidden"));
  request.timeout = 300ms;
  const auto start = Clock::now();
  const HttpResult r = client.request(request);
  const double took = secondsBetween(start, Clock::now());
  EXPECT_EQ(r.status, WARREN_ERR_TIMEOUT);
  EXPECT_EQ(r.error, "GET " + server.url("/slow") + " timed out after 300 ms");
  EXPECT_GE(took, 0.25);
  EXPECT_LT(took, 3.0);
  EXPECT_EQ(r.attempts, 1u);  // the whole budget went to the first attempt
}

TEST(OutboundClient, TheJobsDeadlineCapsTheRequestTimeout) {
  TestServer server([](const Arrival&, std::size_t) {
    Reply reply = ok();
    reply.delay = 20s;
    return reply;
  });
  HttpClient client;
  plugins::JobInput input;
  input.deadlineMs = std::chrono::duration_cast<std::chrono::milliseconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count() +
                     400;
  plugins::JobContext job(input, {});
  const auto start = Clock::now();
  const HttpResult r = client.request(makeRequest("GET", server.url("/slow")), &job);
  EXPECT_EQ(r.status, WARREN_ERR_TIMEOUT);
  EXPECT_EQ(r.error, "GET " + server.url("/slow") + " timed out at the job's deadline");
  EXPECT_LT(secondsBetween(start, Clock::now()), 3.0);
}

// A listener whose accept queue is full and never drained: the kernel drops further SYNs, so
// connecting hangs until the client gives up.
class FullListener {
 public:
  FullListener() : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t size = sizeof address;
    ::bind(fd_, reinterpret_cast<sockaddr*>(&address), size);
    ::listen(fd_, 0);
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &size);
    port_ = ntohs(address.sin_port);
    for (int i = 0; i < 3; ++i) {
      const int filler = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
      ::connect(filler, reinterpret_cast<sockaddr*>(&address), size);
      fillers_.push_back(filler);
    }
    std::this_thread::sleep_for(100ms);
  }
  ~FullListener() {
    for (const int filler : fillers_) ::close(filler);
    ::close(fd_);
  }
  std::uint16_t port() const { return port_; }

 private:
  int fd_;
  std::uint16_t port_ = 0;
  std::vector<int> fillers_;
};

TEST(OutboundClient, AConnectThatHangsTimesOutAtTheConnectTimeout) {
  FullListener listener;
  HttpOptions options;
  options.connectTimeout = 300ms;
  HttpClient client(options);
  const auto start = Clock::now();
  const HttpResult r = client.request(
      makeRequest("POST", "http://127.0.0.1:" + std::to_string(listener.port()) + "/"));
  EXPECT_EQ(r.status, WARREN_ERR_TIMEOUT);
  EXPECT_EQ(r.error, "connection to 127.0.0.1:" + std::to_string(listener.port()) +
                         " timed out after 300 ms");
  EXPECT_LT(secondsBetween(start, Clock::now()), 3.0);
}

TEST(OutboundClient, ABodyOverTheLimitIsRefusedSizedOrChunked) {
  TestServer server([](const Arrival& in, std::size_t) {
    Reply reply = ok(std::string(in.uri == "/exact" ? 1000 : 5000, 'x'));
    reply.chunked = in.uri == "/chunked";
    return reply;
  });
  HttpOptions options;
  options.maxResponseBytes = 1000;
  HttpClient client(options);
  for (const std::string path : {"/sized", "/chunked"}) {
    const HttpResult r = client.request(makeRequest("GET", server.url(path)));
    EXPECT_EQ(r.status, WARREN_ERR_INVALID) << path;
    EXPECT_EQ(r.error, "the response body of GET " + server.url(path) +
                           " is larger than the limit of 1000 bytes (maxResponseBytes)");
    EXPECT_EQ(r.attempts, 1u);
  }
  const HttpResult exact = client.request(makeRequest("GET", server.url("/exact")));
  ASSERT_EQ(exact.status, WARREN_OK) << exact.error;
  EXPECT_EQ(exact.body.size(), 1000u);
}

TEST(OutboundClient, CountsRequestsAndDurationsPerHostAndPassesPromtool) {
  TestServer server([](const Arrival& in, std::size_t) {
    Reply reply = ok();
    if (in.uri == "/missing") reply.status = 404;
    return reply;
  });
  metrics::Registry registry;
  HttpClient client(HttpOptions{}, registry);
  for (int i = 0; i < 3; ++i) client.request(makeRequest("GET", server.url("/")));
  client.request(makeRequest("GET", server.url("/missing")));
  client.request(makeRequest("GET", "http://127.0.0.1:" + std::to_string(test::closedPort())));
  const std::string requests = "warren_http_client_requests_total";
  EXPECT_EQ(registry.value(requests, {{"host", "127.0.0.1"}, {"status", "200"}}), 3);
  EXPECT_EQ(registry.value(requests, {{"host", "127.0.0.1"}, {"status", "404"}}), 1);
  EXPECT_EQ(registry.value(requests, {{"host", "127.0.0.1"}, {"status", "unavailable"}}), 3);
  const std::string text = registry.exposition();
  EXPECT_NE(text.find("warren_http_client_request_duration_seconds_count{host=\"127.0.0.1\"} 7"),
            std::string::npos)
      << text;

  if (test::run({"/bin/sh", "-c", "command -v promtool"}).exitCode != 0)
    GTEST_SKIP() << "promtool is not installed (apt-get install prometheus)";
  test::TempDir dir("warren-outbound-metrics");
  test::writeFile(dir / "metrics.txt", text);
  const auto lint = test::run(
      {"/bin/sh", "-c", "promtool check metrics < '" + (dir / "metrics.txt").string() + "'"});
  EXPECT_EQ(lint.exitCode, 0) << lint.out << lint.err << "\n--- exposition:\n" << text;
}

TEST(OutboundClient, DebugLogsNameTheRequestButNeverItsSecrets) {
  TestServer server([](const Arrival&, std::size_t) { return ok(); });
  HttpClient client;
  log::setLevel(log::Level::debug);
  test::StderrCapture capture;
  HttpRequest request = makeRequest("POST", server.url("/v1/send?api_key=QUERYSECRET"),
                                    {{"Authorization", "Bearer HEADERSECRET"}}, "BODYSECRET");
  request.caller = "publish";
  ASSERT_EQ(client.request(request).status, WARREN_OK);
  const std::string logged = capture.finish();
  log::setLevel(log::Level::info);
  EXPECT_NE(logged.find("\"msg\":\"outbound http request\""), std::string::npos) << logged;
  EXPECT_NE(logged.find("\"plugin\":\"publish\""), std::string::npos) << logged;
  EXPECT_NE(logged.find("\"url\":\"" + server.url("/v1/send") + "\""), std::string::npos) << logged;
  EXPECT_NE(logged.find("\"status\":\"200\""), std::string::npos) << logged;
  EXPECT_NE(logged.find("\"attempt\":1"), std::string::npos) << logged;
  for (const char* secret : {"QUERYSECRET", "HEADERSECRET", "BODYSECRET"})
    EXPECT_EQ(logged.find(secret), std::string::npos) << secret << " in " << logged;
}

}  // namespace
}  // namespace warren::outbound
