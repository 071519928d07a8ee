// The SDK's table (warren_http_api) over a real server: what a C plugin sees, and who frees it.
#include "Helpers.h"
#include "TestServer.h"
#include "outbound/HttpService.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>

namespace warren::outbound {
namespace {

using test::Arrival;
using test::Reply;
using test::TestServer;

struct Buffers {
  int32_t code = -1;
  warren_buffer headers{};
  warren_buffer body{};
  warren_buffer error{};
  // HOST-OWNED and malloc'd: the table's buffer_free is free(), so free() must do.
  void freeAll() {
    std::free(headers.data);
    std::free(body.data);
    std::free(error.data);
  }
};

TEST(OutboundService, ACPluginPostsBinaryDataWithoutAJobAndOwnsTheReplyBuffers) {
  TestServer server([](const Arrival& in, std::size_t) {
    Reply reply;
    reply.status = 202;
    reply.headers = {{"X-Seen-Token", in.headers.at("authorization")}};
    reply.body = in.body + std::string("\0tail", 5);
    return reply;
  });
  HttpClient client;
  const warren_http_api* api = httpApi(client);
  ASSERT_EQ(api->struct_size, sizeof(warren_http_api));

  const std::string url = server.url("/upload");
  const warren_pair headers[] = {{"Authorization", "Bearer t0k"},
                                 {"Content-Type", "application/octet-stream"}};
  const char payload[] = {'b', 'i', '\0', 'n'};
  warren_http_request request{};
  request.struct_size = sizeof request;
  request.method = "POST";
  request.url = url.c_str();
  request.headers = headers;
  request.header_count = 2;
  request.body = payload;
  request.body_len = sizeof payload;

  Buffers out;
  const warren_status status =
      api->request(nullptr, nullptr, &request, &out.code, &out.headers, &out.body, &out.error);
  ASSERT_EQ(status, WARREN_OK) << (out.error.data ? out.error.data : "");
  EXPECT_EQ(out.code, 202);
  ASSERT_EQ(out.body.len, 9u);
  EXPECT_EQ(std::string(out.body.data, out.body.len), std::string("bi\0n\0tail", 9));
  EXPECT_EQ(out.body.data[out.body.len], '\0');  // NUL-terminated for convenience
  EXPECT_EQ(out.error.data, nullptr);
  ASSERT_NE(out.headers.data, nullptr);
  EXPECT_EQ(std::strlen(out.headers.data), out.headers.len);
  EXPECT_EQ(parseObject(std::string(out.headers.data, out.headers.len))
                ->getValue<std::string>("x-seen-token"),
            "Bearer t0k");
  out.freeAll();

  const auto arrivals = server.arrivals();
  ASSERT_EQ(arrivals.size(), 1u);
  EXPECT_EQ(arrivals[0].body, std::string(payload, sizeof payload));
}

TEST(OutboundService, ErrorsComeBackAsStatusAndText) {
  HttpClient client;
  const warren_http_api* api = httpApi(client);
  const std::string port = std::to_string(test::closedPort());
  const std::string url = "http://127.0.0.1:" + port + "/";
  warren_http_request request{};
  request.struct_size = sizeof request;
  request.method = "POST";
  request.url = url.c_str();
  Buffers out;
  const warren_status status =
      api->request(nullptr, nullptr, &request, &out.code, &out.headers, &out.body, &out.error);
  EXPECT_EQ(status, WARREN_ERR_UNAVAILABLE);
  EXPECT_EQ(out.code, 0);
  EXPECT_EQ(out.headers.data, nullptr);
  EXPECT_EQ(out.body.data, nullptr);
  ASSERT_NE(out.error.data, nullptr);
  EXPECT_EQ(std::string(out.error.data, out.error.len),
            "connection to 127.0.0.1:" + port + " failed: Connection refused");
  out.freeAll();
}

TEST(OutboundService, TheJobHandleBringsItsCancellation) {
  TestServer server([](const Arrival&, std::size_t) {
    Reply reply;
    reply.delay = 20s;
    return reply;
  });
  HttpClient client;
  const warren_http_api* api = httpApi(client);
  plugins::JobContext context({}, {});
  const warren_job job{&context};
  const std::string url = server.url("/slow");
  warren_http_request request{};
  request.struct_size = sizeof request;
  request.method = "GET";
  request.url = url.c_str();
  Buffers out;
  warren_status status;
  {
    CancelLater cancel(context, 200ms);
    status = api->request(nullptr, &job, &request, &out.code, &out.headers, &out.body, &out.error);
  }
  EXPECT_EQ(status, WARREN_ERR_CANCELLED);
  ASSERT_NE(out.error.data, nullptr);
  EXPECT_EQ(std::string(out.error.data), "GET " + url + " cancelled: the job was cancelled");
  out.freeAll();
}

}  // namespace
}  // namespace warren::outbound
