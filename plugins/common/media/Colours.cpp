#include "media/Colours.h"

#include "media/Errors.h"
#include "media/FilterGraph.h"
#include "media/Geometry.h"
#include "media/Still.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdio>

namespace common::media {
namespace {

using Pixels = std::vector<Rgb>;
using Iter = Pixels::iterator;

std::uint8_t channel(const Rgb& pixel, int index) {
  return index == 0 ? pixel.r : index == 1 ? pixel.g : pixel.b;
}

// One box of the median cut: a range of the pixel array.
struct Box {
  Iter begin;
  Iter end;
  int widest = 0;  // the channel with the largest spread
  int spread = 0;  // its max - min

  void measure() {
    std::array<int, 3> low{255, 255, 255};
    std::array<int, 3> high{0, 0, 0};
    for (Iter it = begin; it != end; ++it) {
      for (int c = 0; c < 3; ++c) {
        low[c] = std::min(low[c], static_cast<int>(channel(*it, c)));
        high[c] = std::max(high[c], static_cast<int>(channel(*it, c)));
      }
    }
    widest = 0;
    for (int c = 1; c < 3; ++c) {
      if (high[c] - low[c] > high[widest] - low[widest]) widest = c;
    }
    spread = high[widest] - low[widest];
  }

  Colour mean(std::size_t total) const {
    std::array<double, 3> sum{0, 0, 0};
    for (Iter it = begin; it != end; ++it) {
      for (int c = 0; c < 3; ++c) sum[c] += channel(*it, c);
    }
    const auto n = static_cast<double>(end - begin);
    const auto round = [n](double s) { return static_cast<std::uint8_t>(s / n + 0.5); };
    return Colour{Rgb{round(sum[0]), round(sum[1]), round(sum[2])}, n / static_cast<double>(total)};
  }
};

// Splits `box` at the median of its widest channel; ties are ordered by the other channels so
// that the halves do not depend on the sort's treatment of equal keys.
Box splitOff(Box& box) {
  const int c = box.widest;
  std::sort(box.begin, box.end, [c](const Rgb& a, const Rgb& b) {
    const auto key = [c](const Rgb& p) {
      return std::array<std::uint8_t, 3>{channel(p, c), channel(p, (c + 1) % 3),
                                         channel(p, (c + 2) % 3)};
    };
    return key(a) < key(b);
  });
  Iter middle = box.begin + (box.end - box.begin) / 2;
  // Keep equal values of the channel together where possible, so that a flat colour is not cut.
  const std::uint8_t value = channel(*middle, c);
  Iter first =
      std::find_if(box.begin, box.end, [&](const Rgb& p) { return channel(p, c) == value; });
  if (first != box.begin)
    middle = first;
  else
    middle = std::find_if(middle, box.end, [&](const Rgb& p) { return channel(p, c) != value; });
  Box upper{middle, box.end};
  box.end = middle;
  box.measure();
  upper.measure();
  return upper;
}

}  // namespace

std::string hex(Rgb colour) {
  char text[8];
  std::snprintf(text, sizeof text, "#%02x%02x%02x", colour.r, colour.g, colour.b);
  return text;
}

std::string colourName(Rgb colour) {
  const double r = colour.r / 255.0;
  const double g = colour.g / 255.0;
  const double b = colour.b / 255.0;
  const double high = std::max({r, g, b});
  const double low = std::min({r, g, b});
  const double chroma = high - low;
  if (high < 0.16) return "black";
  if (chroma < 0.12 || chroma / high < 0.18) return high > 0.85 ? "white" : "gray";
  double hue = 0;  // degrees
  if (high == r) {
    hue = 60.0 * std::fmod((g - b) / chroma + 6.0, 6.0);
  } else if (high == g) {
    hue = 60.0 * ((b - r) / chroma + 2.0);
  } else {
    hue = 60.0 * ((r - g) / chroma + 4.0);
  }
  if (hue < 15 || hue >= 345) return high < 0.55 ? "brown" : "red";
  if (hue < 45) return high < 0.65 ? "brown" : "orange";
  if (hue < 70) return "yellow";
  if (hue < 165) return "green";
  if (hue < 200) return "cyan";
  if (hue < 260) return "blue";
  if (hue < 295) return "purple";
  return "pink";
}

double brightness(const std::vector<Rgb>& pixels) {
  if (pixels.empty()) return 0;
  double sum = 0;
  for (const Rgb& p : pixels) sum += 0.299 * p.r + 0.587 * p.g + 0.114 * p.b;
  return sum / (255.0 * static_cast<double>(pixels.size()));
}

Sample samplePixels(const AVFrame& picture, AVRational timeBase, int rotation, int maxSide) {
  const Shape shape =
      displayShape(picture.width, picture.height, picture.sample_aspect_ratio, rotation);
  const StillSize size = boundedSize(shape, maxSide);
  std::string description = "[in]";
  const std::string turn = rotationFilters(rotation);
  if (!turn.empty()) description += turn + ",";
  // Area averaging: each sample is the mean of the pixels it covers.
  description += "scale=" + std::to_string(size.width) + ":" + std::to_string(size.height) +
                 ":flags=area,format=rgba[out0]";
  FilterGraph graph = FilterGraph::video(picture, timeBase, description, 1, 1);
  FramePtr copy = newFrame();
  if (av_frame_ref(copy.get(), &picture) < 0) throw std::bad_alloc();
  graph.push(copy.get());
  graph.push(nullptr);
  FramePtr small = newFrame();
  if (!graph.pull(0, small.get()))
    unrecoverable("scaling a picture for its colours produced nothing");
  Sample sample;
  sample.total = static_cast<std::size_t>(small->width) * static_cast<std::size_t>(small->height);
  sample.opaque.reserve(sample.total);
  for (int y = 0; y < small->height; ++y) {
    const std::uint8_t* row = small->data[0] + static_cast<std::ptrdiff_t>(y) * small->linesize[0];
    for (int x = 0; x < small->width; ++x) {
      const std::uint8_t* p = row + 4 * x;
      if (p[3] >= 128) sample.opaque.push_back(Rgb{p[0], p[1], p[2]});
    }
  }
  return sample;
}

std::vector<Colour> dominantColours(std::vector<Rgb> pixels, std::size_t count) {
  std::vector<Colour> colours;
  if (pixels.empty() || count == 0) return colours;
  std::vector<Box> boxes{Box{pixels.begin(), pixels.end()}};
  boxes.front().measure();
  while (boxes.size() < count) {
    // The box with the widest spread (the first of equals), if any still has two colours.
    auto widest = std::max_element(boxes.begin(), boxes.end(),
                                   [](const Box& a, const Box& b) { return a.spread < b.spread; });
    if (widest->spread == 0) break;
    Box upper = splitOff(*widest);
    boxes.push_back(upper);
  }
  for (const Box& box : boxes) {
    if (box.begin != box.end) colours.push_back(box.mean(pixels.size()));
  }
  std::sort(colours.begin(), colours.end(), [](const Colour& a, const Colour& b) {
    if (a.share != b.share) return a.share > b.share;
    return hex(a.rgb) < hex(b.rgb);
  });
  return colours;
}

}  // namespace common::media
