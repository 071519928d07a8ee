#include "TestServer.h"

#include "Command.h"
#include "TempDir.h"

#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/StreamCopier.h>

#include <algorithm>
#include <set>
#include <stdexcept>

namespace warren::test {
namespace {

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

class RequestHandler : public Poco::Net::HTTPRequestHandler {
 public:
  explicit RequestHandler(TestServer& server) : server_(server) {}

  void handleRequest(Poco::Net::HTTPServerRequest& request,
                     Poco::Net::HTTPServerResponse& response) override {
    Arrival arrival;
    Poco::StreamCopier::copyToString(request.stream(), arrival.body);
    arrival.at = std::chrono::steady_clock::now();
    arrival.method = request.getMethod();
    arrival.uri = request.getURI();
    arrival.client = request.clientAddress().toString();
    for (const auto& [name, value] : request) {
      auto [it, inserted] = arrival.headers.try_emplace(lower(name), value);
      if (!inserted) it->second += ", " + value;
    }
    const Reply reply = server_.handle(std::move(arrival));
    server_.pause(reply.delay);
    response.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(reply.status));
    for (const auto& [name, value] : reply.headers) response.add(name, value);
    if (reply.chunked) {
      response.setChunkedTransferEncoding(true);
    } else {
      response.setContentLength64(static_cast<Poco::Int64>(reply.body.size()));
    }
    std::ostream& out = response.send();
    if (request.getMethod() != "HEAD") out << reply.body;
  }

 private:
  TestServer& server_;
};

class Factory : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit Factory(TestServer& server) : server_(server) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(
      const Poco::Net::HTTPServerRequest&) override {
    return new RequestHandler(server_);
  }

 private:
  TestServer& server_;
};

void runOrThrow(const std::vector<std::string>& argv) {
  const CommandResult result = run(argv);
  if (result.exitCode != 0)
    throw std::runtime_error(argv[0] + " " + argv[1] + " failed: " + result.err + result.out);
}

}  // namespace

TestServer::TestServer(Handler handler, std::optional<ServerTls> tls,
                       std::chrono::milliseconds keepAliveTimeout)
    : handler_(std::move(handler)), tls_(tls.has_value()) {
  const Poco::Net::SocketAddress address("127.0.0.1", 0);
  std::unique_ptr<Poco::Net::ServerSocket> socket;
  if (tls) {
    Poco::Net::initializeSSL();
    Poco::Net::Context::Ptr context =
        new Poco::Net::Context(Poco::Net::Context::TLS_SERVER_USE, tls->key.string(),
                               tls->certificate.string(), "", Poco::Net::Context::VERIFY_NONE);
    socket = std::make_unique<Poco::Net::SecureServerSocket>(address, 64, context);
  } else {
    socket = std::make_unique<Poco::Net::ServerSocket>(address, 64);
  }
  port_ = socket->address().port();
  auto* params = new Poco::Net::HTTPServerParams;
  params->setKeepAlive(true);
  params->setKeepAliveTimeout(Poco::Timespan(keepAliveTimeout.count() * 1000));
  params->setMaxThreads(16);
  params->setMaxQueued(64);
  server_ = std::make_unique<Poco::Net::HTTPServer>(new Factory(*this), *socket, params);
  server_->start();
}

TestServer::~TestServer() {
  release();
  server_->stopAll(true);
}

std::string TestServer::url(const std::string& path, const std::string& host) const {
  return std::string(tls_ ? "https" : "http") + "://" + host + ":" + std::to_string(port_) + path;
}

std::vector<Arrival> TestServer::arrivals() const {
  std::lock_guard lock(mutex_);
  return arrivals_;
}

std::size_t TestServer::connections() const {
  std::lock_guard lock(mutex_);
  std::set<std::string> clients;
  for (const Arrival& arrival : arrivals_) clients.insert(arrival.client);
  return clients.size();
}

void TestServer::release() {
  {
    std::lock_guard lock(mutex_);
    releasing_ = true;
  }
  released_.notify_all();
}

Reply TestServer::handle(Arrival arrival) {
  std::size_t index = 0;
  {
    std::lock_guard lock(mutex_);
    index = arrivals_.size();
    arrivals_.push_back(arrival);
  }
  return handler_(arrival, index);
}

void TestServer::pause(std::chrono::milliseconds delay) {
  std::unique_lock lock(mutex_);
  released_.wait_for(lock, delay, [this] { return releasing_; });
}

ServerTls issueCertificate(const std::filesystem::path& caCert, const std::filesystem::path& caKey,
                           const std::filesystem::path& dir, const std::string& dnsName) {
  const ServerTls out{dir / (dnsName + ".crt"), dir / (dnsName + ".key")};
  const std::string request = (dir / (dnsName + ".csr")).string();
  const std::filesystem::path extensions = dir / (dnsName + ".ext");
  writeFile(extensions, "subjectAltName=DNS:" + dnsName +
                            "\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n");
  runOrThrow({"openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
              "-nodes", "-keyout", out.key.string(), "-out", request, "-subj", "/CN=" + dnsName});
  runOrThrow({"openssl", "x509", "-req", "-in", request, "-CA", caCert.string(), "-CAkey",
              caKey.string(), "-CAcreateserial", "-out", out.certificate.string(), "-days", "2",
              "-extfile", extensions.string()});
  return out;
}

std::uint16_t closedPort() {
  Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0));
  const std::uint16_t port = socket.address().port();
  socket.close();
  return port;
}

}  // namespace warren::test
