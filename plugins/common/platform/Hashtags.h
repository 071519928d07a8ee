// Hashtags formatted for a platform: "#CamelCase" from key phrases (text/Hashtags.h), at most
// the platform's cap. Caps: Instagram 30 (documented); Threads 1 (one topic tag per post,
// unconfirmed); the others' habits, as no cap is documented: X 2, Bluesky 3, Facebook 3,
// Mastodon 5, LinkedIn 5.
#pragma once

#include "platform/Platform.h"

#include <string>
#include <string_view>
#include <vector>

namespace common::platform {

std::vector<std::string> formatHashtags(const std::vector<std::string>& phrases, const Rules& rules,
                                        std::string_view language = {});

// Bluesky tag facets take at most 64 graphemes; other platforms have no documented tag length,
// so tags are kept under 40 code points ("#" included) everywhere else.
std::size_t maxHashtagLength(Platform platform);

}  // namespace common::platform
