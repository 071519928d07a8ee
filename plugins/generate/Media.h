// The media attached to the posts and an alt text for each: the job's mediaKeys, or the
// analysed image or video itself. The analysed one's alt text is the analysis' description of
// what is seen (provider analyses), else its first summary sentence (which, offline, describes
// a picture without text by its measured facts); any other key gets a default naming the
// content ("Image: <title>", "Image about <topic>").
#pragma once

#include "Source.h"
#include "platform/Platform.h"

#include <optional>
#include <string>
#include <vector>

namespace generate {

inline constexpr std::size_t kMaxAltText = 1000;  // X's alt text limit, the smallest of them

struct Media {
  std::vector<std::string> keys;
  std::vector<std::string> altTexts;  // one per key
};

Media mediaFor(const Source& source, const std::optional<std::vector<std::string>>& keys);

// How many media one post takes on the platform (images; a video counts as one).
std::size_t maxMedia(common::platform::Platform platform);

}  // namespace generate
