// HTTPS against a local server whose certificates are made at test time: a configured CA is
// trusted, nothing else is, and the certificate must name the host the URL names.
#include "Helpers.h"
#include "RedisServer.h"
#include "TempDir.h"
#include "TestServer.h"

#include <gtest/gtest.h>

#include <memory>

namespace warren::outbound {
namespace {

using test::Arrival;
using test::Reply;
using test::TestServer;

Reply hello(const Arrival&, std::size_t) {
  Reply reply;
  reply.body = "over tls";
  return reply;
}

class OutboundTls : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new test::TempDir("warren-outbound-tls");
    // A CA and a certificate for DNS:localhost and IP:127.0.0.1 (openssl, EC P-256).
    certs_ = new test::TestCertificates(test::TestCertificates::generate(dir_->path()));
  }
  static void TearDownTestSuite() {
    delete certs_;
    delete dir_;
  }
  static test::ServerTls goodCertificate() { return {certs_->serverCert, certs_->serverKey}; }
  static HttpOptions trusting() {
    HttpOptions options;
    options.caFile = certs_->caCert.string();
    return options;
  }

  static test::TempDir* dir_;
  static test::TestCertificates* certs_;
};

test::TempDir* OutboundTls::dir_ = nullptr;
test::TestCertificates* OutboundTls::certs_ = nullptr;

TEST_F(OutboundTls, TheConfiguredCaIsTrustedForHostNamesAndIpAddresses) {
  TestServer server(hello, goodCertificate());
  HttpClient client(trusting());
  for (const std::string host : {"localhost", "127.0.0.1"}) {
    const HttpResult r = client.request(makeRequest("GET", server.url("/", host)));
    ASSERT_EQ(r.status, WARREN_OK) << host << ": " << r.error;
    EXPECT_EQ(r.code, 200);
    EXPECT_EQ(r.body, "over tls");
  }
}

TEST_F(OutboundTls, KeepAliveWorksOverTls) {
  TestServer server(hello, goodCertificate());
  HttpClient client(trusting());
  for (int i = 0; i < 5; ++i)
    ASSERT_EQ(client.request(makeRequest("GET", server.url("/", "localhost"))).status, WARREN_OK);
  EXPECT_EQ(server.connections(), 1u);
}

TEST_F(OutboundTls, WithoutItsCaTheServerIsNotTrusted) {
  TestServer server(hello, goodCertificate());
  HttpClient client;  // the system's store, which does not know the test CA
  const HttpResult r = client.request(makeRequest("GET", server.url("/", "localhost")));
  EXPECT_EQ(r.status, WARREN_ERR_UNAVAILABLE);
  const std::string prefix = "TLS handshake with localhost:" + std::to_string(server.port()) +
                             " failed: the server certificate is not trusted (is its CA in "
                             "caFile?): ";
  EXPECT_EQ(r.error.substr(0, prefix.size()), prefix) << r.error;
  EXPECT_EQ(r.attempts, 1u);  // a certificate refusal is not retried
  EXPECT_TRUE(server.arrivals().empty());
}

TEST_F(OutboundTls, ACertificateForAnotherNameIsRefused) {
  const test::ServerTls other =
      test::issueCertificate(certs_->caCert, certs_->caKey, dir_->path(), "elsewhere.test");
  TestServer server(hello, other);
  HttpClient client(trusting());
  for (const std::string host : {"localhost", "127.0.0.1"}) {
    const HttpResult r = client.request(makeRequest("GET", server.url("/", host)));
    EXPECT_EQ(r.status, WARREN_ERR_UNAVAILABLE);
    EXPECT_EQ(r.error, "TLS handshake with " + host + ":" + std::to_string(server.port()) +
                           " failed: the server certificate is not valid for host '" + host + "'");
    EXPECT_EQ(r.attempts, 1u);
  }
  EXPECT_TRUE(server.arrivals().empty());  // nothing was sent to the wrong server
}

}  // namespace
}  // namespace warren::outbound
