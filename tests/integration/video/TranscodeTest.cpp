// video:transcode: renditions a user can post as they are (size, codecs, faststart, audio,
// duration), written to object storage under the job's prefix.
#include "Clips.h"
#include "MediaChecks.h"
#include "VideoHost.h"

#include <Poco/JSON/Array.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

namespace warren::test {
namespace {

using Poco::JSON::Object;

double fraction(const std::string& rate) {
  const auto slash = rate.find('/');
  return std::stod(rate.substr(0, slash)) / std::stod(rate.substr(slash + 1));
}

double durationOf(const Object::Ptr& stream) {
  return std::stod(stream->getValue<std::string>("duration"));
}

Object::Ptr rendition(const VideoJob& job, unsigned index) {
  return job.result()->getArray("renditions")->getObject(index);
}

bool boxBefore(const std::vector<std::string>& boxes, const std::string& a, const std::string& b) {
  const auto ia = std::find(boxes.begin(), boxes.end(), a);
  const auto ib = std::find(boxes.begin(), boxes.end(), b);
  return ia != boxes.end() && ib != boxes.end() && ia < ib;
}

// Mean brightness (0..255) of row `y` of an RGB24 picture `width` pixels wide.
double rowBrightness(const std::string& rgb, int width, int y) {
  double total = 0;
  const auto start = static_cast<std::size_t>(y) * static_cast<std::size_t>(width) * 3;
  for (std::size_t i = 0; i < static_cast<std::size_t>(width) * 3; ++i) {
    total += static_cast<unsigned char>(rgb[start + i]);
  }
  return total / (width * 3.0);
}

void expectProgressRisesTo100(const VideoJob& job) {
  ASSERT_GE(job.progress.size(), 3u) << "too few progress reports";
  int last = -1;
  for (const std::string& p : job.progress) {
    EXPECT_GT(std::stoi(p), last) << "progress went backwards";
    last = std::stoi(p);
  }
  EXPECT_EQ(job.progress.back(), "100");
}

TEST(VideoTranscode, VerticalRenditionOfAnOddSizedClipWithAudio) {
  VideoHost host;
  host.put(clip("basic"), "uploads/basic.mp4");
  const VideoJob job =
      host.run("video:transcode", R"({"input":"uploads/basic.mp4","renditions":["vertical"]})");
  const Object::Ptr out = rendition(job, 0);
  EXPECT_EQ(out->getValue<std::string>("key"), "video/job-1/vertical.mp4");
  EXPECT_EQ(out->getValue<std::string>("name"), "vertical");
  EXPECT_EQ(out->getValue<int>("width"), 1080);
  EXPECT_EQ(out->getValue<int>("height"), 1920);
  EXPECT_EQ(out->getValue<std::string>("video_codec"), "h264");
  EXPECT_EQ(out->getValue<std::string>("audio_codec"), "aac");

  const auto file = host.objectPath("video/job-1/vertical.mp4");
  ASSERT_TRUE(std::filesystem::exists(file));
  EXPECT_EQ(out->getValue<double>("size_bytes"),
            static_cast<double>(std::filesystem::file_size(file)));
  const Object::Ptr probe = ffprobe(file);
  const Object::Ptr video = streamOf(probe, "video");
  ASSERT_TRUE(video);
  EXPECT_EQ(video->getValue<std::string>("codec_name"), "h264");
  EXPECT_EQ(video->getValue<std::string>("profile"), "High");
  EXPECT_EQ(video->getValue<std::string>("pix_fmt"), "yuv420p");
  EXPECT_EQ(video->getValue<int>("width"), 1080);
  EXPECT_EQ(video->getValue<int>("height"), 1920);
  const Object::Ptr audio = streamOf(probe, "audio");
  ASSERT_TRUE(audio) << "the input had audio";
  EXPECT_EQ(audio->getValue<std::string>("codec_name"), "aac");
  EXPECT_EQ(audio->getValue<int>("channels"), 2);
  EXPECT_EQ(audio->getValue<std::string>("sample_rate"), "48000");

  const double inputDuration = durationOf(streamOf(ffprobe(clip("basic")), "video"));
  EXPECT_NEAR(durationOf(video), inputDuration, 1.0 / 30);
  EXPECT_EQ(countFrames(file), 90);
  EXPECT_NEAR(out->getValue<double>("duration_s"), inputDuration, 1.0 / 30 + 0.05);
  EXPECT_TRUE(boxBefore(topLevelBoxes(file), "moov", "mdat")) << "not faststart";
  expectProgressRisesTo100(job);
  EXPECT_EQ(job.logs,
            std::vector<std::string>{
                "transcoding 'uploads/basic.mp4' (641x359 h264, 3 s, audio) to vertical"});
  EXPECT_TRUE(host.workLeftovers().empty());
}

TEST(VideoTranscode, EveryPresetInOneJobWithoutAudio) {
  VideoHost host;
  const VideoJob job = host.run(
      "video:transcode",
      R"({"input":")" + fileUrl(clip("silent")) +
          R"(","max_fps":10,"renditions":["vertical","square","landscape","landscape_720"]})");
  const std::vector<std::pair<int, int>> sizes = {
      {1080, 1920}, {1080, 1080}, {1920, 1080}, {1280, 720}};
  const std::vector<std::string> names = {"vertical", "square", "landscape", "landscape_720"};
  for (unsigned i = 0; i < names.size(); ++i) {
    SCOPED_TRACE(names[i]);
    const Object::Ptr out = rendition(job, i);
    EXPECT_EQ(out->getValue<std::string>("key"), "video/job-1/" + names[i] + ".mp4");
    const Object::Ptr probe = ffprobe(host.objectPath("video/job-1/" + names[i] + ".mp4"));
    const Object::Ptr video = streamOf(probe, "video");
    ASSERT_TRUE(video);
    EXPECT_EQ(video->getValue<int>("width"), sizes[i].first);
    EXPECT_EQ(video->getValue<int>("height"), sizes[i].second);
    EXPECT_EQ(video->getValue<std::string>("r_frame_rate"), "10/1");
    EXPECT_FALSE(streamOf(probe, "audio")) << "the input had no audio";
    EXPECT_TRUE(out->isNull("audio_codec"));
  }
}

