// The measurable facts of one image file: its format, size, dimensions and dominant colours,
// read by decoding it with FFmpeg (JPEG, PNG, GIF, WebP; the first frame of an animation).
#pragma once

#include "media/Colours.h"
#include "media/Media.h"

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace common::media {

struct ImageFacts {
  std::string format;     // "jpeg", "png", "gif", "webp"
  std::string mediaType;  // "image/jpeg", ...
  std::int64_t bytes = 0;
  int width = 0;  // as stored
  int height = 0;
  bool transparent = false;  // some pixels are less than half opaque
  double brightness = 0;     // mean luma, 0..1
  std::vector<Colour> colours;
};

// Reads the image at `path` (named `name` in messages). Not an image, or one that does not
// decode: unrecoverable; larger than `limits` (width, height): unrecoverable.
ImageFacts readImage(const std::filesystem::path& path, const std::string& name,
                     const AVIOInterruptCB* interrupt, const Limits& limits,
                     std::size_t colourCount);

}  // namespace common::media
