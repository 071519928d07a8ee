#include "Fixture.h"

#include "log/Log.h"

#include <regex>
#include <sstream>

namespace warren::test {

FakePlatforms* PublishTest::fakes_ = nullptr;

void PublishTest::watchSecrets() {
  log::setLevel(log::Level::debug);
  capture_ = std::make_unique<StderrCapture>();
  seen_.clear();
}

void PublishTest::checkSecrets() {
  const std::string text = capture_->finish() + seen_;
  capture_.reset();
  log::setLevel(log::Level::info);
  // Tokens the fakes issue, and the passwords and signing keys the tests use.
  static const std::regex secret(
      "(mastodon|bluesky|x|linkedin|threads)-(access|refresh)-[0-9a-f]{24}|app-pass-|hook-secret|"
      "events-secret|li-client-secret|kim-app-password|the-right-secret|another-secret");
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    EXPECT_FALSE(std::regex_search(line, secret)) << "a secret in: " << line;
  }
}

std::string PublishTest::mastodonAccount(const std::string& handle) {
  const Json issued =
      fakes_->account({{"platform", "mastodon"}, {"userId", "u-" + handle}, {"handle", handle}});
  return host_->addAccount({{"platform", "mastodon"},
                            {"handle", "@" + handle + "@mastodon.example"},
                            {"baseUrl", fakes_->base("mastodon")},
                            {"accessToken", issued["accessToken"]}});
}

std::string PublishTest::blueskyAccount(const std::string& handle) {
  fakes_->account({{"platform", "bluesky"},
                   {"handle", handle},
                   {"userId", "did:plc:" + handle.substr(0, handle.find('.'))},
                   {"password", "app-pass-" + handle}});
  return host_->addAccount({{"platform", "bluesky"},
                            {"handle", handle},
                            {"baseUrl", fakes_->base("bluesky")},
                            {"secret", "app-pass-" + handle}});
}

std::string PublishTest::webhookAccount(const std::string& path, const std::string& secret) {
  fakes_->admin("POST", "/webhook-secret", {{"path", path}, {"secret", secret}});
  return host_->addAccount({{"platform", "webhook"},
                            {"handle", "hooks" + path},
                            {"baseUrl", fakes_->base("webhook") + path},
                            {"secret", secret}});
}

}  // namespace warren::test
