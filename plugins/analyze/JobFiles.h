// What one job owns on disk and in object storage reads: its work directory (removed on every
// path), material downloaded into it, and FFmpeg's interrupt callback for its cancellation.
#pragma once

extern "C" {
#include <libavformat/avio.h>
}

#include <warren/plugin.hpp>

#include <cstdint>
#include <filesystem>
#include <string>

namespace analyze {

struct StoredObject {
  std::int64_t size = 0;
  std::string contentType;  // as storage recorded it, or ""
};

class JobFiles {
 public:
  // Creates `<parent>/warren-analyze-XXXXXX`; a failure is retryable (the node's disk).
  JobFiles(const warren::Host& host, const warren::Job& job, const std::filesystem::path& parent);
  ~JobFiles();
  JobFiles(const JobFiles&) = delete;
  JobFiles& operator=(const JobFiles&) = delete;

  const std::filesystem::path& dir() const { return dir_; }
  const AVIOInterruptCB* interrupt() const { return &interrupt_; }

  // The size and type of `key`. A missing key is unrecoverable ("material 'k' not found in
  // object storage"); other storage failures retryable.
  StoredObject head(const std::string& key) const;
  // Downloads `key` into the work directory as `name`; returns the file's path.
  std::filesystem::path download(const std::string& key, const std::string& name) const;

 private:
  static int onInterrupt(void* opaque);
  [[noreturn]] void failed(warren_status status, const std::string& what,
                           const std::string& reason) const;

  const warren::Host& host_;
  const warren::Job& job_;
  std::filesystem::path dir_;
  AVIOInterruptCB interrupt_;
};

}  // namespace analyze
