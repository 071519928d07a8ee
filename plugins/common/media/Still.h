// One picture written as a still image file (JPEG or PNG): turned upright as a player shows it,
// then scaled to the size asked for.
#pragma once

#include "media/Av.h"
#include "media/Geometry.h"
#include "media/Media.h"

#include <filesystem>

namespace common::media {

struct StillSize {
  int width;
  int height;
  bool exact;  // both sides were asked for: fit the picture into them (StillFormat::fit)
};

struct StillFormat {
  bool png = false;
  int quality = 3;  // JPEG quality scale, 2 (best) to 31
  Fit fit = Fit::Pad;
};

// A picture side in pixels: the nearest whole number, at least 1.
int side(double value);
// `shape` scaled so that its longest side is at most `maxSide` (0: as it is), never enlarged.
StillSize boundedSize(Shape shape, int maxSide);

// Encodes `picture` (a frame of `video`) into `path`. A file that cannot be written is
// retryable (the work directory's disk), a picture FFmpeg cannot scale unrecoverable.
void writeStill(const VideoStream& video, AVFrame* picture, const StillSize& size,
                const StillFormat& format, const std::filesystem::path& path);

}  // namespace common::media
