// Requests the client refuses before touching the network, through the C++ API and through the
// SDK's C table (error texts are HOST-OWNED malloc'd buffers the plugin frees).
#include "outbound/HttpClient.h"
#include "outbound/HttpService.h"
#include "plugins/JobContext.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <stdexcept>
#include <string>

namespace warren::outbound {
namespace {

using HeaderPairs = std::vector<std::pair<std::string, std::string>>;

HttpRequest make(std::string method, std::string url, HeaderPairs headers = {}) {
  HttpRequest request;
  request.method = std::move(method);
  request.url = std::move(url);
  request.headers = std::move(headers);
  return request;
}

std::string constructionError(HttpOptions options) {
  try {
    HttpClient client(std::move(options));
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "constructed";
}

TEST(OutboundClientRefusal, InvalidUrlsMethodsAndHeadersAreInvalidWithAReason) {
  HttpClient client;
  HttpResult r = client.request(make("GET", "ftp://x"));
  EXPECT_EQ(r.status, WARREN_ERR_INVALID);
  EXPECT_EQ(r.error, "invalid url 'ftp://x': only http and https are supported");
  EXPECT_EQ(r.attempts, 0u);

  r = client.request(make("", "http://127.0.0.1/"));
  EXPECT_EQ(r.status, WARREN_ERR_INVALID);
  EXPECT_EQ(r.error, "invalid method '': expected an HTTP method like GET or POST");

  r = client.request(make("GET", "http://127.0.0.1/", {{"X-A", "1\r\nX-B: 2"}}));
  EXPECT_EQ(r.status, WARREN_ERR_INVALID);
  EXPECT_EQ(r.error, "header 'X-A': the value contains CR, LF or NUL");
}

TEST(OutboundClientRefusal, ACancelledJobStopsTheCallBeforeItStarts) {
  HttpClient client;
  plugins::JobContext job({}, {});
  job.cancel("test");
  const HttpResult r = client.request(make("GET", "http://127.0.0.1:9/never"), &job);
  EXPECT_EQ(r.status, WARREN_ERR_CANCELLED);
  EXPECT_EQ(r.error, "GET http://127.0.0.1:9/never cancelled: the job was cancelled");
  EXPECT_EQ(r.attempts, 0u);
}

TEST(OutboundClientRefusal, AJobWhoseDeadlinePassedTimesOutBeforeItStarts) {
  HttpClient client;
  plugins::JobInput input;
  input.deadlineMs = 1000;  // 1970
  plugins::JobContext job(input, {});
  const HttpResult r = client.request(make("GET", "http://127.0.0.1:9/never"), &job);
  EXPECT_EQ(r.status, WARREN_ERR_TIMEOUT);
  EXPECT_EQ(r.error, "GET http://127.0.0.1:9/never timed out at the job's deadline");
}

TEST(OutboundClientRefusal, BadOptionsAreRefusedAtConstruction) {
  HttpOptions options;
  options.caFile = "/nonexistent/ca.pem";
  EXPECT_EQ(constructionError(options),
            "CA file '/nonexistent/ca.pem' does not exist or is not a file");
  options = {};
  options.connectTimeout = std::chrono::milliseconds(0);
  EXPECT_EQ(constructionError(options), "connectTimeout must be above 0 ms, not 0");
}

struct CallResult {
  warren_status status;
  std::string error;
};

CallResult callTable(const warren_http_request* request) {
  warren_buffer headers{}, body{}, error{};
  int32_t code = -1;
  static HttpClient client;  // loading the system's CA store takes a while: once is enough
  const warren_status status =
      httpApi(client)->request(nullptr, nullptr, request, &code, &headers, &body, &error);
  EXPECT_EQ(code, 0);
  EXPECT_EQ(headers.data, nullptr);
  EXPECT_EQ(body.data, nullptr);
  CallResult result{status, error.data != nullptr ? std::string(error.data, error.len) : ""};
  std::free(error.data);  // HOST-OWNED, malloc'd: free() is what buffer_free does
  return result;
}

TEST(OutboundServiceRefusal, TheCTableRefusesBadRequestsWithAReason) {
  EXPECT_EQ(callTable(nullptr).error, "request is NULL");
  warren_http_request request{};
  request.struct_size = sizeof request;
  request.url = "http://127.0.0.1/";
  const CallResult noMethod = callTable(&request);
  EXPECT_EQ(noMethod.status, WARREN_ERR_INVALID);
  EXPECT_EQ(noMethod.error, "method is NULL");

  request.method = "GET";
  request.header_count = 2;
  EXPECT_EQ(callTable(&request).error, "headers is NULL but header_count is not 0");
  const warren_pair headers[] = {{"X-A", "1"}, {nullptr, "2"}};
  request.headers = headers;
  EXPECT_EQ(callTable(&request).error, "header #1 has a NULL name or value");

  request.header_count = 0;
  request.body_len = 4;
  EXPECT_EQ(callTable(&request).error, "body is NULL but body_len is not 0");

  request.body_len = 0;
  request.url = "gopher://x/";
  const CallResult badUrl = callTable(&request);
  EXPECT_EQ(badUrl.status, WARREN_ERR_INVALID);
  EXPECT_EQ(badUrl.error, "invalid url 'gopher://x/': only http and https are supported");

  request.struct_size = 8;
  EXPECT_EQ(callTable(&request).error, "request struct_size 8 is too small");
}

}  // namespace
}  // namespace warren::outbound
