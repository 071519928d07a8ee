// The publish plugin loaded in-process by the host's own loader, with the services `warren
// run` gives it: a SQLite database (or PostgreSQL) in a temp dir, a local object store and the
// outbound HTTP client. Jobs run on the calling thread with the queue, id and attempt a test
// chooses, so a test can run "the same BullMQ job again" as a retry or a re-delivery does.
#pragma once

#include "TempDir.h"

#include "db/Database.h"
#include "outbound/HttpClient.h"
#include "plugins/Instance.h"
#include "plugins/JobContext.h"
#include "storage/LocalStore.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace warren::test {

using Json = nlohmann::json;

struct JobRun {
  plugins::JobOutcome outcome;
  std::vector<std::string> logs;
  bool completed() const { return outcome.outcome == WARREN_JOB_COMPLETED; }
  Json result() const;           // throws when the job did not complete
  std::string describe() const;  // for assertion messages
};

class PublishHost {
 public:
  static constexpr const char* kKey =
      "8f2b5c0e4a7d9163b5e2c8f0a1d4e7b39c6f2a5d8e1b4c7f0a3d6e9b2c5f8a1d";

  // `config` overrides the plugin's config (the encryption key is kKey unless given).
  explicit PublishHost(const plugins::ConfigValues& config = {},
                       const std::string& databaseUrl = "");
  ~PublishHost();

  JobRun run(const std::string& name, const Json& data, const std::string& id = "job-1",
             const std::string& queue = "post-publish", std::uint32_t attempt = 1);
  // Runs a job and cancels it `after` it started, as a stopping worker does ("shutdown").
  JobRun runStopped(const std::string& name, const Json& data, const std::string& id,
                    std::chrono::milliseconds after, const std::string& queue = "post-publish");
  // accounts:add (in-process, no queue); returns the account id.
  std::string addAccount(const Json& fields);

  // A file into the object store under `key`.
  void putMedia(const std::filesystem::path& file, const std::string& key, const std::string& type);
  // Rows of a statement ($1.. parameters).
  Json sql(const std::string& statement, const Json& params = Json::array());

  // Another plugin instance on the same services (a second worker of the same deployment).
  std::unique_ptr<plugins::Instance> newInstance(const plugins::ConfigValues& config = {});
  const std::filesystem::path& dir() const { return dir_.path(); }

 private:
  plugins::ConfigValues configWith(const plugins::ConfigValues& config) const;

  TempDir dir_{"warren-publish"};
  std::unique_ptr<db::Database> database_;
  std::unique_ptr<storage::LocalStore> store_;
  std::unique_ptr<outbound::HttpClient> http_;
  std::unique_ptr<plugins::Instance> instance_;
};

// Runs a job on another instance (PublishHost::newInstance).
JobRun runOn(plugins::Instance& instance, const std::string& name, const Json& data,
             const std::string& id, const std::string& queue = "post-publish");

plugins::JobInput jobInput(const std::string& name, const Json& data, const std::string& id,
                           const std::string& queue, std::uint32_t attempt = 1);
plugins::JobSinks recordingSinks(JobRun& record, std::mutex& mutex);

// Small media made with the ffmpeg command.
std::filesystem::path makeImage(const std::filesystem::path& dir, const std::string& name,
                                int width, int height);
std::filesystem::path makeVideo(const std::filesystem::path& dir, const std::string& name,
                                double seconds, int width, int height);

}  // namespace warren::test
