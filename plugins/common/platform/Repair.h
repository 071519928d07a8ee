// Deterministic shortening of a text that is too long for a platform.
#pragma once

#include "platform/Platform.h"

#include <string>
#include <string_view>

namespace common::platform {

struct ShortenOptions {
  std::string ellipsis = "\xE2\x80\xA6";  // "…", counted by the platform's rule
  std::string keep;  // appended unchanged after the shortened text (" #Tag https://..."), if any
};

// `utf8` + keep when it fits. Otherwise drops trailing sentences while that is enough (no
// ellipsis: the text still ends on a sentence); else cuts the first sentence after its last
// word that fits and adds the ellipsis. Cuts are never inside a word, grapheme, link, mention
// or hashtag. Throws PlatformError when not even one word fits with `keep`.
std::string shortenToFit(std::string_view utf8, const Rules& rules,
                         const ShortenOptions& options = {});

}  // namespace common::platform