TEST(VideoTranscode, PadLetterboxesAndCropFills) {
  VideoHost host;
  const VideoJob job =
      host.run("video:transcode",
               R"({"input":")" + fileUrl(clip("silent")) +
                   R"(","max_fps":10,"renditions":[{"preset":"vertical","name":"padded"},)"
                   R"({"preset":"vertical","name":"cropped","fit":"crop"}]})");
  ASSERT_EQ(job.outcome.outcome, WARREN_JOB_COMPLETED) << job.describe();
  // A landscape picture in a portrait frame: black bars above and below when padded.
  const std::string padded = rgbPixels(host.objectPath("video/job-1/padded.mp4"), 54, 96, 1.0);
  const std::string cropped = rgbPixels(host.objectPath("video/job-1/cropped.mp4"), 54, 96, 1.0);
  EXPECT_LT(rowBrightness(padded, 54, 2), 8.0);
  EXPECT_LT(rowBrightness(padded, 54, 93), 8.0);
  EXPECT_GT(rowBrightness(cropped, 54, 2), 40.0);
  EXPECT_GT(rowBrightness(cropped, 54, 93), 40.0);
}

TEST(VideoTranscode, AppliesTheRotationOfThePicture) {
  VideoHost host;
  const VideoJob job =
      host.run("video:transcode", R"({"input":")" + fileUrl(clip("rotated")) +
                                      R"(","max_fps":10,"renditions":["vertical"]})");
  ASSERT_EQ(job.outcome.outcome, WARREN_JOB_COMPLETED) << job.describe();
  const auto file = host.objectPath("video/job-1/vertical.mp4");
  const Object::Ptr video = streamOf(ffprobe(file), "video");
  EXPECT_FALSE(video->has("side_data_list")) << "the output must carry no rotation of its own";
  // Upright the clip is 240x320 (3:4): in 1080x1920 it fills rows 240..1680. Left lying (4:3)
  // it would only fill rows 555..1365, leaving row 300 (15 of 96) black.
  const std::string pixels = rgbPixels(file, 54, 96, 1.0);
  EXPECT_GT(rowBrightness(pixels, 54, 15), 40.0);
  EXPECT_LT(rowBrightness(pixels, 54, 2), 8.0);
  // And it is the picture ffmpeg's own autorotation shows, not the one turned the other way.
  const std::string expected =
      rgbPixels(clip("rotated"), 54, 96, 1.0, "scale=1080:1440,pad=1080:1920:0:240");
  const std::string otherWay =
      rgbPixels(clip("rotated"), 54, 96, 1.0, "hflip,vflip,scale=1080:1440,pad=1080:1920:0:240");
  EXPECT_LT(meanDifference(pixels, expected), 10.0);
  EXPECT_GT(meanDifference(pixels, otherWay), 20.0);
}

