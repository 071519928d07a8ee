// Links, mentions and hashtags in a post's text with their UTF-8 byte ranges, for Bluesky's
// richtext facets (external-apis.md §5.2: facets are never detected by the server).
//
// A local stand-in until plugins/common/platform provides the shared implementation.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace publish::text {

struct Facet {
  enum class Kind { link, mention, tag };
  Kind kind = Kind::link;
  std::size_t byteStart = 0;  // inclusive
  std::size_t byteEnd = 0;    // exclusive
  std::string value;          // the URL, the handle (without '@') or the tag (without '#')
};

// In text order. A link is http(s)://... up to white space, without trailing punctuation; a
// mention is @handle with at least one dot; a tag is #word (not only digits, at most 64
// characters), each starting the text or after white space or an opening bracket.
std::vector<Facet> findFacets(const std::string& text);

}  // namespace publish::text
