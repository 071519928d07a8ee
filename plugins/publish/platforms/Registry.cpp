#include "platforms/Platform.h"

namespace publish::platforms {

const Platform& mastodonPlatform();
const Platform& blueskyPlatform();
const Platform& webhookPlatform();
const Platform& xPlatform();
const Platform& linkedinPlatform();
const Platform& threadsPlatform();

const Platform* platformNamed(const std::string& name) {
  if (name == "mastodon") return &mastodonPlatform();
  if (name == "bluesky") return &blueskyPlatform();
  if (name == "webhook") return &webhookPlatform();
  if (name == "x") return &xPlatform();
  if (name == "linkedin") return &linkedinPlatform();
  if (name == "threads") return &threadsPlatform();
  return nullptr;
}

}  // namespace publish::platforms
