// Where a text may be cut for threads and shortening (internal to platform/).
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

namespace common::platform::detail {

// Byte offsets just after each word of `utf8` at which a cut keeps words, graphemes, links,
// mentions, hashtags and e-mail addresses whole; ascending.
std::vector<std::size_t> wordEnds(std::string_view utf8);

// The text up to `end` without trailing white space and clause punctuation (",", ";", ":").
std::string_view trimCut(std::string_view utf8, std::size_t end);

}  // namespace common::platform::detail
