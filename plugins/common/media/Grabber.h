// The picture a player shows at a given time of a video: seek to the key frame before it and
// decode up to it. One decoder thread, one picture held at a time.
#pragma once

#include "media/Decoder.h"
#include "media/Media.h"

#include <vector>

namespace common::media {

class Grabber {
 public:
  // Reads only the video stream of `media` (the other streams are discarded).
  explicit Grabber(const Media& media);

  // Fills `best` with the picture shown at `t` seconds (the last frame starting at or before
  // it; the last frame of the video when `t` is at its end). Undecodable: unrecoverable.
  void grab(double t, AVFrame* best);

 private:
  const Media& media_;
  const VideoStream& video_;
  Decoder decoder_;
  PacketPtr packet_;
  FramePtr next_;
};

// Reads packets of `media` up to the next one of stream `index` and sends it to `decoder`; at
// the end of the file sends the decoder's flush instead and returns false. Throws the
// cancellation failure once the job is asked to stop.
bool feedNext(const Media& media, int index, Decoder& decoder, AVPacket* packet);

// `count` times evenly spread over `duration` seconds: the middles of equal parts.
std::vector<double> evenlySpaced(double duration, int count);

}  // namespace common::media
