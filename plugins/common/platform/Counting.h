// Each platform's own way of counting a post's length (../shared/docs/external-apis.md §9).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace common::platform {

// X (twitter-text v3): the text is NFC-normalised; code points U+0000-U+10FF, U+2000-U+200D,
// U+2010-U+201F and U+2032-U+2037 weigh 1, all others 2; an emoji (a whole sequence: ZWJ,
// skin tones, flags, keycaps) weighs 2; every URL (with or without scheme) weighs 23.
std::size_t xWeightedLength(std::string_view utf8);

// Bluesky: extended grapheme clusters (links count in full; bytes are checked separately).
std::size_t blueskyGraphemes(std::string_view utf8);

// Mastodon: code points, with every http(s) URL as 23 and a mention as its "@user" part only
// ("@alice@example.social" counts 6). Mastodon's server counts grapheme clusters, which are
// never more than code points, so a text that fits this count is never refused.
std::size_t mastodonLength(std::string_view utf8);

// LinkedIn: code points after little-text escaping (LittleText.h).
std::size_t linkedinLength(std::string_view utf8);

// Threads: code points, except that an emoji counts its UTF-8 byte length (a whole sequence).
std::size_t threadsLength(std::string_view utf8);

// Instagram and Facebook: code points.
std::size_t codePointLength(std::string_view utf8);

// X's weight of one code point (1 or 2) outside emoji and URLs.
std::size_t xCodePointWeight(char32_t codePoint);

}  // namespace common::platform
