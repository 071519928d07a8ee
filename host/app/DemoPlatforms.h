// warren-fake-platforms run by `warren demo` on loopback: the fake Mastodon, Bluesky and
// LinkedIn APIs and the webhook sink the pipeline demo publishes to (tests/fakes/README.md). It
// is found next to the warren executable (build tree) or in ../lib/warren (installed), started
// with its output in a log file, stopped with SIGTERM, and dies with the demo (PDEATHSIG).
#pragma once

#include <nlohmann/json.hpp>

#include <sys/types.h>
#include <filesystem>
#include <string>

namespace warren::app {

class DemoPlatforms {
 public:
  // Where the executable is, or empty when it is in neither place.
  static std::filesystem::path find();

  // Starts it; its port comes back in `dir`/fake-platforms.port. Throws std::runtime_error.
  DemoPlatforms(const std::filesystem::path& executable, const std::filesystem::path& dir);
  ~DemoPlatforms();
  DemoPlatforms(const DemoPlatforms&) = delete;
  DemoPlatforms& operator=(const DemoPlatforms&) = delete;

  // http://127.0.0.1:PORT/<platform>, an account's base URL.
  std::string base(const std::string& platform) const;
  // A call to its admin API (/_admin/...). Throws std::runtime_error on a status >= 300.
  nlohmann::json admin(const std::string& method, const std::string& path,
                       const nlohmann::json& body = nullptr) const;
  // Stops it (SIGTERM, then SIGKILL after 5 s) and waits for it.
  void stop();

 private:
  pid_t pid_ = -1;
  int port_ = 0;
  std::filesystem::path log_;
};

// A call to the admin API (/_admin/...) of the fake platforms listening on loopback `port`, for
// the demo and the publish tests. Throws std::runtime_error on a status >= 300.
nlohmann::json fakePlatformsAdmin(int port, const std::string& method, const std::string& path,
                                  const nlohmann::json& body = nullptr);

}  // namespace warren::app
