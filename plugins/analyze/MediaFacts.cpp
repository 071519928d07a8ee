#include "MediaFacts.h"

#include "job/Failure.h"
#include "media/Grabber.h"
#include "media/Media.h"
#include "media/Still.h"

extern "C" {
#include <libavcodec/avcodec.h>
}

#include <cmath>
#include <cstdio>

namespace analyze {
namespace {

using common::Json;
namespace media = common::media;

// Colours are measured on copies at most this many pixels a side.
constexpr int kSampleSide = 64;
// Dominant colours of each sampled frame (the video's own count is settings.colours).
constexpr std::size_t kFrameColours = 3;
// JPEG quality scale of frames sent to the provider (2 best .. 31).
constexpr int kFrameQuality = 4;

double rounded(double value, double step = 1000.0) {
  return std::round(value * step) / step;
}

Json frameRate(AVRational fps) {
  if (fps.num <= 0 || fps.den <= 0) return nullptr;
  return rounded(av_q2d(fps));
}

std::string frameName(std::size_t index) {
  char name[32];
  std::snprintf(name, sizeof name, "frame-%02zu.jpg", index + 1);
  return name;
}

}  // namespace

Json coloursJson(const std::vector<media::Colour>& colours) {
  Json out = Json::array();
  for (const media::Colour& c : colours) {
    out.push_back({{"hex", media::hex(c.rgb)},
                   {"name", media::colourName(c.rgb)},
                   {"share", rounded(c.share)}});
  }
  return out;
}

Json imageFacts(const media::ImageFacts& facts) {
  return {{"type", "image"},
          {"format", facts.format},
          {"mediaType", facts.mediaType},
          {"bytes", facts.bytes},
          {"width", facts.width},
          {"height", facts.height},
          {"transparent", facts.transparent},
          {"brightness", rounded(facts.brightness)},
          {"colours", coloursJson(facts.colours)}};
}

media::ImageFacts readImageMaterial(const Material& material, const std::string& name,
                                    const Settings& settings, const JobFiles& files) {
  return media::readImage(material.file, name, files.interrupt(), settings.imageLimits,
                          static_cast<std::size_t>(settings.colours));
}

VideoSample sampleVideo(const Material& material, const std::string& name, const Settings& settings,
                        const JobFiles& files, bool writeFrames) {
  const media::Media video(material.file, name, files.interrupt());
  const media::VideoStream& stream = video.requireVideo();
  video.checkLimits(settings.videoLimits);
  video.checkComplete();
  const double duration = video.durationS();
  if (duration <= 0) {
    throw common::job::Unrecoverable("video '" + name + "' has no known duration to sample");
  }
  media::Grabber grabber(video);
  media::FramePtr picture = media::newFrame();
  std::vector<media::Rgb> everything;
  VideoSample sample;
  Json frames = Json::array();
  const std::vector<double> times = media::evenlySpaced(duration, settings.frames);
  for (std::size_t i = 0; i < times.size(); ++i) {
    grabber.grab(times[i], picture.get());
    media::Sample pixels =
        media::samplePixels(*picture, stream.stream->time_base, stream.rotation, kSampleSide);
    everything.insert(everything.end(), pixels.opaque.begin(), pixels.opaque.end());
    frames.push_back(
        {{"timeS", rounded(times[i])},
         {"brightness", rounded(media::brightness(pixels.opaque))},
         {"colours", coloursJson(media::dominantColours(pixels.opaque, kFrameColours))}});
    Frame frame{times[i], {}};
    if (writeFrames) {
      const media::Shape shape = media::displayShape(picture->width, picture->height,
                                                     picture->sample_aspect_ratio, stream.rotation);
      frame.file = files.dir() / frameName(i);
      media::writeStill(stream, picture.get(), media::boundedSize(shape, settings.frameSide),
                        media::StillFormat{false, kFrameQuality, media::Fit::Pad}, frame.file);
    }
    sample.frames.push_back(std::move(frame));
  }
  const int audio = video.audioIndex();
  const double light = media::brightness(everything);
  const std::vector<media::Colour> colours =
      media::dominantColours(std::move(everything), static_cast<std::size_t>(settings.colours));
  sample.facts = {{"type", "video"},
                  {"container", video.format()->iformat->name},
                  {"bytes", material.fileBytes},
                  {"durationS", rounded(duration)},
                  {"width", stream.displayWidth},
                  {"height", stream.displayHeight},
                  {"rotation", stream.rotation},
                  {"fps", frameRate(stream.fps)},
                  {"codec", avcodec_get_name(stream.stream->codecpar->codec_id)},
                  {"hasAudio", audio >= 0},
                  {"brightness", rounded(light)},
                  {"colours", coloursJson(colours)},
                  {"frames", std::move(frames)}};
  return sample;
}

}  // namespace analyze
