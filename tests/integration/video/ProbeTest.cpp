// video:probe: what a user learns about an input before processing it.
#include "Clips.h"
#include "MediaChecks.h"
#include "VideoHost.h"

#include <Poco/JSON/Array.h>

#include <gtest/gtest.h>

namespace warren::test {
namespace {

using Poco::JSON::Object;

Object::Ptr streamOfType(const Object::Ptr& result, const std::string& type) {
  const auto streams = result->getArray("streams");
  for (unsigned i = 0; i < streams->size(); ++i) {
    if (streams->getObject(i)->getValue<std::string>("type") == type) return streams->getObject(i);
  }
  return nullptr;
}

void expectProgressEndsAt100(const VideoJob& job) {
  ASSERT_FALSE(job.progress.empty());
  EXPECT_EQ(job.progress.back(), "100");
}

TEST(VideoProbe, DescribesContainerAndStreamsOfAStoredInput) {
  VideoHost host;
  host.put(clip("basic"), "uploads/basic.mp4");
  const VideoJob job = host.run("video:probe", R"({"input":"uploads/basic.mp4"})");
  const Object::Ptr result = job.result();
  const Object::Ptr reference = ffprobe(clip("basic"));
  const Object::Ptr format = reference->getObject("format");

  EXPECT_EQ(result->getValue<std::string>("container"),
            format->getValue<std::string>("format_name"));
  EXPECT_NEAR(result->getValue<double>("duration_s"),
              std::stod(format->getValue<std::string>("duration")), 0.001);
  EXPECT_EQ(result->getValue<double>("size_bytes"),
            static_cast<double>(std::filesystem::file_size(clip("basic"))));
  EXPECT_TRUE(result->getValue<bool>("has_video"));
  EXPECT_TRUE(result->getValue<bool>("has_audio"));

  const Object::Ptr video = streamOfType(result, "video");
  ASSERT_TRUE(video);
  EXPECT_EQ(video->getValue<std::string>("codec"), "h264");
  EXPECT_EQ(video->getValue<std::string>("profile"), "High 4:4:4 Predictive");
  EXPECT_EQ(video->getValue<int>("width"), 641);
  EXPECT_EQ(video->getValue<int>("height"), 359);
  EXPECT_EQ(video->getValue<int>("rotation"), 0);
  EXPECT_EQ(video->getValue<double>("fps"), 30.0);
  EXPECT_EQ(video->getValue<std::string>("pixel_format"), "yuv444p");
  EXPECT_EQ(video->getValue<double>("bit_rate"),
            std::stod(streamOf(reference, "video")->getValue<std::string>("bit_rate")));

  const Object::Ptr audio = streamOfType(result, "audio");
  ASSERT_TRUE(audio);
  EXPECT_EQ(audio->getValue<std::string>("codec"), "aac");
  EXPECT_EQ(audio->getValue<std::string>("profile"), "LC");
  EXPECT_EQ(audio->getValue<int>("sample_rate"), 44100);
  EXPECT_EQ(audio->getValue<int>("channels"), 1);
  EXPECT_EQ(audio->getValue<std::string>("channel_layout"), "mono");
  expectProgressEndsAt100(job);
}

TEST(VideoProbe, ReportsTheRotationAPlayerApplies) {
  VideoHost host;
  const VideoJob job =
      host.run("video:probe", R"({"input":")" + fileUrl(clip("rotated")) + R"("})");
  const Object::Ptr video = streamOfType(job.result(), "video");
  ASSERT_TRUE(video);
  // ffprobe reports the display matrix's counter-clockwise angle; the plugin reports the
  // clockwise turn a player makes, so the two add up to a full turn.
  const auto sideData = streamOf(ffprobe(clip("rotated")), "video")->getArray("side_data_list");
  const int counterClockwise = sideData->getObject(0)->getValue<int>("rotation");
  ASSERT_NE(counterClockwise, 0);
  EXPECT_EQ(video->getValue<int>("rotation"), (360 - counterClockwise) % 360);
  EXPECT_EQ(video->getValue<int>("width"), 320);
  EXPECT_EQ(video->getValue<int>("height"), 240);
  EXPECT_EQ(video->getValue<int>("display_width"), 240);
  EXPECT_EQ(video->getValue<int>("display_height"), 320);
}

TEST(VideoProbe, DescribesAnAudioOnlyFileAsHavingNoVideo) {
  VideoHost host;
  const VideoJob job =
      host.run("video:probe", R"({"input":")" + fileUrl(clip("audio_only")) + R"("})");
  const Object::Ptr result = job.result();
  EXPECT_FALSE(result->getValue<bool>("has_video"));
  EXPECT_TRUE(result->getValue<bool>("has_audio"));
  EXPECT_EQ(result->getArray("streams")->size(), 1u);
  EXPECT_FALSE(streamOfType(result, "video"));
}

TEST(VideoProbe, ReportsTheAverageRateOfAVariableFrameRateClip) {
  VideoHost host;
  const VideoJob job = host.run("video:probe", R"({"input":")" + fileUrl(clip("vfr")) + R"("})");
  const Object::Ptr video = streamOfType(job.result(), "video");
  ASSERT_TRUE(video);
  // 30 frames in the first second, then 10 a second: the average, as ffprobe computes it.
  const std::string rate =
      streamOf(ffprobe(clip("vfr")), "video")->getValue<std::string>("avg_frame_rate");
  const double expected =
      std::stod(rate.substr(0, rate.find('/'))) / std::stod(rate.substr(rate.find('/') + 1));
  EXPECT_NEAR(video->getValue<double>("fps"), expected, 0.001);
  EXPECT_LT(video->getValue<double>("fps"), 20.0);
}

}  // namespace
}  // namespace warren::test
