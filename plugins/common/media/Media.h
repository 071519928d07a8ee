// An opened input container: the chosen video and audio streams, the rotation a player would
// apply, and the refusals every job shares (not a video, too long, too large).
#pragma once

#include "media/Av.h"

#include <cstdint>
#include <filesystem>
#include <string>

namespace common::media {

struct VideoStream {
  int index = -1;
  AVStream* stream = nullptr;
  int rotation = 0;  // clockwise degrees a player turns the picture: 0, 90, 180 or 270
  int width = 0;     // as stored
  int height = 0;
  int displayWidth = 0;  // as shown (rotation applied)
  int displayHeight = 0;
  AVRational fps{0, 1};  // {0, 1} when unknown
};

// What a job accepts: the demuxers FFmpeg may use, and how refusals name the kind of file.
struct Accept {
  const char* formats;           // a format_whitelist
  const char* noun;              // "video file", "image"
  const char* forced = nullptr;  // a demuxer to use without probing (one of `formats`)
};
// MP4/MOV, Matroska/WebM, AVI, FLV, MPEG-TS/PS, Ogg, ASF, WAV, MP3, AAC, FLAC, GIF.
extern const Accept kVideos;
// JPEG, PNG, GIF and WebP (what the AI providers read).
extern const Accept kImages;

// The largest input a job takes (0: no limit), and the config keys refusals name.
struct Limits {
  double maxDurationS = 0;
  int maxWidth = 0;
  int maxHeight = 0;
  std::string durationKey;   // "video.max_duration_s"
  std::string widthKey;      // "video.max_width"
  std::string heightKey;     // "video.max_height"
  double maxMegapixels = 0;  // width x height / 10^6: what decoding one picture costs
  std::string megapixelsKey;
};

class Media {
 public:
  // Opens a local file as a media container (demuxers on `accept`'s whitelist, local files
  // only) and reads its stream info. An unreadable file fails the job unrecoverably. FFmpeg's
  // blocking calls return early once `interrupt` says so (the job was cancelled).
  Media(const std::filesystem::path& path, std::string name, const AVIOInterruptCB* interrupt,
        const Accept& accept = kVideos);

  AVFormatContext* format() const { return format_.get(); }
  const std::string& name() const { return name_; }
  // Seconds, or a negative value when the container does not say.
  double durationS() const;
  const VideoStream* video() const { return video_.index >= 0 ? &video_ : nullptr; }
  int audioIndex() const { return audioIndex_; }

  // The video stream, or an unrecoverable "input is not a video" failure.
  const VideoStream& requireVideo() const;
  // Refuses inputs beyond the limits (as shown: rotation applied).
  void checkLimits(const Limits& limits) const;
  // Refuses a video whose packets stop well before the end its header announces (a cut-off
  // upload). Reads the packets of the last GOP or so; leaves the read position there.
  void checkComplete() const;
  // Where the file starts, in the time base of stream `index` (timestamps are shifted by it
  // so that the output starts at 0).
  std::int64_t origin(int index) const;
  // Throws the cancellation failure once the job's interrupt callback says stop.
  void checkCancelled() const;

 private:
  void pickStreams();

  AVIOInterruptCB interrupt_;
  InputPtr format_;
  std::string name_;
  VideoStream video_;
  int audioIndex_ = -1;
};

// Clockwise rotation (0, 90, 180, 270) from a stream's display matrix.
int rotationOf(const AVStream& stream);
// "4", "4.5": seconds for messages.
std::string seconds(double value);

}  // namespace common::media
