#include "Media.h"

#include "Compose.h"
#include "platform/Repair.h"
#include "text/Segments.h"

#include <cctype>

namespace generate {
namespace {

using common::platform::Platform;

bool looksLikeVideo(const std::string& key) {
  const std::size_t dot = key.find_last_of('.');
  if (dot == std::string::npos) return false;
  std::string ext = key.substr(dot + 1);
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return ext == "mp4" || ext == "mov" || ext == "m4v" || ext == "webm" || ext == "mkv";
}

// What the picture is of when nothing describes it: a default naming the content.
std::string defaultAlt(const Source& source, const std::string& key) {
  const bool video = key == source.key ? source.mediaType == "video" : looksLikeVideo(key);
  const std::string what = video ? "Video" : "Image";
  if (!source.title.empty()) return what + ": " + source.title;
  if (!source.topics.empty()) return what + " about " + source.topics.front();
  const std::size_t slash = key.find_last_of('/');
  return what + " " + (slash == std::string::npos ? key : key.substr(slash + 1));
}

std::string altFor(const Source& source, const std::string& key, bool analysed) {
  std::string alt;
  if (analysed && !source.mediaDescription.empty()) {
    alt = source.mediaDescription;
  } else if (analysed) {
    const auto sentences = common::text::sentences(source.summary, source.language);
    alt = sentences.empty() ? defaultAlt(source, key) : std::string(sentences.front().text);
  } else {
    alt = defaultAlt(source, key);
  }
  alt = tidy(alt);
  // Code points, cut between words with an ellipsis when too long.
  common::platform::Rules rules = common::platform::rulesFor(Platform::Facebook);
  rules.limit = kMaxAltText;
  try {
    return common::platform::shortenToFit(alt, rules);
  } catch (const common::platform::PlatformError&) {
    return defaultAlt(source, key);
  }
}

}  // namespace

Media mediaFor(const Source& source, const std::optional<std::vector<std::string>>& keys) {
  Media media;
  if (keys) {
    media.keys = *keys;
  } else if ((source.kind == "image" || source.kind == "video") && !source.key.empty()) {
    media.keys = {source.key};
  }
  for (const std::string& key : media.keys) {
    media.altTexts.push_back(altFor(source, key, key == source.key));
  }
  return media;
}

std::size_t maxMedia(Platform platform) {
  switch (platform) {
    case Platform::X:
    case Platform::Bluesky:
    case Platform::Mastodon:
      return 4;
    case Platform::Instagram:
    case Platform::Facebook:
      return 10;
    case Platform::LinkedIn:
    case Platform::Threads:
      return 20;
  }
  return 1;
}

}  // namespace generate
