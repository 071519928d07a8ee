// One fake-platforms server per suite, a fresh PublishHost (database, store) per test, and the
// accounts each platform's tests post as.
#pragma once

#include "FakePlatforms.h"
#include "PublishHost.h"

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
    fakes_->reset();
    host_ = std::make_unique<PublishHost>(config());
  }
  void TearDown() override { host_.reset(); }
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
    return host_->run("post:publish", data, id);
  }
  std::string accountStatus(const std::string& id) {
    return host_->sql("SELECT status FROM platform_accounts WHERE id = $1",
                      Json::array({id}))[0]["status"];
  }

  static FakePlatforms* fakes_;
  std::unique_ptr<PublishHost> host_;
};

}  // namespace warren::test
