// Watches a directory for files renamed into it (inotify IN_MOVED_TO), the way complete files
// arrive in a deployment: written elsewhere, then renamed (also how Kubernetes swaps a mounted
// volume's ..data link). Files written in place are not acted on until renamed, so a half-written
// plugin is never picked up. Events are debounced: one callback after `debounce` of quiet.
#pragma once

#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <string>
#include <thread>

namespace warren::lifecycle {

class DirectoryWatch {
 public:
  using Callback = std::function<void(const std::string& lastName)>;

  // Starts watching; throws std::runtime_error when the directory cannot be watched.
  DirectoryWatch(std::filesystem::path dir, std::chrono::milliseconds debounce, Callback callback);
  ~DirectoryWatch();
  DirectoryWatch(const DirectoryWatch&) = delete;
  DirectoryWatch& operator=(const DirectoryWatch&) = delete;

 private:
  void loop();

  std::filesystem::path dir_;
  std::chrono::milliseconds debounce_;
  Callback callback_;
  int inotify_ = -1;
  int stopPipe_[2] = {-1, -1};
  std::thread thread_;
};

}  // namespace warren::lifecycle
