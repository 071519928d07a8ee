// A worker over rediss://: two batches on the wire, replies read through the TLS layer, with a
// pool plugin (echo) and an inline one (noop). Every job completes once and none stays active.
#include "QueueSupport.h"
#include "RedisServer.h"
#include "TempDir.h"

#include <gtest/gtest.h>

namespace warren::queue {
namespace {

using namespace std::chrono_literals;

class TlsWorker : public ::testing::TestWithParam<std::string> {
 protected:
  static void SetUpTestSuite() {
    dir_ = new test::TempDir("warren-tls-worker");
    certs_ = std::make_shared<test::TestCertificates>(
        test::TestCertificates::generate(dir_->path() / "certs"));
  }
  static void TearDownTestSuite() {
    certs_.reset();
    delete dir_;
    dir_ = nullptr;
  }

  static test::TempDir* dir_;
  static std::shared_ptr<test::TestCertificates> certs_;
};

test::TempDir* TlsWorker::dir_ = nullptr;
std::shared_ptr<test::TestCertificates> TlsWorker::certs_;

TEST_P(TlsWorker, CompletesEveryJobOnce) {
  test::RedisServerOptions serverOptions;
  serverOptions.tls = certs_;
  test::RedisServer server(serverOptions);
  redis::Connection admin(redis::Url::parse(server.url()));
  constexpr int kJobs = 3000;
  test::addJobs(admin, kJobs, "echo",
                [](const std::string& id) { return R"({"value":)" + id + "}"; });
  WorkerOptions options;
  options.queue = "q";
  options.name = "tls";
  options.concurrency = 10;
  redis::ConnectionOptions connection;
  connection.caFile = certs_->caCert.string();
  Worker worker(options, redis::Url::parse(server.tlsUrl()), connection,
                test::instanceOf(GetParam()));
  worker.start();
  test::waitCompleted(admin, kJobs, 60s);
  worker.close(5s);
  EXPECT_EQ(admin.command({"ZCARD", "bull:q:completed"}).integer(), kJobs);
  EXPECT_EQ(admin.command({"LLEN", "bull:q:active"}).integer(), 0);
  EXPECT_EQ(admin.command({"ZCARD", "bull:q:failed"}).integer(), 0);
  const std::string expected = GetParam() == "echo" ? "1234" : R"({"value":1234})";
  EXPECT_EQ(admin.command({"HGET", "bull:q:1234", "returnvalue"}).str(), expected);
  EXPECT_EQ(test::completedEvents(admin), kJobs);
}

INSTANTIATE_TEST_SUITE_P(Plugins, TlsWorker, ::testing::Values("echo", "noop"),
                         [](const auto& param) { return param.param; });

}  // namespace
}  // namespace warren::queue
