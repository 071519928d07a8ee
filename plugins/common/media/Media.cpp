#include "media/Media.h"

#include "media/Errors.h"

extern "C" {
#include <libavutil/display.h>
}

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

namespace common::media {
namespace {

InputPtr open(const std::filesystem::path& path, const std::string& name,
              const AVIOInterruptCB* interrupt, const Accept& accept) {
  AVFormatContext* raw = avformat_alloc_context();
  if (raw == nullptr) throw std::bad_alloc();
  raw->interrupt_callback = *interrupt;
  Options options;
  options.set("format_whitelist", accept.formats);
  options.set("protocol_whitelist", "file");
  const AVInputFormat* forced =
      accept.forced != nullptr ? av_find_input_format(accept.forced) : nullptr;
  // On failure avformat_open_input frees the context itself.
  int rc = avformat_open_input(&raw, path.c_str(), forced, options.get());
  if (rc == AVERROR_EXIT) cancelled();
  if (rc < 0) {
    unrecoverable("cannot read input '" + name + "': " + avError(rc) + " (not a supported " +
                  accept.noun + ", or corrupt or truncated)");
  }
  InputPtr format(raw);
  rc = avformat_find_stream_info(format.get(), nullptr);
  if (rc == AVERROR_EXIT) cancelled();
  if (rc < 0) {
    unrecoverable("cannot read input '" + name + "': " + avError(rc) + " (corrupt or truncated)");
  }
  return format;
}

AVRational frameRateOf(const AVStream& stream) {
  if (stream.avg_frame_rate.num > 0 && stream.avg_frame_rate.den > 0) return stream.avg_frame_rate;
  if (stream.r_frame_rate.num > 0 && stream.r_frame_rate.den > 0) return stream.r_frame_rate;
  return AVRational{0, 1};
}

}  // namespace

// Demuxers we accept. Others (playlists, concat, image sequences...) could read other files or
// behave in ways a worker does not need. The image "pipe" demuxers read one file by its content.
const Accept kVideos{"mov,matroska,avi,flv,mpegts,mpeg,ogg,asf,wav,mp3,aac,flac,gif", "video file"};
const Accept kImages{"jpeg_pipe,png_pipe,gif,webp_pipe", "image"};

std::string seconds(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f", value);
  std::string out = text;
  if (out.size() > 2 && out.compare(out.size() - 2, 2, ".0") == 0) out.resize(out.size() - 2);
  return out;
}

int rotationOf(const AVStream& stream) {
  std::size_t size = 0;
  const uint8_t* matrix = av_stream_get_side_data(&stream, AV_PKT_DATA_DISPLAYMATRIX, &size);
  if (matrix == nullptr || size < 9 * sizeof(int32_t)) return 0;
  // The matrix gives the counter-clockwise angle; players turn the picture the other way.
  double clockwise = -av_display_rotation_get(reinterpret_cast<const int32_t*>(matrix));
  if (std::isnan(clockwise)) return 0;
  clockwise = std::fmod(clockwise, 360.0);
  if (clockwise < 0) clockwise += 360.0;
  return static_cast<int>(std::lround(clockwise / 90.0) % 4) * 90;
}

Media::Media(const std::filesystem::path& path, std::string name, const AVIOInterruptCB* interrupt,
             const Accept& accept)
    : interrupt_(*interrupt), format_(open(path, name, interrupt, accept)), name_(std::move(name)) {
  pickStreams();
}

void Media::checkCancelled() const {
  if (interrupt_.callback != nullptr && interrupt_.callback(interrupt_.opaque) != 0) cancelled();
}

void Media::pickStreams() {
  AVFormatContext* format = format_.get();
  int best = -1;
  for (unsigned i = 0; i < format->nb_streams; ++i) {
    const AVStream* stream = format->streams[i];
    const AVCodecParameters* par = stream->codecpar;
    // Cover art in an audio file is a "video" stream of one picture: not a video.
    if (par->codec_type != AVMEDIA_TYPE_VIDEO ||
        (stream->disposition & AV_DISPOSITION_ATTACHED_PIC))
      continue;
    if (par->width <= 0 || par->height <= 0) continue;
    if (best < 0 || par->width * par->height > format->streams[best]->codecpar->width *
                                                   format->streams[best]->codecpar->height) {
      best = static_cast<int>(i);
    }
  }
  if (best >= 0) {
    AVStream* stream = format->streams[best];
    video_.index = best;
    video_.stream = stream;
    video_.rotation = rotationOf(*stream);
    video_.width = stream->codecpar->width;
    video_.height = stream->codecpar->height;
    const bool turned = video_.rotation == 90 || video_.rotation == 270;
    video_.displayWidth = turned ? video_.height : video_.width;
    video_.displayHeight = turned ? video_.width : video_.height;
    video_.fps = frameRateOf(*stream);
  }
  audioIndex_ = av_find_best_stream(format, AVMEDIA_TYPE_AUDIO, -1, best, nullptr, 0);
  if (audioIndex_ < 0) audioIndex_ = -1;
}

double Media::durationS() const {
  const std::int64_t duration = format_->duration;
  if (duration == AV_NOPTS_VALUE || duration <= 0) return -1;
  return static_cast<double>(duration) / AV_TIME_BASE;
}

const VideoStream& Media::requireVideo() const {
  if (video_.index < 0) unrecoverable("input is not a video: no video stream in '" + name_ + "'");
  return video_;
}

void Media::checkLimits(const Limits& limits) const {
  const double duration = durationS();
  if (limits.maxDurationS > 0 && duration > limits.maxDurationS) {
    unrecoverable("input too long: " + seconds(duration) + " s exceeds " + limits.durationKey +
                  " " + seconds(limits.maxDurationS));
  }
  if (video_.index < 0) return;
  if (limits.maxWidth > 0 && video_.displayWidth > limits.maxWidth) {
    unrecoverable("input too wide: " + std::to_string(video_.displayWidth) + " px exceeds " +
                  limits.widthKey + " " + std::to_string(limits.maxWidth));
  }
  if (limits.maxHeight > 0 && video_.displayHeight > limits.maxHeight) {
    unrecoverable("input too tall: " + std::to_string(video_.displayHeight) + " px exceeds " +
                  limits.heightKey + " " + std::to_string(limits.maxHeight));
  }
  const double megapixels = static_cast<double>(video_.width) * video_.height / 1e6;
  if (limits.maxMegapixels > 0 && megapixels > limits.maxMegapixels) {
    char text[32];
    std::snprintf(text, sizeof text, "%.3g", megapixels);
    unrecoverable(std::string("input too large: ") + text + " megapixels exceeds " +
                  limits.megapixelsKey + " " + seconds(limits.maxMegapixels));
  }
}

void Media::checkComplete() const {
  if (video_.index < 0) return;
  const AVStream& stream = *video_.stream;
  if (stream.duration == AV_NOPTS_VALUE || stream.duration <= 0) return;
  const std::int64_t start = stream.start_time != AV_NOPTS_VALUE ? stream.start_time : 0;
  const std::int64_t end = start + stream.duration;
  const std::int64_t second = av_rescale_q(1, AVRational{1, 1}, stream.time_base);
  const std::int64_t target = std::max(start, end - second);
  AVFormatContext* format = format_.get();
  int rc = avformat_seek_file(format, video_.index, std::numeric_limits<std::int64_t>::min(),
                              target, target, 0);
  if (rc == AVERROR_EXIT) cancelled();
  if (rc < 0) return;  // cannot seek: the decode loops find out instead
  PacketPtr packet = newPacket();
  bool reached = false;
  while (!reached && (rc = av_read_frame(format, packet.get())) >= 0) {
    if (packet->stream_index == video_.index && packet->pts != AV_NOPTS_VALUE) {
      reached = packet->pts + packet->duration >= end - second / 2;
    }
    av_packet_unref(packet.get());
  }
  if (rc == AVERROR_EXIT) cancelled();
  if (!reached) {
    unrecoverable(
        "input is truncated or corrupt: its video data stops before its announced "
        "end (" +
        seconds(static_cast<double>(stream.duration) * av_q2d(stream.time_base)) + " s) in '" +
        name_ + "'");
  }
}

std::int64_t Media::origin(int index) const {
  const std::int64_t start = format_->start_time;
  if (start == AV_NOPTS_VALUE) return 0;
  return av_rescale_q(start, AV_TIME_BASE_Q, format_->streams[index]->time_base);
}

}  // namespace common::media
