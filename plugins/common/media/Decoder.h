// One stream's decoder over avcodec's send_packet / receive_frame.
#pragma once

#include "media/Av.h"

#include <string>

namespace common::media {

class Decoder {
 public:
  // Opens the decoder for `stream`; an unsupported codec fails the job unrecoverably.
  Decoder(const AVStream& stream, int threads, const std::string& inputName);

  // Feeds one packet (nullptr: the end, drain what is buffered). Returns false when the
  // decoder rejected the packet as invalid data (a corrupt packet; the caller counts them).
  bool send(const AVPacket* packet);
  // The next decoded frame into `frame`; false when the decoder needs more input or is drained.
  // Corrupt frames are skipped and counted in errors().
  bool receive(AVFrame* frame);
  // Forgets buffered frames (after a seek).
  void flush();

  AVCodecContext* context() const { return context_.get(); }
  int errors() const { return errors_; }

 private:
  CodecPtr context_;
  std::string inputName_;
  int errors_ = 0;
};

}  // namespace common::media
