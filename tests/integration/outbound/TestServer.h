// A real HTTP(S) server for the outbound client's tests: Poco's HTTPServer on 127.0.0.1 with a
// kernel-chosen port, answering through a test-supplied function and recording every request
// (with the client's address, so tests can count connections) and its arrival time.
#pragma once

#include <Poco/Net/HTTPServer.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace warren::test {

struct Arrival {
  std::chrono::steady_clock::time_point at;
  std::string method;
  std::string uri;
  std::map<std::string, std::string> headers;  // lower-case names; repeats joined with ", "
  std::string body;
  std::string client;  // address:port of the connection it came on
};

struct Reply {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  bool chunked = false;
  std::chrono::milliseconds delay{0};  // before answering; release() cuts it short
};

// Answers request number `index` (0-based, in arrival order).
using Handler = std::function<Reply(const Arrival& arrival, std::size_t index)>;

struct ServerTls {
  std::filesystem::path certificate;
  std::filesystem::path key;
};

class TestServer {
 public:
  explicit TestServer(Handler handler, std::optional<ServerTls> tls = std::nullopt,
                      std::chrono::milliseconds keepAliveTimeout = std::chrono::seconds(10));
  ~TestServer();
  TestServer(const TestServer&) = delete;
  TestServer& operator=(const TestServer&) = delete;

  std::uint16_t port() const { return port_; }
  // "http(s)://HOST:PORT" + path.
  std::string url(const std::string& path, const std::string& host = "127.0.0.1") const;
  std::vector<Arrival> arrivals() const;
  std::size_t connections() const;  // distinct client endpoints seen
  void release();                   // ends every pending delay now

  // For the request handler.
  Reply handle(Arrival arrival);
  void pause(std::chrono::milliseconds delay);

 private:
  Handler handler_;
  bool tls_;
  mutable std::mutex mutex_;
  std::condition_variable released_;
  bool releasing_ = false;
  std::vector<Arrival> arrivals_;
  std::unique_ptr<Poco::Net::HTTPServer> server_;
  std::uint16_t port_ = 0;
};

// A certificate for `dnsName` (its only name) signed by the CA of `caCert`/`caKey`, written
// into `dir` as NAME.crt and NAME.key with the openssl command. Returns {certificate, key}.
ServerTls issueCertificate(const std::filesystem::path& caCert, const std::filesystem::path& caKey,
                           const std::filesystem::path& dir, const std::string& dnsName);

// A port on 127.0.0.1 with nothing listening (bound by the kernel's choice, then closed).
std::uint16_t closedPort();

}  // namespace warren::test
