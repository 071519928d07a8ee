// LinkedIn's "little text format" for post commentary: \ | { } @ [ ] ( ) < > # * _ ~ are
// reserved and must be backslash-escaped, or LinkedIn may cut the text at the first one.
#pragma once

#include <string>
#include <string_view>

namespace common::platform {

// Escapes every reserved character. With `keepHashtags`, the "#" of each hashtag (and the "_"
// inside one) stays as written so LinkedIn links the tag.
std::string escapeLittleText(std::string_view utf8, bool keepHashtags = true);

}  // namespace common::platform
