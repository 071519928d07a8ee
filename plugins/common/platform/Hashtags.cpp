#include "platform/Hashtags.h"

#include "text/Hashtags.h"

namespace common::platform {

std::size_t maxHashtagLength(Platform platform) {
  return platform == Platform::Bluesky ? 65 : 40;
}

std::vector<std::string> formatHashtags(const std::vector<std::string>& phrases, const Rules& rules,
                                        std::string_view language) {
  return text::hashtagsFrom(phrases, rules.maxHashtags, language, maxHashtagLength(rules.platform));
}

}  // namespace common::platform
