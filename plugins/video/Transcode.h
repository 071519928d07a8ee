// video:transcode: one decode feeding every requested rendition (H.264 + AAC in MP4).
#pragma once

#include "JobScope.h"
#include "Json.h"
#include "Presets.h"
#include "Shared.h"

#include "media/Geometry.h"

#include <string>
#include <vector>

namespace video {

struct Rendition {
  std::string name;  // the output file is <output_prefix><name>.mp4
  const Preset* preset = nullptr;
  Fit fit = Fit::Pad;
  int crf = 23;
  int maxBitrateKbps = 0;
};

struct TranscodeRequest {
  std::vector<Rendition> renditions;
  double startS = 0;
  double durationS = -1;  // negative: to the end
  int maxFps = 30;
};

// Parses and checks the job data (before anything is downloaded).
TranscodeRequest parseTranscode(const Json& data, const Settings& settings);

Json transcode(JobScope& scope, const Json& data);

}  // namespace video
