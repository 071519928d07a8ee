// A kept-alive connection the server drops just as the next request arrives (the race the idle
// check cannot see): an idempotent request goes again on a new connection, a POST does not.
#include "Helpers.h"

#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <vector>

namespace warren::outbound {
namespace {

// Answers the first request of every connection (keep-alive), then closes the connection when
// a second request arrives on it, without answering.
class OneRequestPerConnectionServer {
 public:
  OneRequestPerConnectionServer()
      : socket_(Poco::Net::SocketAddress("127.0.0.1", 0)), thread_([this] { serve(); }) {}
  ~OneRequestPerConnectionServer() {
    stopping_ = true;
    thread_.join();
  }
  std::string url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(socket_.address().port()) + path;
  }
  int answered() const { return answered_.load(); }
  int dropped() const { return dropped_.load(); }

 private:
  void serve() {
    std::vector<Poco::Net::StreamSocket> open;  // kept open until the second request
    std::vector<int> served;
    while (!stopping_) {
      if (socket_.poll(Poco::Timespan(20000), Poco::Net::Socket::SELECT_READ)) {
        open.push_back(socket_.acceptConnection());
        served.push_back(0);
      }
      for (std::size_t i = 0; i < open.size(); ++i) {
        if (served[i] < 0 || !open[i].poll(Poco::Timespan(0), Poco::Net::Socket::SELECT_READ))
          continue;
        if (!readRequest(open[i])) {
          served[i] = -1;
          open[i].close();
        } else if (served[i]++ == 0) {
          ++answered_;  // counted before the client can see it
          const std::string reply = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
          open[i].sendBytes(reply.data(), static_cast<int>(reply.size()));
        } else {
          ++dropped_;
          open[i].close();
          served[i] = -1;
        }
      }
    }
  }

  // Reads one request (headers and a Content-Length body); false at end of stream.
  static bool readRequest(Poco::Net::StreamSocket& socket) {
    std::string data;
    char buffer[4096];
    std::size_t headerEnd = std::string::npos;
    std::size_t need = 0;
    for (;;) {
      if (headerEnd == std::string::npos) {
        headerEnd = data.find("\r\n\r\n");
        if (headerEnd != std::string::npos) {
          const auto at = data.find("Content-Length: ");
          const std::size_t length =
              at == std::string::npos || at > headerEnd ? 0 : std::stoul(data.substr(at + 16));
          need = headerEnd + 4 + length;
        }
      }
      if (headerEnd != std::string::npos && data.size() >= need) return true;
      const int got = socket.receiveBytes(buffer, sizeof buffer);
      if (got <= 0) return false;
      data.append(buffer, static_cast<std::size_t>(got));
    }
  }

  Poco::Net::ServerSocket socket_;
  std::atomic<bool> stopping_{false};
  std::atomic<int> answered_{0};
  std::atomic<int> dropped_{0};
  std::thread thread_;
};

TEST(OutboundStaleConnection, AnIdempotentRequestGoesAgainOnANewConnection) {
  OneRequestPerConnectionServer server;
  HttpOptions options;
  options.maxAttempts = 1;  // the new-connection retry is not an attempt of the retry policy
  HttpClient client(options);
  ASSERT_EQ(client.request(makeRequest("GET", server.url("/a"))).status, WARREN_OK);
  const HttpResult again = client.request(makeRequest("PUT", server.url("/a"), {}, "v"));
  ASSERT_EQ(again.status, WARREN_OK) << again.error;
  EXPECT_EQ(again.body, "ok");
  EXPECT_EQ(again.attempts, 2u);
  EXPECT_EQ(server.answered(), 2);
  EXPECT_EQ(server.dropped(), 1);
}

TEST(OutboundStaleConnection, APostThatWasSentIsNotSentAgain) {
  OneRequestPerConnectionServer server;
  HttpClient client;
  ASSERT_EQ(client.request(makeRequest("POST", server.url("/pay"), {}, "1")).status, WARREN_OK);
  const HttpResult again = client.request(makeRequest("POST", server.url("/pay"), {}, "2"));
  EXPECT_EQ(again.status, WARREN_ERR_UNAVAILABLE);
  EXPECT_EQ(again.error.rfind("POST " + server.url("/pay") + " failed before a response: ", 0), 0u)
      << again.error;
  EXPECT_EQ(again.attempts, 1u);
  EXPECT_EQ(server.answered(), 1);
  EXPECT_EQ(server.dropped(), 1);
}

}  // namespace
}  // namespace warren::outbound
