#include "Probe.h"

#include "Input.h"

extern "C" {
#include <libavutil/channel_layout.h>
#include <libavutil/pixdesc.h>
}

#include <cmath>

namespace video {
namespace {

Json rounded(double value, double step = 1000.0) {
  return Json(std::round(value * step) / step);
}

Json orNull(const char* text) {
  return text != nullptr ? Json(text) : Json();
}

Json rate(AVRational value) {
  if (value.num <= 0 || value.den <= 0) return Json();
  return rounded(av_q2d(value));
}

Json durationOf(const AVStream& stream) {
  if (stream.duration == AV_NOPTS_VALUE || stream.duration <= 0) return Json();
  return rounded(static_cast<double>(stream.duration) * av_q2d(stream.time_base));
}

Json bitRate(std::int64_t value) {
  return value > 0 ? Json(static_cast<double>(value)) : Json();
}

void describeVideo(Json& out, const AVStream& stream, const AVCodecParameters& par) {
  out.set("width", par.width);
  out.set("height", par.height);
  const int rotation = rotationOf(stream);
  out.set("rotation", rotation);
  const bool turned = rotation == 90 || rotation == 270;
  out.set("display_width", turned ? par.height : par.width);
  out.set("display_height", turned ? par.width : par.height);
  const AVRational fps =
      stream.avg_frame_rate.num > 0 ? stream.avg_frame_rate : stream.r_frame_rate;
  out.set("fps", rate(fps));
  out.set("pixel_format", orNull(av_get_pix_fmt_name(static_cast<AVPixelFormat>(par.format))));
}

void describeAudio(Json& out, const AVCodecParameters& par) {
  out.set("sample_rate", par.sample_rate);
  out.set("channels", par.ch_layout.nb_channels);
  char layout[64] = {};
  if (par.ch_layout.order != AV_CHANNEL_ORDER_UNSPEC &&
      av_channel_layout_describe(&par.ch_layout, layout, sizeof layout) > 0) {
    out.set("channel_layout", layout);
  } else {
    out.set("channel_layout", Json());
  }
}

Json describeStream(const AVStream& stream) {
  const AVCodecParameters& par = *stream.codecpar;
  Json out;
  out.set("index", stream.index);
  out.set("type", orNull(av_get_media_type_string(par.codec_type)));
  out.set("codec", avcodec_get_name(par.codec_id));
  out.set("profile", orNull(avcodec_profile_name(par.codec_id, par.profile)));
  out.set("bit_rate", bitRate(par.bit_rate));
  out.set("duration_s", durationOf(stream));
  if (par.codec_type == AVMEDIA_TYPE_VIDEO) describeVideo(out, stream, par);
  if (par.codec_type == AVMEDIA_TYPE_AUDIO) describeAudio(out, par);
  return out;
}

}  // namespace

Json describe(const Media& media, std::int64_t fileBytes) {
  const AVFormatContext* format = media.format();
  Json out;
  out.set("container", format->iformat->name);
  out.set("container_long_name", orNull(format->iformat->long_name));
  out.set("duration_s", media.durationS() >= 0 ? rounded(media.durationS()) : Json());
  out.set("size_bytes", static_cast<double>(fileBytes));
  out.set("bit_rate", bitRate(format->bit_rate));
  out.set("has_video", media.video() != nullptr);
  out.set("has_audio", media.audioIndex() >= 0);
  Json streams = Json(Json::Array{});
  for (unsigned i = 0; i < format->nb_streams; ++i)
    streams.push(describeStream(*format->streams[i]));
  out.set("streams", std::move(streams));
  return out;
}

Json summary(const Media& media) {
  Json out;
  out.set("duration_s", media.durationS() >= 0 ? rounded(media.durationS()) : Json());
  if (const VideoStream* v = media.video()) {
    out.set("width", v->displayWidth);
    out.set("height", v->displayHeight);
    out.set("rotation", v->rotation);
    out.set("fps", rate(v->fps));
    out.set("codec", avcodec_get_name(v->stream->codecpar->codec_id));
  }
  out.set("has_audio", media.audioIndex() >= 0);
  return out;
}

Json probe(JobScope& scope, const Json& data) {
  const LocalInput input = fetchInput(scope, data);
  scope.progress(50);
  const Media media(input.path, input.name, scope.interrupt());
  media.checkComplete();
  std::error_code ignored;
  const auto bytes = static_cast<std::int64_t>(std::filesystem::file_size(input.path, ignored));
  Json out = describe(media, bytes);
  scope.progress(100);
  return out;
}

}  // namespace video
