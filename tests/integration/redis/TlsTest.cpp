// rediss:// through Poco NetSSL: certificate chain and host name are checked.
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "Helpers.h"

namespace warren::redis::testing {
namespace {

using warren::test::RedisServer;
using warren::test::RedisServerOptions;
using warren::test::TempDir;
using warren::test::TestCertificates;

class RedisTls : public ::testing::Test {
 protected:
  // Certificates are made once: openssl runs take a moment.
  static void SetUpTestSuite() {
    dir_ = new TempDir("warren-redis-certs");
    certs_ = std::make_shared<TestCertificates>(TestCertificates::generate(dir_->path() / "good"));
    otherCa_ =
        std::make_shared<TestCertificates>(TestCertificates::generate(dir_->path() / "other"));
  }
  static void TearDownTestSuite() {
    certs_.reset();
    otherCa_.reset();
    delete dir_;
    dir_ = nullptr;
  }

  static RedisServerOptions tlsServer(std::vector<std::string> extra = {}) {
    RedisServerOptions options;
    options.tls = certs_;
    options.extraArgs = std::move(extra);
    return options;
  }

  static ConnectionOptions trusting(const TestCertificates& certs) {
    ConnectionOptions options = quickOptions();
    options.caFile = certs.caCert.string();
    return options;
  }

