// The colours of a picture: a small upright copy of it as RGB pixels, and its dominant colours
// by median cut (deterministic: the same picture always gives the same colours).
#pragma once

#include "media/Av.h"

#include <cstdint>
#include <string>
#include <vector>

namespace common::media {

struct Rgb {
  std::uint8_t r;
  std::uint8_t g;
  std::uint8_t b;
};

struct Colour {
  Rgb rgb;
  double share;  // of the picture's opaque pixels, 0..1
};

// "#1f2a3b".
std::string hex(Rgb colour);
// A plain name for the colour: black, gray, white, or (when it has colour enough) red, orange,
// brown, yellow, green, cyan, blue, purple or pink by its hue.
std::string colourName(Rgb colour);
// Mean luma (BT.601) of the pixels, 0 (black) to 1 (white); 0 for no pixels.
double brightness(const std::vector<Rgb>& pixels);

// `picture` turned upright (clockwise `rotation`) and scaled down so that its longest side is at
// most `maxSide`, by area averaging.
struct Sample {
  std::vector<Rgb> opaque;  // the pixels of alpha at least one half, in rows
  std::size_t total = 0;    // every pixel of the copy
};
Sample samplePixels(const AVFrame& picture, AVRational timeBase, int rotation, int maxSide);

// At most `count` colours, most common first: boxes of the RGB cube split at the median of their
// widest channel until there are `count` of them or none has two colours left.
std::vector<Colour> dominantColours(std::vector<Rgb> pixels, std::size_t count);

}  // namespace common::media
