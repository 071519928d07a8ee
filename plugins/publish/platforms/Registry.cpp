#include "platforms/Platform.h"

namespace publish::platforms {

const Platform& mastodonPlatform();
const Platform& blueskyPlatform();
const Platform& webhookPlatform();

const Platform* platformNamed(const std::string& name) {
  if (name == "mastodon") return &mastodonPlatform();
  if (name == "bluesky") return &blueskyPlatform();
  if (name == "webhook") return &webhookPlatform();
  return nullptr;
}

}  // namespace publish::platforms
