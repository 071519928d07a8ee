#include "FakePlatforms.h"

#include "Paths.h"
#include "app/DemoPlatforms.h"

#include <chrono>
#include <csignal>
#include <fstream>
#include <stdexcept>
#include <thread>

namespace warren::test {

FakePlatforms::FakePlatforms() {
  const auto portFile = dir_ / "port";
  process_ = std::make_unique<BackgroundProcess>(
      std::vector<std::string>{
          (std::filesystem::path(WARREN_TEST_BIN_DIR) / "warren-fake-platforms").string(),
          "--port-file", portFile.string()},
      cleanEnvironment());
  for (int i = 0; i < 200 && port_ == 0; ++i) {
    std::ifstream in(portFile);
    if (!(in >> port_)) {
      port_ = 0;
      std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
  }
  if (port_ == 0)
    throw std::runtime_error("warren-fake-platforms did not start: " + process_->err());
}

FakePlatforms::~FakePlatforms() {
  process_->stop(SIGTERM, std::chrono::seconds(5));
}

std::string FakePlatforms::base(const std::string& platform) const {
  return "http://127.0.0.1:" + std::to_string(port_) + "/" + platform;
}

Json FakePlatforms::admin(const std::string& method, const std::string& path,
                          const Json& body) const {
  return app::fakePlatformsAdmin(port_, method, path, body);
}

void FakePlatforms::scenario(const std::string& platform, Json controls) const {
  controls["platform"] = platform;
  admin("POST", "/scenario", controls);
}

Json FakePlatforms::posts(const std::string& platform) const {
  return admin("GET", "/posts?platform=" + platform)["posts"];
}

std::int64_t FakePlatforms::counter(const std::string& name) const {
  return admin("GET", "/counters").value(name, std::int64_t{0});
}

std::string FakePlatforms::log() const {
  return process_->err();
}

}  // namespace warren::test
