#include "Settings.h"

extern "C" {
#include <libavutil/log.h>
}

#include <algorithm>
#include <stdexcept>
#include <string_view>
#include <thread>

namespace video {

const warren_config_key kConfigKeys[14] = {
    warren::configKey(
        "threads", WARREN_CONFIG_INT, "0", false,
        "Encoder threads per job (1-8; decoders use up to 2); 0 = this node's cores, at most 8"),
    warren::configKey("max_input_mb", WARREN_CONFIG_INT, "2048", false,
                      "Inputs larger than this (MB) fail unrecoverably before download"),
    warren::configKey("max_duration_s", WARREN_CONFIG_INT, "900", false,
                      "Inputs longer than this (seconds) fail unrecoverably"),
    warren::configKey("max_width", WARREN_CONFIG_INT, "3840", false,
                      "Inputs wider than this (pixels, as displayed) fail unrecoverably"),
    warren::configKey("max_height", WARREN_CONFIG_INT, "3840", false,
                      "Inputs taller than this (pixels, as displayed) fail unrecoverably"),
    warren::configKey("temp_dir", WARREN_CONFIG_STRING, "", false,
                      "Where job work directories go; empty = the system temp directory"),
    warren::configKey("allow_file_urls", WARREN_CONFIG_BOOL, "false", false,
                      "Accept file:///abs/path inputs (development only)"),
    warren::configKey("crf", WARREN_CONFIG_INT, "23", false,
                      "Default x264 CRF (0-51, lower is better quality)"),
    warren::configKey("x264_preset", WARREN_CONFIG_STRING, "veryfast", false,
                      "x264 speed preset (ultrafast ... veryslow)"),
    warren::configKey("max_fps", WARREN_CONFIG_INT, "30", false,
                      "Default frame rate cap of transcodes"),
    warren::configKey("audio_bitrate_kbps", WARREN_CONFIG_INT, "128", false,
                      "AAC bit rate of transcodes"),
    warren::configKey("output_prefix", WARREN_CONFIG_STRING, "video/", false,
                      "Storage key prefix of outputs; the job id and '/' follow it"),
    warren::configKey("ffmpeg_log_level", WARREN_CONFIG_STRING, "quiet", false,
                      "FFmpeg's own stderr logging: quiet, error, warning or info"),
    warren::configKey("max_frames", WARREN_CONFIG_INT, "300", false,
                      "Most stills one thumbnail or frames job may ask for"),
};

namespace {

constexpr int kMaxThreads = 8;

std::int64_t ranged(const warren::Host& host, const char* key, std::int64_t low,
                    std::int64_t high) {
  const std::int64_t value = host.getInt(key);
  if (value < low || value > high) {
    throw std::invalid_argument("config key '" + std::string(key) + "' must be from " +
                                std::to_string(low) + " to " + std::to_string(high) + ", not " +
                                std::to_string(value));
  }
  return value;
}

int logLevelOf(const std::string& name) {
  if (name == "quiet") return AV_LOG_QUIET;
  if (name == "error") return AV_LOG_ERROR;
  if (name == "warning") return AV_LOG_WARNING;
  if (name == "info") return AV_LOG_INFO;
  throw std::invalid_argument(
      "config key 'ffmpeg_log_level' must be quiet, error, warning or "
      "info, not '" +
      name + "'");
}

void checkPreset(const std::string& preset) {
  for (const std::string_view known : {"ultrafast", "superfast", "veryfast", "faster", "fast",
                                       "medium", "slow", "slower", "veryslow"}) {
    if (preset == known) return;
  }
  throw std::invalid_argument(
      "config key 'x264_preset' must be an x264 preset (ultrafast, "
      "superfast, veryfast, faster, fast, medium, slow, slower, "
      "veryslow), not '" +
      preset + "'");
}

}  // namespace

Settings Settings::from(const warren::Host& host) {
  Settings s;
  // More threads buy little speed at these sizes and cost a frame set each (see README).
  s.threads = static_cast<int>(ranged(host, "threads", 0, kMaxThreads));
  if (s.threads == 0) {
    s.threads = static_cast<int>(std::clamp(std::thread::hardware_concurrency(), 1u, 8u));
  }
  s.maxInputMb = ranged(host, "max_input_mb", 1, 1 << 20);
  s.maxDurationS = ranged(host, "max_duration_s", 1, 24 * 3600);
  s.maxWidth = static_cast<int>(ranged(host, "max_width", 16, 16384));
  s.maxHeight = static_cast<int>(ranged(host, "max_height", 16, 16384));
  const std::string temp = host.getString("temp_dir");
  s.tempDir = temp.empty() ? std::filesystem::temp_directory_path() : std::filesystem::path(temp);
  if (!std::filesystem::is_directory(s.tempDir)) {
    throw std::invalid_argument("config key 'temp_dir': '" + s.tempDir.string() +
                                "' is not a directory");
  }
  s.allowFileUrls = host.getBool("allow_file_urls");
  s.crf = static_cast<int>(ranged(host, "crf", 0, 51));
  s.x264Preset = host.getString("x264_preset", "veryfast");
  checkPreset(s.x264Preset);
  s.maxFps = static_cast<int>(ranged(host, "max_fps", 1, 120));
  s.audioBitrateKbps = static_cast<int>(ranged(host, "audio_bitrate_kbps", 32, 512));
  s.outputPrefix = host.getString("output_prefix", "video/");
  s.logLevel = logLevelOf(host.getString("ffmpeg_log_level", "quiet"));
  s.maxFrames = static_cast<int>(ranged(host, "max_frames", 1, 10000));
  return s;
}

}  // namespace video
