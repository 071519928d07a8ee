// Media checked against a platform's limits before anything is uploaded: the failure says
// which file, which limit and by how much.
#include "job/Failure.h"
#include "media/MediaFile.h"

#include <gtest/gtest.h>

namespace {

using publish::platforms::Limits;
using publish::platforms::MediaItem;

MediaItem image(const std::string& key, std::int64_t size, int w = 100, int h = 100) {
  MediaItem m;
  m.key = key;
  m.mime = "image/png";
  m.size = size;
  m.width = w;
  m.height = h;
  return m;
}

MediaItem video(const std::string& key, double seconds) {
  MediaItem m;
  m.key = key;
  m.mime = "video/mp4";
  m.video = true;
  m.size = 1000;
  m.width = 1280;
  m.height = 720;
  m.durationS = seconds;
  return m;
}

template <typename Fn>
std::string refusal(Fn&& fn) {
  try {
    fn();
  } catch (const common::job::Unrecoverable& e) {
    return e.what();
  }
  return "accepted";
}

Limits bluesky() {
  Limits l;
  l.maxImages = 4;
  l.maxVideos = 1;
  l.maxImageBytes = 2000000;
  l.maxVideoSeconds = 180;
  l.imageTypes = {"image/png", "image/jpeg"};
  l.videoTypes = {"video/mp4"};
  return l;
}

TEST(MediaLimits, CountsPerPost) {
  std::vector<MediaItem> five(5, image("a.png", 10));
  EXPECT_EQ(refusal([&] { publish::media::checkCount(five, bluesky(), "bluesky"); }),
            "bluesky takes at most 4 images per post; the post has 5");
  std::vector<MediaItem> mixed = {image("a.png", 10), video("b.mp4", 3)};
  EXPECT_EQ(refusal([&] { publish::media::checkCount(mixed, bluesky(), "bluesky"); }),
            "bluesky does not mix images and video in one post");
}

TEST(MediaLimits, SizeTypeDurationAndAspect) {
  EXPECT_EQ(
      refusal([&] { publish::media::checkItem(image("big.png", 2500000), bluesky(), "bluesky"); }),
      "media 'big.png' is 2.5 MB; bluesky takes images up to 2.0 MB");
  MediaItem gif = image("a.gif", 10);
  gif.mime = "image/gif";
  EXPECT_EQ(refusal([&] { publish::media::checkItem(gif, bluesky(), "bluesky"); }),
            "media 'a.gif' is image/gif; bluesky takes image/png, image/jpeg");
  EXPECT_EQ(
      refusal([&] { publish::media::checkItem(video("long.mp4", 200.5), bluesky(), "bluesky"); }),
      "media 'long.mp4' lasts 200.50 s; bluesky takes videos up to 180.00 s");
  Limits x = bluesky();
  x.minAspect = 1.0 / 3;
  x.maxAspect = 3;
  EXPECT_EQ(refusal([&] { publish::media::checkItem(image("tall.png", 10, 100, 400), x, "x"); }),
            "media 'tall.png' is 100x400 (aspect 0.25); x takes aspects from 0.33 to 3.00");
  EXPECT_EQ(refusal([&] { publish::media::checkItem(image("ok.png", 10), x, "x"); }), "accepted");
}

}  // namespace
