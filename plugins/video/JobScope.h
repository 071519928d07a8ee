// Everything one job owns outside FFmpeg: its work directory, the storage keys it wrote, its
// progress and its cancellation. The destructor undoes what a failed or cancelled job left:
// the work directory always goes, and the uploaded keys go unless commit() was called.
#pragma once

#include "Settings.h"

extern "C" {
#include <libavformat/avio.h>
}

#include <warren/plugin.hpp>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace video {

class JobScope {
 public:
  JobScope(const warren::Host& host, const warren::Job& job, const Settings& settings);
  ~JobScope();
  JobScope(const JobScope&) = delete;
  JobScope& operator=(const JobScope&) = delete;

  const Settings& settings() const { return settings_; }
  const warren::Job& job() const { return job_; }
  const std::filesystem::path& dir() const { return dir_; }

  bool cancelled() const { return job_.cancelled(); }
  // Throws the (retryable) cancellation failure once the host asked the job to stop.
  void checkCancelled() const;
  // For FFmpeg I/O: makes blocking reads and writes return AVERROR_EXIT on cancellation.
  const AVIOInterruptCB* interrupt() const { return &interrupt_; }

  // Reports `percent` (0..100) when it passed the last whole percent reported.
  void progress(double percent);

  // Where this job's outputs go: the data's `output_prefix`, or the configured prefix + job id.
  const std::string& outputPrefix() const { return prefix_; }
  void setOutputPrefix(std::string prefix) { prefix_ = std::move(prefix); }

  // Object storage through the host. A missing key is unrecoverable; a cancelled call, or
  // anything else, retryable.
  std::optional<std::int64_t> storedSize(const std::string& key) const;
  void download(const std::string& key, const std::filesystem::path& file) const;
  void upload(const std::string& key, const std::filesystem::path& file, const char* contentType);
  // Keeps the uploaded keys: the job completed.
  void commit() { committed_ = true; }
  const std::vector<std::string>& uploaded() const { return uploaded_; }

 private:
  static int onInterrupt(void* opaque);
  [[noreturn]] void storageFailed(warren_status status, const std::string& what,
                                  warren_buffer& error) const;
  void removeUploads() noexcept;

  const warren::Host& host_;
  const warren::Job& job_;
  const Settings& settings_;
  std::filesystem::path dir_;
  AVIOInterruptCB interrupt_;
  int lastPercent_ = -1;
  std::string prefix_;
  std::vector<std::string> uploaded_;
  bool committed_ = false;
};

}  // namespace video
