#include "platform/Counting.h"

#include "platform/LittleText.h"
#include "text/Entities.h"
#include "text/Unicode.h"
#include "text/Utf8.h"

#include <algorithm>
#include <vector>

namespace common::platform {
namespace {

constexpr std::size_t kUrlWeight = 23;

using text::EntityMatch;

// Walks `utf8`, counting each link as `linkWeight` and each grapheme outside links with
// `weigh(cluster)`.
template <typename Weigh>
std::size_t walk(std::string_view utf8, const std::vector<EntityMatch>& links,
                 std::size_t linkWeight, Weigh&& weigh) {
  std::size_t total = 0, next = 0;
  const auto bounds = text::graphemeBoundaries(utf8);
  for (std::size_t i = 0; i + 1 < bounds.size(); ++i) {
    const std::size_t at = bounds[i];
    while (next < links.size() && links[next].offset + links[next].length <= at) ++next;
    if (next < links.size() && at >= links[next].offset) {
      if (at == links[next].offset) total += linkWeight;
      continue;
    }
    total += weigh(utf8.substr(at, bounds[i + 1] - at));
  }
  return total;
}

std::vector<EntityMatch> httpLinks(std::string_view utf8) {
  std::vector<EntityMatch> out;
  for (const auto& link : text::findUrls(utf8)) {
    const std::string_view s = utf8.substr(link.offset, 8);
    if (s.rfind("http://", 0) == 0 || s.rfind("https://", 0) == 0 || s.rfind("HTTP://", 0) == 0 ||
        s.rfind("HTTPS://", 0) == 0) {
      out.push_back(link);
    }
  }
  return out;
}

}  // namespace

std::size_t xCodePointWeight(char32_t cp) {
  const bool light = cp <= 0x10FF || (cp >= 0x2000 && cp <= 0x200D) ||
                     (cp >= 0x2010 && cp <= 0x201F) || (cp >= 0x2032 && cp <= 0x2037);
  return light ? 1 : 2;
}

std::size_t xWeightedLength(std::string_view utf8) {
  const std::string normalised = text::nfc(utf8);
  return walk(normalised, text::findUrls(normalised), kUrlWeight, [](std::string_view cluster) {
    if (text::isEmojiCluster(cluster)) return std::size_t{2};
    std::size_t weight = 0;
    for (std::size_t i = 0; i < cluster.size();)
      weight += xCodePointWeight(text::decodeUtf8(cluster, i));
    return weight;
  });
}

std::size_t blueskyGraphemes(std::string_view utf8) {
  return text::graphemeCount(utf8);
}

std::size_t mastodonLength(std::string_view utf8) {
  std::vector<EntityMatch> counted = httpLinks(utf8);
  std::size_t total = 0;
  std::size_t at = 0;
  // Mentions count as "@user": subtract the "@domain" part of each.
  for (const auto& m : text::findMentions(utf8)) {
    const std::string_view mention = utf8.substr(m.offset, m.length);
    const std::size_t second = mention.find('@', 1);
    if (second != std::string_view::npos)
      counted.push_back({m.offset + second, m.length - second, "domain"});
  }
  std::sort(counted.begin(), counted.end(),
            [](const EntityMatch& a, const EntityMatch& b) { return a.offset < b.offset; });
  for (const auto& span : counted) {
    if (span.offset < at) continue;
    total += text::codePointCount(utf8.substr(at, span.offset - at));
    total += span.type == "url" ? kUrlWeight : 0;
    at = span.offset + span.length;
  }
  return total + text::codePointCount(utf8.substr(at));
}

std::size_t linkedinLength(std::string_view utf8) {
  return text::codePointCount(escapeLittleText(utf8));
}

std::size_t threadsLength(std::string_view utf8) {
  return walk(utf8, {}, 0, [](std::string_view cluster) {
    return text::isEmojiCluster(cluster) ? cluster.size() : text::codePointCount(cluster);
  });
}

std::size_t codePointLength(std::string_view utf8) {
  return text::codePointCount(utf8);
}

}  // namespace common::platform
