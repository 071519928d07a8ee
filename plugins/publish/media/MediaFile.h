// Media for a post: fetched from object storage into a job's temp directory, probed for the
// facts platforms limit (size, type, pixels, duration), and checked against the platform's
// limits before anything is uploaded.
#pragma once

#include "json/Json.h"
#include "platforms/Platform.h"

#include <warren/plugin.hpp>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace publish::media {

// What probing a file says.
struct Facts {
  std::string mime;    // from the container and codec ("" when unknown)
  bool video = false;  // a moving picture (an animated GIF counts as an image)
  int width = 0;       // display size (rotation applied)
  int height = 0;
  double durationS = 0;
};

// Probes a local file with libavformat. Throws job::Unrecoverable naming `what` when it is
// not a readable image or video.
Facts probe(const std::string& path, const std::string& what);

// A whole file, or `size` bytes from `offset`. Throws job::Retryable on a read error.
std::string readAll(const std::string& path);
std::string readChunk(const std::string& path, std::int64_t offset, std::int64_t size);

// The media of one job. The files are removed when it goes away.
class MediaSet {
 public:
  MediaSet(const warren::Host& host, const warren::Job* job, const std::string& tempDir);
  ~MediaSet();
  MediaSet(const MediaSet&) = delete;
  MediaSet& operator=(const MediaSet&) = delete;

  // Heads, fetches and probes every key, checking `limits` (count and size before fetching
  // anything; type, pixels, duration and aspect after probing). Throws job::Unrecoverable
  // with the first limit a file breaks, naming the key, the platform and the limit.
  std::vector<platforms::MediaItem> fetch(const common::Json& keys, const common::Json& alts,
                                          const platforms::Limits& limits,
                                          const std::string& platform);

 private:
  warren::Host host_;
  const warren::Job* job_;
  std::filesystem::path dir_;
};

// The checks of MediaSet::fetch on items already probed (unit-testable).
void checkCount(const std::vector<platforms::MediaItem>& items, const platforms::Limits& limits,
                const std::string& platform);
// `probed`: the file's duration, pixels and aspect are known (else only size and type are
// checked).
void checkItem(const platforms::MediaItem& item, const platforms::Limits& limits,
               const std::string& platform, bool probed = true);

}  // namespace publish::media
