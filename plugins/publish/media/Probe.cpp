#include "job/Failure.h"
#include "media/MediaFile.h"

extern "C" {
#include <libavformat/avformat.h>
#include <libavutil/display.h>
}

#include <cmath>
#include <cstring>
#include <memory>

namespace publish::media {
namespace {

struct InputClose {
  void operator()(AVFormatContext* context) const { avformat_close_input(&context); }
};

std::string averror(int code) {
  char text[AV_ERROR_MAX_STRING_SIZE] = {0};
  av_strerror(code, text, sizeof text);
  return text;
}

bool imageCodec(AVCodecID codec) {
  return codec == AV_CODEC_ID_PNG || codec == AV_CODEC_ID_MJPEG || codec == AV_CODEC_ID_GIF ||
         codec == AV_CODEC_ID_WEBP || codec == AV_CODEC_ID_BMP;
}

std::string imageMime(AVCodecID codec) {
  switch (codec) {
    case AV_CODEC_ID_PNG:
      return "image/png";
    case AV_CODEC_ID_MJPEG:
      return "image/jpeg";
    case AV_CODEC_ID_GIF:
      return "image/gif";
    case AV_CODEC_ID_WEBP:
      return "image/webp";
    default:
      return "image/bmp";
  }
}

std::string videoMime(const char* format, const std::string& path) {
  const std::string name = format != nullptr ? format : "";
  if (name.find("webm") != std::string::npos || name.find("matroska") != std::string::npos) {
    return "video/webm";
  }
  if (name.find("mov") != std::string::npos) {
    const bool quicktime = path.size() > 4 && path.compare(path.size() - 4, 4, ".mov") == 0;
    return quicktime ? "video/quicktime" : "video/mp4";
  }
  return "video/" + name.substr(0, name.find(','));
}

int rotationOf(const AVStream* stream) {
  const std::uint8_t* matrix = av_stream_get_side_data(stream, AV_PKT_DATA_DISPLAYMATRIX, nullptr);
  if (matrix == nullptr) return 0;
  const double degrees = av_display_rotation_get(reinterpret_cast<const std::int32_t*>(matrix));
  if (std::isnan(degrees)) return 0;
  return static_cast<int>(std::lround(std::fabs(degrees))) % 180;
}

}  // namespace

Facts probe(const std::string& path, const std::string& what) {
  AVFormatContext* raw = nullptr;
  int status = avformat_open_input(&raw, path.c_str(), nullptr, nullptr);
  if (status < 0) {
    throw common::job::Unrecoverable("media " + what +
                                     " is not a readable image or video: " + averror(status));
  }
  std::unique_ptr<AVFormatContext, InputClose> input(raw);
  status = avformat_find_stream_info(input.get(), nullptr);
  if (status < 0) {
    throw common::job::Unrecoverable("media " + what + " cannot be probed: " + averror(status));
  }
  const int index = av_find_best_stream(input.get(), AVMEDIA_TYPE_VIDEO, -1, -1, nullptr, 0);
  if (index < 0) {
    throw common::job::Unrecoverable("media " + what + " has no picture (no video stream)");
  }
  const AVStream* stream = input->streams[index];
  const AVCodecParameters* codec = stream->codecpar;
  Facts facts;
  facts.width = codec->width;
  facts.height = codec->height;
  if (rotationOf(stream) == 90) std::swap(facts.width, facts.height);
  if (imageCodec(codec->codec_id)) {
    facts.mime = imageMime(codec->codec_id);
    facts.video = false;
  } else {
    facts.mime = videoMime(input->iformat != nullptr ? input->iformat->name : nullptr, path);
    facts.video = true;
    if (input->duration > 0) facts.durationS = static_cast<double>(input->duration) / AV_TIME_BASE;
  }
  return facts;
}

}  // namespace publish::media
