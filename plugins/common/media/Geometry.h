// Picture shapes: fitting a picture into a target size (pad or crop), and the filters that turn
// a rotated picture upright.
#pragma once

extern "C" {
#include <libavutil/rational.h>
}

#include <string>

namespace common::media {

enum class Fit { Pad, Crop };

// The picture as shown: stored size with the sample aspect ratio and rotation applied.
struct Shape {
  double width;
  double height;
};
Shape displayShape(int width, int height, AVRational sampleAspect, int rotation);

// Filters (after rotation) that scale a `shape` picture to exactly width x height: letterbox
// with black bars (Pad) or fill and cut the overflow (Crop). Square pixels out.
std::string fitFilters(Shape shape, int width, int height, Fit fit);
// Filters that scale to width x height exactly (callers keep the aspect).
std::string scaleFilters(int width, int height);

// "transpose=clock" and friends for a clockwise rotation; "" for none.
std::string rotationFilters(int rotation);

// The nearest even number, at least 2 (4:2:0 video needs even sizes).
int even(double value);

}  // namespace common::media
