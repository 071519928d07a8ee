#include "Fixture.h"

namespace warren::test {

FakePlatforms* PublishTest::fakes_ = nullptr;

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
