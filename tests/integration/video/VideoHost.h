// The video plugin loaded in-process by the host's own loader, with a local-directory object
// store in a temp dir installed as the storage service (as `warren run` does).
#pragma once

#include "TempDir.h"

#include "plugins/Instance.h"
#include "plugins/JobContext.h"
#include "storage/LocalStore.h"

#include <Poco/JSON/Object.h>

#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace warren::test {

struct VideoJob {
  plugins::JobOutcome outcome;
  std::vector<std::string> progress;  // as reported, JSON text
  std::vector<std::string> logs;
  // The completed job's return value (throws when the job did not complete).
  Poco::JSON::Object::Ptr result() const;
  std::string describe() const;  // outcome, error and result, for assertion messages
};

class VideoHost {
 public:
  // Defaults: allow_file_urls=true, threads=2, temp_dir=<temp>/work; `config` overrides.
  explicit VideoHost(const plugins::ConfigValues& config = {});

  // Copies `file` into the store under `key`.
  void put(const std::filesystem::path& file, const std::string& key);
  // Every key in the store, sorted.
  std::vector<std::string> keys();
  std::filesystem::path objectPath(const std::string& key) const { return storeRoot_ / key; }
  // What the plugin left in its temp_dir (work directories of finished jobs must be gone).
  std::vector<std::filesystem::path> workLeftovers() const;

  VideoJob run(const std::string& name, const std::string& data, const std::string& id = "job-1");
  // Runs with a caller-owned context (to cancel it from another thread).
  plugins::JobOutcome run(plugins::JobContext& context);

  storage::LocalStore& store() { return *store_; }

 private:
  TempDir dir_{"warren-video"};
  std::filesystem::path storeRoot_;
  std::filesystem::path workDir_;
  std::unique_ptr<storage::LocalStore> store_;
  std::unique_ptr<plugins::Instance> instance_;
};

// A job input for the video-process queue.
plugins::JobInput videoInput(const std::string& name, const std::string& data,
                             const std::string& id = "job-1");
// Sinks that record progress and log lines into `record` (under `mutex`).
plugins::JobSinks recordingSinks(VideoJob& record, std::mutex& mutex);

// A file URL for a local path: "file:///abs/path".
std::string fileUrl(const std::filesystem::path& path);

}  // namespace warren::test
