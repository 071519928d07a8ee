// The platforms Warren posts to and each one's text rules (../shared/docs/external-apis.md §9).
#pragma once

#include "job/Failure.h"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace common::platform {

enum class Platform { X, Bluesky, Mastodon, LinkedIn, Threads, Instagram, Facebook };

// "x" (or "twitter"), "bluesky", "mastodon", "linkedin", "threads", "instagram", "facebook";
// case-insensitive. Unknown names give nullopt.
std::optional<Platform> parsePlatform(std::string_view name);
std::string_view platformName(Platform platform);  // the lower-case name above ("x")

struct RulesOptions {
  std::size_t mastodonLimit = 500;  // the instance's configuration.statuses.max_characters
};

struct Rules {
  Platform platform;
  std::size_t limit;        // in the rule's unit
  std::size_t byteLimit;    // UTF-8 bytes, 0 when the platform has none (Bluesky: 3000)
  std::size_t maxHashtags;  // a documented cap or the platform's habit (see Hashtags.h)
  bool threads;             // replies chain into threads (X, Bluesky, Mastodon, Threads)
  std::string rule;         // the counting rule's name, as Length::rule
};

Rules rulesFor(Platform platform, const RulesOptions& options = {});

// A text's length by a platform's rule.
struct Length {
  std::size_t value;  // in the rule's unit
  std::size_t limit;
  std::string rule;       // x-weighted | bluesky-graphemes | mastodon-characters |
                          // linkedin-escaped-characters | threads-characters |
                          // instagram-characters | facebook-characters
  std::size_t bytes;      // UTF-8 bytes of the text as posted
  std::size_t byteLimit;  // 0 when none
  bool fits() const { return value <= limit && (byteLimit == 0 || bytes <= byteLimit); }
};

// Measures valid UTF-8 `text` as `rules.platform` counts it (Counting.h).
Length measure(std::string_view text, const Rules& rules);

// Thrown when text cannot be made to fit without breaking a rule (a single link longer than
// the limit, say): retrying cannot help.
class PlatformError : public job::Unrecoverable {
 public:
  using job::Unrecoverable::Unrecoverable;
};

}  // namespace common::platform
