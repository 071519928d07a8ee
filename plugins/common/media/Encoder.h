// Encoders the jobs use: H.264 (libx264) and AAC for transcodes, JPEG and PNG for stills.
#pragma once

#include "media/Av.h"

#include <functional>
#include <string>

namespace common::media {

struct H264Settings {
  int width = 0;
  int height = 0;
  AVRational fps{30, 1};
  int crf = 23;
  int maxBitrateKbps = 0;  // 0: CRF alone
  std::string preset = "veryfast";
  int threads = 1;
};

class Encoder {
 public:
  static Encoder h264(const H264Settings& settings, bool globalHeader);
  // 48 kHz stereo AAC-LC.
  static Encoder aac(int bitrateKbps, bool globalHeader);
  // One still picture: JPEG (quality 2..31, lower is better) or PNG.
  static Encoder still(bool png, int width, int height, int quality);

  // Sends `frame` (nullptr: flush) and hands each finished packet to `sink`, which may take
  // its data. Frame timestamps must be in timeBase().
  void encode(const AVFrame* frame, const std::function<void(AVPacket*)>& sink);

  AVCodecContext* context() const { return context_.get(); }
  AVRational timeBase() const { return context_->time_base; }
  int frameSize() const { return context_->frame_size; }

 private:
  explicit Encoder(const char* name);
  void open(Options& options);

  CodecPtr context_;
  PacketPtr packet_;
};

}  // namespace common::media
