// A worker over rediss://: two batches on the wire, replies read through the TLS layer, with a
// pool plugin (echo) and an inline one (noop). Every job completes once and none stays active.
#include "Paths.h"
#include "RedisServer.h"
#include "TempDir.h"
#include "plugins/Instance.h"
#include "queue/Worker.h"
#include "redis/Connection.h"

#include <gtest/gtest.h>

#include <thread>

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
  std::vector<std::vector<std::string>> commands;
  for (int i = 1; i <= kJobs; ++i) {
    const std::string id = std::to_string(i);
    commands.push_back({"HSET", "bull:q:" + id, "name", "echo", "data", R"({"value":)" + id + "}",
                        "opts", "{}", "timestamp", std::to_string(nowMs()), "delay", "0",
                        "priority", "0"});
    commands.push_back({"LPUSH", "bull:q:wait", id});
  }
  admin.pipeline(commands);
  WorkerOptions options;
  options.queue = "q";
  options.name = "tls";
  options.concurrency = 10;
  redis::ConnectionOptions connection;
  connection.caFile = certs_->caCert.string();
  auto library = plugins::Library::load(test::builtPlugin(GetParam()));
  auto instance = std::make_shared<plugins::Instance>(library, plugins::ConfigValues{}, "q");
  Worker worker(options, redis::Url::parse(server.tlsUrl()), connection, instance);
  worker.start();
  const auto deadline = std::chrono::steady_clock::now() + 60s;
  while (admin.command({"ZCARD", "bull:q:completed"}).integer() < kJobs &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(20ms);
  }
  worker.close(5s);
  EXPECT_EQ(admin.command({"ZCARD", "bull:q:completed"}).integer(), kJobs);
  EXPECT_EQ(admin.command({"LLEN", "bull:q:active"}).integer(), 0);
  EXPECT_EQ(admin.command({"ZCARD", "bull:q:failed"}).integer(), 0);
  const std::string expected = GetParam() == "echo" ? "1234" : R"({"value":1234})";
  EXPECT_EQ(admin.command({"HGET", "bull:q:1234", "returnvalue"}).str(), expected);
  long long completedEvents = 0;
  for (const auto& entry : admin.command({"XRANGE", "bull:q:events", "-", "+"}).elements()) {
    const auto& fields = entry.elements()[1].elements();
    if (fields.size() >= 2 && fields[1].str() == "completed") ++completedEvents;
  }
  EXPECT_EQ(completedEvents, kJobs);
}

INSTANTIATE_TEST_SUITE_P(Plugins, TlsWorker, ::testing::Values("echo", "noop"),
                         [](const auto& param) { return param.param; });

}  // namespace
}  // namespace warren::queue
