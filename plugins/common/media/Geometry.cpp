#include "media/Geometry.h"

#include <algorithm>
#include <cmath>

namespace common::media {

int even(double value) {
  const auto rounded = static_cast<int>(std::lround(value / 2.0)) * 2;
  return std::max(2, rounded);
}

Shape displayShape(int width, int height, AVRational sampleAspect, int rotation) {
  double w = width;
  if (sampleAspect.num > 0 && sampleAspect.den > 0) w *= av_q2d(sampleAspect);
  const double h = height;
  if (rotation == 90 || rotation == 270) return Shape{h, w};
  return Shape{w, h};
}

std::string scaleFilters(int width, int height) {
  return "scale=" + std::to_string(width) + ":" + std::to_string(height) + ",setsar=1";
}

std::string fitFilters(Shape shape, int width, int height, Fit fit) {
  const double sx = width / shape.width;
  const double sy = height / shape.height;
  const std::string size = std::to_string(width) + ":" + std::to_string(height);
  if (fit == Fit::Pad) {
    const double s = std::min(sx, sy);
    const int w = std::min(width, even(shape.width * s));
    const int h = std::min(height, even(shape.height * s));
    const int x = (width - w) / 2 / 2 * 2;
    const int y = (height - h) / 2 / 2 * 2;
    return "scale=" + std::to_string(w) + ":" + std::to_string(h) + ",pad=" + size + ":" +
           std::to_string(x) + ":" + std::to_string(y) + ":black,setsar=1";
  }
  const double s = std::max(sx, sy);
  const int w = std::max(width, even(shape.width * s));
  const int h = std::max(height, even(shape.height * s));
  const int x = (w - width) / 2 / 2 * 2;
  const int y = (h - height) / 2 / 2 * 2;
  return "scale=" + std::to_string(w) + ":" + std::to_string(h) + ",crop=" + size + ":" +
         std::to_string(x) + ":" + std::to_string(y) + ",setsar=1";
}

std::string rotationFilters(int rotation) {
  switch (rotation) {
    case 90:
      return "transpose=clock";
    case 180:
      return "hflip,vflip";
    case 270:
      return "transpose=cclock";
    default:
      return "";
  }
}

}  // namespace common::media
