// video:thumbnail and video:frames: still pictures in object storage that decode to the size
// asked for and show the picture a player shows at that time.
#include "Clips.h"
#include "MediaChecks.h"
#include "VideoHost.h"

#include <Poco/JSON/Array.h>

#include <gtest/gtest.h>

namespace warren::test {
namespace {

using Poco::JSON::Object;

Poco::JSON::Array::Ptr stills(const VideoJob& job, const std::string& list) {
  return job.result()->getArray(list);
}

void expectImage(const std::filesystem::path& file, const std::string& codec, int width,
                 int height) {
  SCOPED_TRACE(file.string());
  ASSERT_TRUE(std::filesystem::exists(file));
  const Object::Ptr image = streamOf(ffprobe(file), "video");
  ASSERT_TRUE(image);
  EXPECT_EQ(image->getValue<std::string>("codec_name"), codec);
  EXPECT_EQ(image->getValue<int>("width"), width);
  EXPECT_EQ(image->getValue<int>("height"), height);
}

TEST(VideoThumbnail, JpegsAtTheGivenTimesAndSize) {
  VideoHost host;
  host.put(clip("basic"), "uploads/basic.mp4");
  const VideoJob job =
      host.run("video:thumbnail",
               R"({"input":"uploads/basic.mp4","times_s":[0.5,2],"width":320,"height":180})");
  const auto list = stills(job, "thumbnails");
  ASSERT_EQ(list->size(), 2u);
  const std::vector<std::string> keys = {"video/job-1/thumb-001.jpg", "video/job-1/thumb-002.jpg"};
  const std::vector<double> times = {0.5, 2.0};
  for (unsigned i = 0; i < 2; ++i) {
    const Object::Ptr still = list->getObject(i);
    EXPECT_EQ(still->getValue<std::string>("key"), keys[i]);
    EXPECT_EQ(still->getValue<double>("time_s"), times[i]);
    EXPECT_EQ(still->getValue<int>("width"), 320);
    EXPECT_EQ(still->getValue<int>("height"), 180);
    expectImage(host.objectPath(keys[i]), "mjpeg", 320, 180);
    // The picture at that time (testsrc's counter changes every second).
    const std::string pixels = rgbPixels(host.objectPath(keys[i]), 64, 36);
    const std::string expected =
        rgbPixels(clip("basic"), 64, 36, times[i], "scale=320:178,pad=320:180:0:0");
    EXPECT_LT(meanDifference(pixels, expected), 12.0);
  }
  ASSERT_FALSE(job.progress.empty());
  EXPECT_EQ(job.progress.back(), "100");
}

TEST(VideoThumbnail, EvenlySpacedPngsKeepTheAspectFromOneSide) {
  VideoHost host;
  const VideoJob job =
      host.run("video:thumbnail", R"({"input":")" + fileUrl(clip("basic")) +
                                      R"(","count":3,"width":200,"format":"png"})");
  const auto list = stills(job, "thumbnails");
  ASSERT_EQ(list->size(), 3u);
  for (unsigned i = 0; i < 3; ++i) {
    const Object::Ptr still = list->getObject(i);
    EXPECT_EQ(still->getValue<int>("height"), 112);  // 200 * 359 / 641, rounded
    EXPECT_EQ(still->getValue<std::string>("key"),
              "video/job-1/thumb-00" + std::to_string(i + 1) + ".png");
    expectImage(host.objectPath(still->getValue<std::string>("key")), "png", 200, 112);
  }
  // Three evenly spaced times in a 3 s clip: the middles of its thirds.
  EXPECT_NEAR(list->getObject(0)->getValue<double>("time_s"), 0.5, 0.01);
  EXPECT_NEAR(list->getObject(2)->getValue<double>("time_s"), 2.5, 0.01);
}

TEST(VideoThumbnail, ShowsARotatedVideoUpright) {
  VideoHost host;
  const VideoJob job = host.run("video:thumbnail",
                                R"({"input":")" + fileUrl(clip("rotated")) + R"(","times_s":[1]})");
  const Object::Ptr still = stills(job, "thumbnails")->getObject(0);
  EXPECT_EQ(still->getValue<int>("width"), 240);
  EXPECT_EQ(still->getValue<int>("height"), 320);
  const auto file = host.objectPath("video/job-1/thumb-001.jpg");
  expectImage(file, "mjpeg", 240, 320);
  const std::string pixels = rgbPixels(file, 24, 32);
  // ffmpeg's own autorotation shows this; turned the other way it would be upside down.
  EXPECT_LT(meanDifference(pixels, rgbPixels(clip("rotated"), 24, 32, 1.0)), 10.0);
  EXPECT_GT(meanDifference(pixels, rgbPixels(clip("rotated"), 24, 32, 1.0, "hflip,vflip")), 20.0);
}

TEST(VideoThumbnail, ATimeBeyondTheEndFailsUnrecoverably) {
  VideoHost host;
  const VideoJob job = host.run(
      "video:thumbnail", R"({"input":")" + fileUrl(clip("silent")) + R"(","times_s":[1,9]})");
  EXPECT_EQ(job.outcome.outcome, WARREN_JOB_FAILED_UNRECOVERABLE);
  EXPECT_EQ(job.outcome.error, "invalid job data: time 9 s is beyond the end of the input (2 s)");
  EXPECT_TRUE(host.keys().empty());
}

TEST(VideoFrames, SamplesEvenlySpacedFramesForAnalysis) {
  VideoHost host;
  host.put(clip("basic"), "in/basic.mp4");
  const VideoJob job = host.run("video:frames", R"({"input":"in/basic.mp4","count":5})");
  const auto list = stills(job, "frames");
  ASSERT_EQ(list->size(), 5u);
  for (unsigned i = 0; i < 5; ++i) {
    const Object::Ptr frame = list->getObject(i);
    const std::string key = "video/job-1/frame-00" + std::to_string(i + 1) + ".jpg";
    EXPECT_EQ(frame->getValue<std::string>("key"), key);
    EXPECT_EQ(frame->getValue<int>("index"), static_cast<int>(i));
    EXPECT_NEAR(frame->getValue<double>("time_s"), 3.0 * (i + 0.5) / 5, 0.01);
    // Longest side at most max_side (512 by default), aspect kept: 641x359 -> 512x287.
    expectImage(host.objectPath(key), "mjpeg", 512, 287);
  }
  std::vector<std::string> expectedKeys = {"in/basic.mp4"};
  for (int i = 1; i <= 5; ++i)
    expectedKeys.push_back("video/job-1/frame-00" + std::to_string(i) + ".jpg");
  EXPECT_EQ(host.keys(), expectedKeys);
  EXPECT_TRUE(host.workLeftovers().empty());
}

TEST(VideoFrames, MaxSideBoundsTheLongestSide) {
  VideoHost host;
  const VideoJob job =
      host.run("video:frames", R"({"input":")" + fileUrl(clip("rotated")) +
                                   R"(","count":2,"max_side":160,"format":"png"})");
  const auto list = stills(job, "frames");
  ASSERT_EQ(list->size(), 2u);
  expectImage(host.objectPath("video/job-1/frame-001.png"), "png", 120, 160);
}

}  // namespace
}  // namespace warren::test
