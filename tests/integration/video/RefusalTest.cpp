// Inputs and job data the plugin refuses: each fails unrecoverably (retrying cannot help) with a
// message a person can act on, and leaves no output and no work files behind.
#include "Clips.h"
#include "VideoHost.h"

#include "Paths.h"
#include "plugins/Library.h"

#include <gtest/gtest.h>

#include <fstream>

namespace warren::test {
namespace {

// Runs the job and checks it failed unrecoverably, leaving only the stored inputs behind.
std::string refused(VideoHost& host, const std::string& name, const std::string& data) {
  const std::vector<std::string> before = host.keys();
  const VideoJob job = host.run(name, data);
  EXPECT_EQ(job.outcome.outcome, WARREN_JOB_FAILED_UNRECOVERABLE) << job.describe();
  EXPECT_EQ(host.keys(), before) << "outputs were left in storage";
  EXPECT_TRUE(host.workLeftovers().empty()) << "work files were left behind";
  return job.outcome.error;
}

TEST(VideoRefusal, ATextFileNamedMp4) {
  VideoHost host;
  host.put(clip("text"), "uploads/notes.mp4");
  EXPECT_EQ(
      refused(host, "video:transcode", R"({"input":"uploads/notes.mp4","renditions":["square"]})"),
      "cannot read input 'uploads/notes.mp4': Invalid data found when processing input "
      "(not a supported video file, or corrupt or truncated)");
}

TEST(VideoRefusal, ATruncatedFileThatLostItsIndex) {
  VideoHost host;
  host.put(clip("truncated"), "uploads/cut.mp4");
  EXPECT_EQ(refused(host, "video:probe", R"({"input":"uploads/cut.mp4"})"),
            "cannot read input 'uploads/cut.mp4': Invalid data found when processing input "
            "(not a supported video file, or corrupt or truncated)");
}

TEST(VideoRefusal, ATruncatedFileWithItsIndexFirst) {
  VideoHost host;
  host.put(clip("truncated_faststart"), "uploads/cut.mp4");
  const std::string message =
      "input is truncated or corrupt: its video data stops before its announced end (3 s) in "
      "'uploads/cut.mp4'";
  EXPECT_EQ(
      refused(host, "video:transcode", R"({"input":"uploads/cut.mp4","renditions":["square"]})"),
      message);
  EXPECT_EQ(refused(host, "video:probe", R"({"input":"uploads/cut.mp4"})"), message);
  EXPECT_EQ(refused(host, "video:thumbnail", R"({"input":"uploads/cut.mp4","times_s":[0.5]})"),
            message);
}

TEST(VideoRefusal, AnAudioOnlyFile) {
  VideoHost host;
  host.put(clip("audio_only"), "uploads/song.m4a");
  const std::string message = "input is not a video: no video stream in 'uploads/song.m4a'";
  EXPECT_EQ(
      refused(host, "video:transcode", R"({"input":"uploads/song.m4a","renditions":["square"]})"),
      message);
  EXPECT_EQ(refused(host, "video:frames", R"({"input":"uploads/song.m4a"})"), message);
}

TEST(VideoRefusal, AnInputLongerThanMaxDuration) {
  VideoHost host(plugins::ConfigValues{{"max_duration_s", "2"}});
  EXPECT_EQ(refused(host, "video:transcode",
                    R"({"input":")" + fileUrl(clip("basic")) + R"(","renditions":["square"]})"),
            "input too long: 3 s exceeds video.max_duration_s 2");
}

TEST(VideoRefusal, AnInputWiderThanMaxWidth) {
  VideoHost host(plugins::ConfigValues{{"max_width", "640"}});
  EXPECT_EQ(refused(host, "video:thumbnail", R"({"input":")" + fileUrl(clip("basic")) + R"("})"),
            "input too wide: 641 px exceeds video.max_width 640");
}

TEST(VideoRefusal, AnInputTallerThanMaxHeightOnceTurnedUpright) {
  VideoHost host(plugins::ConfigValues{{"max_height", "300"}});  // stored 320x240, shown 240x320
  EXPECT_EQ(refused(host, "video:frames", R"({"input":")" + fileUrl(clip("rotated")) + R"("})"),
            "input too tall: 320 px exceeds video.max_height 300");
}

TEST(VideoRefusal, AnInputLargerThanMaxInputMbIsNotEvenDownloaded) {
  VideoHost host(plugins::ConfigValues{{"max_input_mb", "1"}});
  const auto big = host.objectPath("").parent_path() / "big.bin";
  std::ofstream(big, std::ios::binary) << std::string(1536 * 1024, 'x');
  host.put(big, "uploads/big.mp4");
  EXPECT_EQ(refused(host, "video:probe", R"({"input":"uploads/big.mp4"})"),
            "input too large: 'uploads/big.mp4' is 1.5 MB, more than video.max_input_mb 1");
}

TEST(VideoRefusal, AMissingStorageKey) {
  VideoHost host;
  EXPECT_EQ(refused(host, "video:probe", R"({"input":"uploads/none.mp4"})"),
            "input 'uploads/none.mp4' not found in object storage");
}

TEST(VideoRefusal, FileUrlsUnlessAllowed) {
  VideoHost host(plugins::ConfigValues{{"allow_file_urls", "false"}});
  EXPECT_EQ(refused(host, "video:probe", R"({"input":")" + fileUrl(clip("basic")) + R"("})"),
            "file:// inputs are disabled: set the video plugin's allow_file_urls to true "
            "(development only)");
}

// Data that fails a job type's schema (schemas/video-*.data.json) is refused by the host before
// the plugin runs, naming the field.
TEST(VideoRefusal, DataThatFailsItsSchema) {
  VideoHost host;
  EXPECT_EQ(refused(host, "video:probe", "{oops")
                .rfind("invalid job data for video:probe: /: not valid JSON (", 0),
            0u);
  EXPECT_EQ(refused(host, "video:probe", "[1]"),
            "invalid job data for video:probe: /: expected an object");
  EXPECT_EQ(refused(host, "video:probe", "{}"),
            "invalid job data for video:probe: /: missing required property 'input'");
  EXPECT_EQ(refused(host, "video:probe", R"({"input":"a.mp4","extra":1})"),
            "invalid job data for video:probe: /: unexpected property 'extra'");
  const std::string input = R"({"input":")" + fileUrl(clip("silent")) + R"(",)";
  EXPECT_EQ(refused(host, "video:transcode", input + R"("renditions":[]})"),
            "invalid job data for video:transcode: /renditions: must have at least 1 items");
  EXPECT_EQ(refused(host, "video:transcode", input + R"("renditions":["square"],"fit":"stretch"})"),
            "invalid job data for video:transcode: /fit: must be one of pad, crop, null");
  EXPECT_EQ(refused(host, "video:frames", input + R"("count":0})"),
            "invalid job data for video:frames: /count: must be >= 1");
  EXPECT_EQ(refused(host, "video:transcode", input + R"("renditions":["square"],"crf":52})"),
            "invalid job data for video:transcode: /crf: must be <= 51");
}

// What a schema cannot say is the plugin's to refuse.
TEST(VideoRefusal, DataTheSchemaCannotJudge) {
  VideoHost host;
  const std::string input = R"({"input":")" + fileUrl(clip("silent")) + R"(",)";
  EXPECT_EQ(refused(host, "video:transcode", input + R"("renditions":["square","square"]})"),
            "invalid job data: rendition name 'square' appears twice (give one a 'name')");
  EXPECT_EQ(refused(host, "video:transcode", input + R"("renditions":["square"],"start_s":5})"),
            "invalid job data: 'start_s' 5 s is not before the end of the input (2 s)");
  EXPECT_EQ(refused(host, "video:frames", input + R"("count":301})"),
            "invalid job data: 'count' must be a whole number from 1 to 300");
}

TEST(VideoConfig, OutOfRangeValuesRefuseToStart) {
  try {
    VideoHost host(plugins::ConfigValues{{"crf", "60"}});
    FAIL() << "the plugin started with crf 60";
  } catch (const plugins::PluginError& e) {
    EXPECT_STREQ(e.what(),
                 "plugin video 1.1.0: init failed: config key 'crf' must be from 0 to 51, not 60");
  }
}

}  // namespace
}  // namespace warren::test
