// Image facts on pictures the test paints: format, size, dimensions, transparency, brightness
// and dominant colours; and the refusals of what is not an image, cut off, or too large.
#include "Images.h"
#include "TempDir.h"

#include "job/Failure.h"
#include "media/Image.h"

#include <gtest/gtest.h>

#include <fstream>

namespace warren::test {
namespace {

namespace media = common::media;

const AVIOInterruptCB kNoInterrupt{nullptr, nullptr};

media::Limits limits(int side = 1000) {
  return media::Limits{0,
                       side,
                       side,
                       "",
                       "analyze.max_image_width",
                       "analyze.max_image_height",
                       0.1,
                       "analyze.max_image_megapixels"};
}

media::ImageFacts read(const std::filesystem::path& path, int side = 1000) {
  return media::readImage(path, path.filename().string(), &kNoInterrupt, limits(side), 5);
}

// 75 % red on the left, 25 % blue on the right (on a 256 px wide picture, whose 64 px copy
// keeps the border between two columns).
Rgba redAndBlue(int x, int) {
  return x < 192 ? Rgba{255, 0, 0, 255} : Rgba{0, 0, 255, 255};
}

TEST(ImageFacts, APngsFormatSizeAndTwoColoursWithTheirShares) {
  TempDir dir("image-facts");
  const auto path = dir / "flag.png";
  writePng(path, 256, 128, redAndBlue);
  const media::ImageFacts facts = read(path);
  EXPECT_EQ(facts.format, "png");
  EXPECT_EQ(facts.mediaType, "image/png");
  EXPECT_EQ(facts.bytes, static_cast<std::int64_t>(std::filesystem::file_size(path)));
  EXPECT_EQ(facts.width, 256);
  EXPECT_EQ(facts.height, 128);
  EXPECT_FALSE(facts.transparent);
  ASSERT_EQ(facts.colours.size(), 2u);
  EXPECT_EQ(media::hex(facts.colours[0].rgb), "#ff0000");
  EXPECT_DOUBLE_EQ(facts.colours[0].share, 0.75);
  EXPECT_EQ(media::hex(facts.colours[1].rgb), "#0000ff");
  EXPECT_DOUBLE_EQ(facts.colours[1].share, 0.25);
  // Luma of red is 0.299, of blue 0.114.
  EXPECT_NEAR(facts.brightness, 0.75 * 0.299 + 0.25 * 0.114, 1e-9);
}

TEST(ImageFacts, TransparentPixelsAreLeftOutOfTheColours) {
  TempDir dir("image-facts");
  const auto path = dir / "half.png";
  writePng(path, 64, 64, [](int x, int) {
    return x < 32 ? Rgba{0, 200, 0, 255} : Rgba{255, 255, 255, 0};
  });
  const media::ImageFacts facts = read(path);
  EXPECT_TRUE(facts.transparent);
  ASSERT_EQ(facts.colours.size(), 1u);
  EXPECT_EQ(media::hex(facts.colours[0].rgb), "#00c800");
  EXPECT_DOUBLE_EQ(facts.colours[0].share, 1.0);
}

TEST(ImageFacts, AJpegIsReadAndGivesTheSameFactsEveryTime) {
  TempDir dir("image-facts");
  const auto path = dir / "gradient.jpg";
  writeJpeg(path, 320, 240, [](int x, int y) {
    return Rgba{static_cast<std::uint8_t>(x * 255 / 319), static_cast<std::uint8_t>(y * 255 / 239),
                128, 255};
  });
  const media::ImageFacts first = read(path);
  EXPECT_EQ(first.format, "jpeg");
  EXPECT_EQ(first.mediaType, "image/jpeg");
  EXPECT_EQ(first.width, 320);
  EXPECT_EQ(first.height, 240);
  ASSERT_EQ(first.colours.size(), 5u);
  double shares = 0;
  for (const media::Colour& c : first.colours) shares += c.share;
  EXPECT_NEAR(shares, 1.0, 1e-9);
  for (std::size_t i = 1; i < first.colours.size(); ++i) {
    EXPECT_GE(first.colours[i - 1].share, first.colours[i].share);
  }
  const media::ImageFacts second = read(path);
  for (std::size_t i = 0; i < first.colours.size(); ++i) {
    EXPECT_EQ(media::hex(first.colours[i].rgb), media::hex(second.colours[i].rgb));
    EXPECT_EQ(first.colours[i].share, second.colours[i].share);
  }
}

TEST(ImageFacts, TextIsNotAnImage) {
  TempDir dir("image-facts");
  const auto path = dir / "notes.png";
  std::ofstream(path) << "these are notes, not a picture\n";
  try {
    read(path);
    FAIL() << "a text file was read as an image";
  } catch (const common::job::Unrecoverable& e) {
    EXPECT_STREQ(e.what(), "cannot read image 'notes.png': not a JPEG, PNG, GIF or WebP file");
  }
}

TEST(ImageFacts, ACutOffPngFailsUnrecoverably) {
  TempDir dir("image-facts");
  const auto whole = dir / "whole.png";
  writePng(whole, 256, 128, redAndBlue);
  const auto cut = dir / "cut.png";
  std::filesystem::copy_file(whole, cut);
  std::filesystem::resize_file(cut, 60);  // the signature and part of the header only
  EXPECT_THROW(read(cut), common::job::Unrecoverable);
}

TEST(ImageFacts, AnImageWiderThanTheLimitIsRefusedNamingTheKey) {
  TempDir dir("image-facts");
  const auto path = dir / "wide.png";
  writePng(path, 300, 20, redAndBlue);
  try {
    read(path, 200);
    FAIL() << "a 300 px wide image passed a 200 px limit";
  } catch (const common::job::Unrecoverable& e) {
    EXPECT_STREQ(e.what(), "input too wide: 300 px exceeds analyze.max_image_width 200");
  }
}

TEST(ImageFacts, AnImageOfMorePixelsThanTheLimitIsRefusedBeforeDecoding) {
  TempDir dir("image-facts");
  const auto path = dir / "large.png";
  writePng(path, 400, 300, redAndBlue);  // 0.12 megapixels
  try {
    read(path);
    FAIL() << "a 0.12 megapixel image passed a 0.1 megapixel limit";
  } catch (const common::job::Unrecoverable& e) {
    EXPECT_STREQ(e.what(),
                 "input too large: 0.12 megapixels exceeds analyze.max_image_megapixels 0.1");
  }
}

}  // namespace
}  // namespace warren::test
