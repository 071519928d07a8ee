#include "platform/Platform.h"

#include "platform/Counting.h"

#include <array>
#include <cctype>

namespace common::platform {
namespace {

struct Named {
  std::string_view name;
  Platform platform;
};

constexpr std::array<Named, 8> kNames = {{{"x", Platform::X},
                                          {"twitter", Platform::X},
                                          {"bluesky", Platform::Bluesky},
                                          {"mastodon", Platform::Mastodon},
                                          {"linkedin", Platform::LinkedIn},
                                          {"threads", Platform::Threads},
                                          {"instagram", Platform::Instagram},
                                          {"facebook", Platform::Facebook}}};

}  // namespace

std::optional<Platform> parsePlatform(std::string_view name) {
  std::string lower(name);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (const auto& n : kNames) {
    if (n.name == lower) return n.platform;
  }
  return std::nullopt;
}

std::string_view platformName(Platform platform) {
  for (const auto& n : kNames) {
    if (n.platform == platform) return n.name;
  }
  return "unknown";
}

Rules rulesFor(Platform platform, const RulesOptions& options) {
  switch (platform) {
    case Platform::X:
      return {platform, 280, 0, 2, true, "x-weighted"};
    case Platform::Bluesky:
      return {platform, 300, 3000, 3, true, "bluesky-graphemes"};
    case Platform::Mastodon:
      return {platform, options.mastodonLimit, 0, 5, true, "mastodon-characters"};
    case Platform::LinkedIn:
      return {platform, 3000, 0, 5, false, "linkedin-escaped-characters"};
    case Platform::Threads:
      return {platform, 500, 0, 1, true, "threads-characters"};
    case Platform::Instagram:
      return {platform, 2200, 0, 30, false, "instagram-characters"};
    case Platform::Facebook:
      return {platform, 63206, 0, 3, false, "facebook-characters"};
  }
  return {platform, 0, 0, 0, false, "unknown"};
}

Length measure(std::string_view text, const Rules& rules) {
  std::size_t value = 0;
  switch (rules.platform) {
    case Platform::X:
      value = xWeightedLength(text);
      break;
    case Platform::Bluesky:
      value = blueskyGraphemes(text);
      break;
    case Platform::Mastodon:
      value = mastodonLength(text);
      break;
    case Platform::LinkedIn:
      value = linkedinLength(text);
      break;
    case Platform::Threads:
      value = threadsLength(text);
      break;
    case Platform::Instagram:
    case Platform::Facebook:
      value = codePointLength(text);
      break;
  }
  return {value, rules.limit, rules.rule, text.size(), rules.byteLimit};
}

}  // namespace common::platform