  static TempDir* dir_;
  static std::shared_ptr<TestCertificates> certs_;
  static std::shared_ptr<TestCertificates> otherCa_;
};

TempDir* RedisTls::dir_ = nullptr;
std::shared_ptr<TestCertificates> RedisTls::certs_;
std::shared_ptr<TestCertificates> RedisTls::otherCa_;

TEST_F(RedisTls, PingSetGetWithOurCa) {
  RedisServer server(tlsServer());
  Connection connection(Url::parse(server.tlsUrl("localhost")), trusting(*certs_));
  EXPECT_EQ(connection.command({"PING"}), Reply::status("PONG"));
  EXPECT_EQ(connection.command({"SET", "k", "over-tls"}), Reply::status("OK"));
  EXPECT_EQ(connection.command({"GET", "k"}), Reply::string("over-tls"));
  // Really TLS: the plain port of the same server sees the value, the TLS port is another port.
  Connection plain(Url::parse(server.url()), quickOptions());
  EXPECT_EQ(plain.command({"GET", "k"}), Reply::string("over-tls"));
  EXPECT_NE(server.tlsPort(), server.port());
}

TEST_F(RedisTls, IpAddressMatchesIpSubjectAltName) {
  RedisServer server(tlsServer());
  Connection connection(Url::parse(server.tlsUrl("127.0.0.1")), trusting(*certs_));
  EXPECT_EQ(connection.command({"PING"}), Reply::status("PONG"));
}

TEST_F(RedisTls, WrongCaFailsWithCertificateError) {
  RedisServer server(tlsServer());
  const auto message = thrownMessage<ConnectionError>(
      [&] { Connection connection(Url::parse(server.tlsUrl("localhost")), trusting(*otherCa_)); });
  EXPECT_TRUE(contains(message, "certificate is not trusted")) << message;
  EXPECT_TRUE(contains(message, server.tlsUrl("localhost"))) << message;
}

TEST_F(RedisTls, HostNameNotInCertificateFails) {
  // Listen on 127.0.0.2 too; the certificate only names localhost and 127.0.0.1.
  RedisServer server(tlsServer({"--bind", "127.0.0.1", "127.0.0.2"}));
  const auto message = thrownMessage<ConnectionError>(
      [&] { Connection connection(Url::parse(server.tlsUrl("127.0.0.2")), trusting(*certs_)); });
  EXPECT_TRUE(contains(message, "TLS handshake with rediss://127.0.0.2")) << message;
  EXPECT_TRUE(contains(message, "not valid for host '127.0.0.2'")) << message;
}

TEST_F(RedisTls, VerifyOffAcceptsUnknownCa) {
  RedisServer server(tlsServer({"--bind", "127.0.0.1", "127.0.0.2"}));
  ConnectionOptions options = trusting(*otherCa_);
  options.verify = false;
  Connection connection(Url::parse(server.tlsUrl("127.0.0.2")), options);
  EXPECT_EQ(connection.command({"PING"}), Reply::status("PONG"));
}

TEST_F(RedisTls, PlainClientOnTlsPortFails) {
  RedisServer server(tlsServer());
  ConnectionOptions options = quickOptions();
  options.connectTimeout = 1s;
  options.commandTimeout = 1s;
  EXPECT_THROW(
      {
        Connection connection(Url::parse("redis://127.0.0.1:" + std::to_string(server.tlsPort())),
                              options);
        connection.command({"PING"});
      },
      ConnectionError);
}

TEST_F(RedisTls, AuthSelectNamePipelineAndLargeValue) {
  RedisServer server(tlsServer({"--requirepass", "tls-pw"}));
  ConnectionOptions options = trusting(*certs_);
  options.clientName = "warren:tls";
  Connection connection(
      Url::parse("rediss://:tls-pw@localhost:" + std::to_string(server.tlsPort()) + "/4"), options);
  EXPECT_EQ(connection.command({"CLIENT", "GETNAME"}), Reply::string("warren:tls"));
  EXPECT_TRUE(contains(connection.command({"CLIENT", "INFO"}).asString(), " db=4 "));

  std::vector<std::vector<std::string>> commands;
  for (int i = 0; i < 1000; ++i) commands.push_back({"RPUSH", "list", std::to_string(i)});
  const auto replies = connection.pipeline(commands);
  ASSERT_EQ(replies.size(), 1000u);
  EXPECT_EQ(replies.back(), Reply::integer(1000));
  EXPECT_EQ(connection.command({"LRANGE", "list", "0", "-1"}).elements().size(), 1000u);

  std::string big(1 << 20, 'b');
  for (std::size_t i = 0; i < big.size(); i += 997) big[i] = static_cast<char>(i);
  ASSERT_EQ(connection.command({"SET", "big", big}), Reply::status("OK"));
  EXPECT_TRUE(connection.command({"GET", "big"}).str() == big);
}

// TLS 1.3 session tickets make the socket readable right after the handshake. That must not be
// taken for a closed connection (which would reconnect before every command).
TEST_F(RedisTls, NoSpuriousReconnects) {
  RedisServer server(tlsServer());
  ConnectionOptions options = trusting(*certs_);
  options.autoReconnect = true;
  Connection connection(Url::parse(server.tlsUrl()), options);
  std::this_thread::sleep_for(100ms);  // let the tickets arrive
  for (int i = 0; i < 20; ++i) ASSERT_EQ(connection.command({"INCR", "n"}), Reply::integer(i + 1));
  EXPECT_EQ(connection.reconnects(), 0u);
}

TEST_F(RedisTls, ReconnectAfterRestart) {
  RedisServer server(tlsServer());
  ConnectionOptions options = trusting(*certs_);
  options.autoReconnect = true;
  options.clientName = "warren:tls-reconnect";
  Connection connection(Url::parse(server.tlsUrl()), options);
  ASSERT_EQ(connection.command({"PING"}), Reply::status("PONG"));
  server.stop();
  server.start();
  EXPECT_EQ(connection.command({"PING"}), Reply::status("PONG"));
  EXPECT_EQ(connection.reconnects(), 1u);
  EXPECT_EQ(connection.command({"CLIENT", "GETNAME"}), Reply::string("warren:tls-reconnect"));
}

TEST_F(RedisTls, InterruptUnblocksBzpopmin) {
  RedisServer server(tlsServer());
  Connection connection(Url::parse(server.tlsUrl()), trusting(*certs_));
  Connection admin(Url::parse(server.url()), quickOptions());
  std::optional<std::string> error;
  std::thread waiter([&] {
    try {
      connection.command({"BZPOPMIN", "queue", "0"}, 60s);
    } catch (const ConnectionError& e) {
      error = e.what();
    }
  });
  ASSERT_TRUE(eventually([&] { return blockedClients(admin) == 1; }));
  const auto start = Clock::now();
  connection.interrupt();
  waiter.join();
  EXPECT_LT(msSince(start), 1000);
  ASSERT_TRUE(error.has_value());
  EXPECT_TRUE(contains(*error, "interrupted")) << *error;
}

}  // namespace
}  // namespace warren::redis::testing
