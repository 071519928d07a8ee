// Links, mentions and hashtags as each platform recognises them, and Bluesky's facets.
#pragma once

#include "platform/Platform.h"

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace common::platform {

struct Span {
  std::size_t byteStart;  // inclusive, UTF-8 bytes
  std::size_t byteEnd;    // exclusive
  std::string text;       // the span's text as written
};

// Links the platform turns into links: with a scheme, "www." or a bare domain on X, Bluesky and
// LinkedIn; http(s) only on Mastodon, Threads, Instagram and Facebook.
std::vector<Span> findLinks(std::string_view utf8, Platform platform);

// Mentions by each platform's habit: X "@name" (1-15 of A-Z a-z 0-9 _); Bluesky "@handle" with
// a domain ("@alice.bsky.social"); Mastodon "@user@instance" or else "@user" ("@alice.bsky.social"
// is "@alice" there); Threads and Instagram
// "@name" (1-30 of letters, digits, "." and "_"); none on LinkedIn (mentions there are
// structured "@[Name](urn)") and Facebook.
std::vector<Span> findMentions(std::string_view utf8, Platform platform);

// "#tag" on every platform (text::findHashtags); `text` keeps the "#".
std::vector<Span> findHashtags(std::string_view utf8);

// app.bsky.richtext.facet entries for a post's final text.
struct Facet {
  std::size_t byteStart;
  std::size_t byteEnd;
  std::string type;   // "app.bsky.richtext.facet#link" | "#mention" | "#tag" (full $type)
  std::string value;  // link: uri ("https://" added to bare domains); mention: the handle
                      // without "@" (the publisher resolves it to a DID); tag: without "#"
};

// Facets of links, mentions and tags, in text order; tags longer than 64 graphemes are left
// as plain text (the lexicon's limit).
std::vector<Facet> blueskyFacets(std::string_view utf8);

}  // namespace common::platform
