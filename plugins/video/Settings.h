// The plugin's config (declared in VideoPlugin.cpp), read once at init and shared read-only by
// concurrent jobs.
#pragma once

#include "media/Media.h"

#include <warren/plugin.hpp>

#include <cstdint>
#include <filesystem>
#include <string>

namespace video {

struct Settings {
  int threads = 1;  // encoder threads per job (decoders take at most 2)
  std::int64_t maxInputMb = 2048;
  std::int64_t maxDurationS = 900;
  int maxWidth = 3840;
  int maxHeight = 3840;
  std::filesystem::path tempDir;
  bool allowFileUrls = false;
  int crf = 23;
  std::string x264Preset = "veryfast";
  int maxFps = 30;
  int audioBitrateKbps = 128;
  std::string outputPrefix = "video/";
  int logLevel = 0;  // AV_LOG_*
  int maxFrames = 300;

  // The input limits as media::Media checks them.
  common::media::Limits limits() const {
    return common::media::Limits{static_cast<double>(maxDurationS),
                                 maxWidth,
                                 maxHeight,
                                 "video.max_duration_s",
                                 "video.max_width",
                                 "video.max_height",
                                 0,
                                 ""};
  }

  // Reads and range-checks every key; throws std::invalid_argument naming the key.
  static Settings from(const warren::Host& host);
};

// The config schema the descriptor declares.
extern const warren_config_key kConfigKeys[14];

}  // namespace video
