// One fake-platforms server per suite, a fresh PublishHost (database, store) per test, and the
// accounts each platform's tests post as.
#pragma once

#include "FakePlatforms.h"
#include "PublishHost.h"
#include "StderrCapture.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

namespace warren::test {

class PublishTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { fakes_ = new FakePlatforms(); }
  static void TearDownTestSuite() {
    delete fakes_;
    fakes_ = nullptr;
  }
  void SetUp() override {
    watchSecrets();
    fakes_->reset();
    host_ = std::make_unique<PublishHost>(config());
  }
  void TearDown() override {
    host_.reset();
    checkSecrets();
  }
  // Every log line (at debug) and every job error of the test is checked for tokens, app
  // passwords and signing keys: none may appear anywhere.
  void watchSecrets();
  void checkSecrets();
  virtual plugins::ConfigValues config() { return {}; }

  // An account on the fake and the same account in Warren; returns Warren's account id.
  std::string mastodonAccount(const std::string& handle = "alice");
  std::string blueskyAccount(const std::string& handle = "alice.test");
  std::string webhookAccount(const std::string& path = "/posts",
                             const std::string& secret = "hook-secret");

  static Json post(const std::string& platform, const std::string& account,
                   const std::string& text) {
    return Json{{"post", {{"platform", platform}, {"accountId", account}, {"text", text}}}};
  }
  JobRun publish(const Json& data, const std::string& id = "job-1") {
    JobRun run = host_->run("post:publish", data, id);
    seen_ += run.outcome.error + "\n" + run.outcome.result + "\n";
    for (const auto& line : run.logs) seen_ += line + "\n";
    return run;
  }
  std::string accountStatus(const std::string& id) {
    return host_->sql("SELECT status FROM platform_accounts WHERE id = $1",
                      Json::array({id}))[0]["status"];
  }

  static FakePlatforms* fakes_;
  std::unique_ptr<PublishHost> host_;

 private:
  std::unique_ptr<StderrCapture> capture_;
  std::string seen_;
};

}  // namespace warren::test
