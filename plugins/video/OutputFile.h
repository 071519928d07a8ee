// One MP4 file being written: streams copied from opened encoders, packets interleaved, the
// index moved to the front at the end (faststart) so players can start before the download ends.
#pragma once

#include "Shared.h"

#include <filesystem>

namespace video {

class OutputFile {
 public:
  OutputFile(const std::filesystem::path& path, const AVIOInterruptCB* interrupt);
  ~OutputFile();
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  // Adds a stream for an opened encoder; returns its index.
  int addStream(const AVCodecContext& encoder);
  void writeHeader();
  // Writes `packet` (timestamps in `timeBase`) to stream `index`; takes its data.
  void write(AVPacket* packet, int index, AVRational timeBase);
  // Writes the trailer (and the faststart rewrite) and closes the file.
  void finish();

  // Whether the container wants codec headers out of band (set on encoders before opening).
  bool wantsGlobalHeader() const;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
  AVFormatContext* context_ = nullptr;
};

}  // namespace video
