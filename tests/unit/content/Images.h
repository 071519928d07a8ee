// Images made by the tests themselves, encoded with libavcodec: a picture given pixel by pixel
// (RGBA), written as PNG or JPEG.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>

namespace warren::test {

struct Rgba {
  std::uint8_t r, g, b, a;
};
using Painter = std::function<Rgba(int x, int y)>;

void writePng(const std::filesystem::path& path, int width, int height, const Painter& paint);
void writeJpeg(const std::filesystem::path& path, int width, int height, const Painter& paint);

}  // namespace warren::test
