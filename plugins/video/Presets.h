// The named output shapes of video:transcode.
#pragma once

#include <string>
#include <string_view>

namespace video {

struct Preset {
  const char* name;
  int width;
  int height;
  int maxBitrateKbps;  // default VBV cap on top of CRF
};

// "vertical", "square", "landscape", "landscape_720"; nullptr when unknown.
const Preset* findPreset(std::string_view name);
// The names, for messages.
std::string presetNames();

}  // namespace video
