// Splitting a long text into a thread whose every part fits the platform's rule.
#pragma once

#include "platform/Platform.h"

#include <string>
#include <string_view>
#include <vector>

namespace common::platform {

struct ThreadOptions {
  bool numbering = true;  // append " k/n" to each part of a thread of two or more; it counts
};

// Parts in order. A text that fits is one part, unnumbered. Otherwise parts are filled with
// whole sentences (ICU), a sentence too long for one part is cut between words (white space,
// or ICU word boundaries in text written without spaces), never inside a word, grapheme,
// link, mention or hashtag. Throws PlatformError when one word alone cannot fit.
std::vector<std::string> splitThread(std::string_view utf8, const Rules& rules,
                                     const ThreadOptions& options = {});

}  // namespace common::platform
