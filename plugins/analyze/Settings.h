// The analyze plugin's config (declared in AnalyzePlugin.cpp), read once at init and shared
// read-only by concurrent jobs.
#pragma once

#include "media/Media.h"

#include <warren/plugin.hpp>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace analyze {

struct Settings {
  std::int64_t maxTextBytes = 10ll << 20;  // text material: in the job, in storage, at a URL
  std::int64_t maxImageBytes = 50ll << 20;
  std::int64_t maxVideoBytes = 500ll << 20;
  common::media::Limits imageLimits;
  common::media::Limits videoLimits;
  int frames = 6;                          // frames sampled from a video
  int frameSide = 512;                     // the longest side of a frame sent to the provider
  int colours = 5;                         // dominant colours reported
  std::size_t maxAnalysedChars = 1000000;  // of a text, by either method
  std::size_t maxPromptChars = 48000;
  int maxTokens = 1500;
  double temperature = 0.2;
  std::string model;  // "": the queue's model (queue.NAME.ai.model) or the provider's default
  std::uint32_t fetchTimeoutMs = 15000;
  int maxRedirects = 5;
  std::vector<std::string> bannedTerms;  // lower case
  std::filesystem::path tempDir;

  // Reads and range-checks every key; throws std::invalid_argument naming the key.
  static Settings from(const warren::Host& host);
};

extern const warren_config_key kConfigKeys[21];

}  // namespace analyze
