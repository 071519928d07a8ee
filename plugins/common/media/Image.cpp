#include "media/Image.h"

#include "media/Decoder.h"
#include "media/Errors.h"
#include "media/Grabber.h"

#include <algorithm>
#include <array>
#include <fstream>
#include <string_view>

namespace common::media {
namespace {

// Sides of the copy the colours are measured on (4,096 samples at most).
constexpr int kSampleSide = 64;

// "jpeg_pipe" -> "jpeg": the demuxers of kImages, named as people name the formats.
std::string formatName(std::string_view demuxer) {
  constexpr std::string_view pipe = "_pipe";
  if (demuxer.size() > pipe.size() && demuxer.substr(demuxer.size() - pipe.size()) == pipe) {
    demuxer.remove_suffix(pipe.size());
  }
  return std::string(demuxer);
}

// The demuxer of a JPEG, PNG, GIF or WebP file by its first bytes, or nullptr. Probing would
// let the file's name win ("x.jpg" is an image2 sequence to FFmpeg).
const char* demuxerOf(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::array<unsigned char, 12> head{};
  in.read(reinterpret_cast<char*>(head.data()), head.size());
  const auto starts = [&](std::string_view magic, std::size_t at = 0) {
    return static_cast<std::size_t>(in.gcount()) >= at + magic.size() &&
           std::equal(magic.begin(), magic.end(), head.begin() + static_cast<std::ptrdiff_t>(at),
                      [](char a, unsigned char b) { return static_cast<unsigned char>(a) == b; });
  };
  if (starts("\xff\xd8\xff")) return "jpeg_pipe";
  if (starts("\x89PNG\r\n\x1a\n")) return "png_pipe";
  if (starts("GIF87a") || starts("GIF89a")) return "gif";
  if (starts("RIFF") && starts("WEBP", 8)) return "webp_pipe";
  return nullptr;
}

// The first picture of the stream (an animation's first frame).
FramePtr firstPicture(const Media& media, const VideoStream& video) {
  Decoder decoder(*video.stream, 1, media.name());
  PacketPtr packet = newPacket();
  FramePtr frame = newFrame();
  for (;;) {
    const bool more = feedNext(media, video.index, decoder, packet.get());
    if (decoder.receive(frame.get())) return frame;
    if (!more) break;
  }
  unrecoverable("cannot decode image '" + media.name() + "': its picture data is corrupt");
}

}  // namespace

ImageFacts readImage(const std::filesystem::path& path, const std::string& name,
                     const AVIOInterruptCB* interrupt, const Limits& limits,
                     std::size_t colourCount) {
  const char* demuxer = demuxerOf(path);
  if (demuxer == nullptr) {
    unrecoverable("cannot read image '" + name + "': not a JPEG, PNG, GIF or WebP file");
  }
  const Media media(path, name, interrupt, Accept{kImages.formats, kImages.noun, demuxer});
  const VideoStream* video = media.video();
  if (video == nullptr) unrecoverable("cannot read image '" + name + "': it holds no picture");
  media.checkLimits(limits);
  ImageFacts facts;
  facts.format = formatName(media.format()->iformat->name);
  facts.mediaType = "image/" + facts.format;
  std::error_code error;
  facts.bytes = static_cast<std::int64_t>(std::filesystem::file_size(path, error));
  facts.width = video->width;
  facts.height = video->height;
  const FramePtr picture = firstPicture(media, *video);
  Sample sample = samplePixels(*picture, video->stream->time_base, video->rotation, kSampleSide);
  facts.transparent = sample.opaque.size() < sample.total;
  facts.brightness = brightness(sample.opaque);
  facts.colours = dominantColours(std::move(sample.opaque), colourCount);
  return facts;
}

}  // namespace common::media
