#include "media/Grabber.h"

#include "media/Errors.h"

#include <cmath>
#include <limits>

namespace common::media {

Grabber::Grabber(const Media& media)
    : media_(media),
      video_(media.requireVideo()),
      decoder_(*video_.stream, 1, media.name()),
      packet_(newPacket()),
      next_(newFrame()) {
  for (unsigned i = 0; i < media.format()->nb_streams; ++i) {
    if (static_cast<int>(i) != video_.index) media.format()->streams[i]->discard = AVDISCARD_ALL;
  }
}

void Grabber::grab(double t, AVFrame* best) {
  const AVRational tb = video_.stream->time_base;
  const std::int64_t target = media_.origin(video_.index) +
                              av_rescale_q(std::llround(t * AV_TIME_BASE), AV_TIME_BASE_Q, tb);
  const int rc = avformat_seek_file(media_.format(), video_.index,
                                    std::numeric_limits<std::int64_t>::min(), target, target, 0);
  if (rc == AVERROR_EXIT) cancelled();
  if (rc < 0)
    unrecoverable("cannot seek to " + seconds(t) + " s in '" + media_.name() + "': " + avError(rc));
  decoder_.flush();
  av_frame_unref(best);
  const std::int64_t slack = av_rescale_q(1000, AVRational{1, 1000000}, tb);  // 1 ms
  bool have = false;
  bool done = false;
  while (!done) {
    const bool more = feedNext(media_, video_.index, decoder_, packet_.get());
    while (!done && decoder_.receive(next_.get())) {
      const std::int64_t ts = next_->best_effort_timestamp;
      if (have && ts != AV_NOPTS_VALUE && ts > target + slack) {
        done = true;
      } else {
        av_frame_unref(best);
        av_frame_move_ref(best, next_.get());
        have = true;
        done = ts != AV_NOPTS_VALUE && ts > target + slack;
      }
      av_frame_unref(next_.get());
    }
    if (!more) break;
  }
  if (!have) {
    unrecoverable("input is corrupt: no video frame could be decoded at " + seconds(t) + " s in '" +
                  media_.name() + "'");
  }
}

bool feedNext(const Media& media, int index, Decoder& decoder, AVPacket* packet) {
  for (;;) {
    media.checkCancelled();
    const int read = av_read_frame(media.format(), packet);
    if (read == AVERROR_EXIT) cancelled();
    if (read < 0) {
      decoder.send(nullptr);
      return false;
    }
    const bool ours = packet->stream_index == index;
    if (ours) decoder.send(packet);
    av_packet_unref(packet);
    if (ours) return true;
  }
}

std::vector<double> evenlySpaced(double duration, int count) {
  std::vector<double> times;
  for (int i = 0; i < count; ++i) times.push_back(duration * (i + 0.5) / count);
  return times;
}

}  // namespace common::media
