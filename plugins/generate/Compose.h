// A draft's text made into what a platform posts: clean text (valid UTF-8, NFC, tidy white
// space), mentions as the platform writes them, split into a thread at sentence boundaries where
// the platform has threads, each part measured by the platform's own rule.
#pragma once

#include "platform/Platform.h"

#include <cstddef>
#include <string>
#include <vector>

namespace generate {

struct Layout {
  common::platform::Rules rules;
  std::size_t maxParts = 4;  // 1 on platforms without threads
  bool numbering = true;
};

Layout layoutFor(common::platform::Platform platform, std::size_t mastodonLimit,
                 std::size_t maxThreadParts, bool numbering);

struct Composed {
  std::string text;                // the whole post, before splitting
  std::vector<std::string> parts;  // as posted: the first post, then its replies
  std::vector<std::string> hashtags;
  common::platform::Length whole;  // of text as one post
  std::string splitError;          // why no thread could be made (a word longer than a post)
};

Composed compose(const std::string& text, const Layout& layout);

// Valid UTF-8, NFC; runs of spaces and tabs as one space; no white space at line ends; at most
// one blank line in a row; trimmed.
std::string tidy(const std::string& text);

// "@name" the platform does not take as a mention loses its "@" (LinkedIn and Facebook take
// none in plain text; Bluesky only handles with a domain), so nothing reads as a broken mention.
std::string adaptMentions(const std::string& text, common::platform::Platform platform);

}  // namespace generate