TEST(VideoTranscode, TrimsToStartAndDuration) {
  VideoHost host;
  const VideoJob job = host.run(
      "video:transcode", R"({"input":")" + fileUrl(clip("basic")) +
                             R"(","start_s":1,"duration_s":1.5,"renditions":["landscape_720"]})");
  ASSERT_EQ(job.outcome.outcome, WARREN_JOB_COMPLETED) << job.describe();
  const auto file = host.objectPath("video/job-1/landscape_720.mp4");
  const Object::Ptr probe = ffprobe(file);
  EXPECT_NEAR(durationOf(streamOf(probe, "video")), 1.5, 1.0 / 30);
  ASSERT_TRUE(streamOf(probe, "audio"));
  EXPECT_NEAR(durationOf(streamOf(probe, "audio")), 1.5, 0.05);
  EXPECT_EQ(countFrames(file), 45);
  // testsrc draws a clock: the first picture must be the one at 1 s, not the one at 0 s.
  const std::string first = rgbPixels(file, 64, 36);
  EXPECT_LT(meanDifference(first, rgbPixels(clip("basic"), 64, 36, 1.0)), 6.0);
  EXPECT_GT(meanDifference(first, rgbPixels(clip("basic"), 64, 36, 0.0)),
            meanDifference(first, rgbPixels(clip("basic"), 64, 36, 1.0)));
}

TEST(VideoTranscode, CapsTheFrameRate) {
  VideoHost host;
  const VideoJob job =
      host.run("video:transcode", R"({"input":")" + fileUrl(clip("basic")) +
                                      R"(","max_fps":15,"renditions":["square"]})");
  ASSERT_EQ(job.outcome.outcome, WARREN_JOB_COMPLETED) << job.describe();
  const auto file = host.objectPath("video/job-1/square.mp4");
  const Object::Ptr video = streamOf(ffprobe(file), "video");
  EXPECT_EQ(video->getValue<std::string>("r_frame_rate"), "15/1");
  EXPECT_EQ(countFrames(file), 45);
  EXPECT_EQ(rendition(job, 0)->getValue<double>("fps"), 15.0);
}

TEST(VideoTranscode, VariableFrameRateBecomesConstant) {
  VideoHost host;
  const VideoJob job = host.run("video:transcode", R"({"input":")" + fileUrl(clip("vfr")) +
                                                       R"(","renditions":["landscape_720"]})");
  ASSERT_EQ(job.outcome.outcome, WARREN_JOB_COMPLETED) << job.describe();
  const auto file = host.objectPath("video/job-1/landscape_720.mp4");
  const Object::Ptr video = streamOf(ffprobe(file), "video");
  const double rate = fraction(video->getValue<std::string>("avg_frame_rate"));
  EXPECT_NEAR(rate, fraction(video->getValue<std::string>("r_frame_rate")), 0.01);
  const double inputDuration = durationOf(streamOf(ffprobe(clip("vfr")), "video"));
  EXPECT_NEAR(durationOf(video), inputDuration, 1.0 / rate);
  EXPECT_NEAR(static_cast<double>(countFrames(file)), durationOf(video) * rate, 1.0);
}

TEST(VideoTranscode, WritesUnderTheGivenOutputPrefix) {
  VideoHost host;
  const VideoJob job = host.run(
      "video:transcode",
      R"({"input":")" + fileUrl(clip("silent")) +
          R"(","output_prefix":"posts/42/","max_fps":5,"crf":35,"renditions":["landscape_720"]})");
  ASSERT_EQ(job.outcome.outcome, WARREN_JOB_COMPLETED) << job.describe();
  EXPECT_EQ(host.keys(), std::vector<std::string>{"posts/42/landscape_720.mp4"});
}

}  // namespace
}  // namespace warren::test
