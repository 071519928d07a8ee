#include "Presets.h"

namespace video {
namespace {

constexpr Preset kPresets[] = {
    {"vertical", 1080, 1920, 8000},      // Reels, TikTok, Shorts
    {"square", 1080, 1080, 6000},        // feed posts
    {"landscape", 1920, 1080, 8000},     // 1080p
    {"landscape_720", 1280, 720, 5000},  // 720p
};

}  // namespace

const Preset* findPreset(std::string_view name) {
  for (const Preset& preset : kPresets) {
    if (name == preset.name) return &preset;
  }
  return nullptr;
}

std::string presetNames() {
  std::string out;
  for (const Preset& preset : kPresets) {
    if (!out.empty()) out += ", ";
    out += preset.name;
  }
  return out;
}

}  // namespace video
