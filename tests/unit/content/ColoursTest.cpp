// Dominant colours by median cut and the names given to colours.
#include "media/Colours.h"

#include <gtest/gtest.h>

namespace warren::test {
namespace {

namespace media = common::media;

std::vector<media::Rgb> repeat(media::Rgb colour, int n) {
  return std::vector<media::Rgb>(static_cast<std::size_t>(n), colour);
}

TEST(DominantColours, OneFlatColourIsOneColourOfTheWholePicture) {
  const auto colours = media::dominantColours(repeat({10, 20, 30}, 100), 5);
  ASSERT_EQ(colours.size(), 1u);
  EXPECT_EQ(media::hex(colours[0].rgb), "#0a141e");
  EXPECT_DOUBLE_EQ(colours[0].share, 1.0);
}

TEST(DominantColours, ThreeColoursMostCommonFirst) {
  auto pixels = repeat({0, 0, 0}, 50);
  const auto white = repeat({255, 255, 255}, 30);
  const auto red = repeat({255, 0, 0}, 20);
  pixels.insert(pixels.end(), red.begin(), red.end());
  pixels.insert(pixels.end(), white.begin(), white.end());
  const auto colours = media::dominantColours(pixels, 8);
  ASSERT_EQ(colours.size(), 3u);
  EXPECT_EQ(media::hex(colours[0].rgb), "#000000");
  EXPECT_DOUBLE_EQ(colours[0].share, 0.5);
  EXPECT_EQ(media::hex(colours[1].rgb), "#ffffff");
  EXPECT_DOUBLE_EQ(colours[1].share, 0.3);
  EXPECT_EQ(media::hex(colours[2].rgb), "#ff0000");
  EXPECT_DOUBLE_EQ(colours[2].share, 0.2);
}

TEST(DominantColours, NeverMoreThanAskedForAndTheSameForTheSamePixels) {
  std::vector<media::Rgb> pixels;
  for (int i = 0; i < 4096; ++i) {
    pixels.push_back({static_cast<std::uint8_t>(i % 256), static_cast<std::uint8_t>(i / 16),
                      static_cast<std::uint8_t>((i * 7) % 256)});
  }
  const auto first = media::dominantColours(pixels, 4);
  ASSERT_EQ(first.size(), 4u);
  const auto second = media::dominantColours(pixels, 4);
  for (std::size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(media::hex(first[i].rgb), media::hex(second[i].rgb));
    EXPECT_EQ(first[i].share, second[i].share);
  }
  EXPECT_TRUE(media::dominantColours({}, 4).empty());
}

TEST(ColourNames, GreysByLightnessAndColoursByHue) {
  EXPECT_EQ(media::colourName({0, 0, 0}), "black");
  EXPECT_EQ(media::colourName({128, 128, 128}), "gray");
  EXPECT_EQ(media::colourName({250, 250, 250}), "white");
  EXPECT_EQ(media::colourName({220, 20, 30}), "red");
  EXPECT_EQ(media::colourName({255, 140, 0}), "orange");
  EXPECT_EQ(media::colourName({120, 70, 20}), "brown");
  EXPECT_EQ(media::colourName({240, 220, 30}), "yellow");
  EXPECT_EQ(media::colourName({30, 160, 60}), "green");
  EXPECT_EQ(media::colourName({20, 200, 210}), "cyan");
  EXPECT_EQ(media::colourName({30, 60, 200}), "blue");
  EXPECT_EQ(media::colourName({130, 40, 180}), "purple");
  EXPECT_EQ(media::colourName({230, 80, 160}), "pink");
}

TEST(Brightness, MeanLumaOfThePixels) {
  EXPECT_DOUBLE_EQ(media::brightness({}), 0.0);
  EXPECT_DOUBLE_EQ(media::brightness(repeat({255, 255, 255}, 3)), 1.0);
  EXPECT_NEAR(media::brightness({{255, 0, 0}, {0, 0, 0}}), 0.299 / 2, 1e-9);
}

}  // namespace
}  // namespace warren::test
