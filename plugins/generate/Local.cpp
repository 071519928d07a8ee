#include "Local.h"

#include "Checks.h"
#include "job/Failure.h"
#include "platform/Hashtags.h"
#include "text/Hashtags.h"

#include <algorithm>

namespace generate {
namespace {

using common::platform::Platform;

bool shortForm(Platform platform) {
  return platform == Platform::X || platform == Platform::Bluesky ||
         platform == Platform::Mastodon || platform == Platform::Threads;
}

std::string join(const std::vector<std::string>& items, const std::string& separator) {
  std::string out;
  for (const std::string& item : items) {
    if (item.empty()) continue;
    if (!out.empty()) out += separator;
    out += item;
  }
  return out;
}

bool fitsOnePost(const std::string& text, const Layout& layout) {
  return common::platform::measure(tidy(text), layout.rules).fits();
}

}  // namespace

std::vector<std::string> localHashtags(const LocalContext& context, std::size_t index) {
  const BrandProfile& brand = context.brand;
  const Source& source = context.source;
  std::vector<std::string> required = brand.requiredHashtags;
  std::vector<std::string> phrases = source.topics;
  phrases.insert(phrases.end(), source.keywords.begin(), source.keywords.end());
  std::vector<std::string> candidates;
  for (const std::string& tag : source.hashtags) {
    if (!tag.empty() && tag[0] == '#') candidates.push_back(tag);
  }
  const auto made =
      common::text::hashtagsFrom(phrases, 20, source.language,
                                 common::platform::maxHashtagLength(context.layout.rules.platform));
  candidates.insert(candidates.end(), made.begin(), made.end());
  std::vector<std::string> optional;
  for (const std::string& tag : candidates) {
    const bool taken = std::any_of(optional.begin(), optional.end(),
                                   [&](const std::string& t) { return sameHashtag(t, tag); });
    if (taken || isRequired(tag, brand) || isBanned(tag, brand) ||
        !bannedWordIn(tag, brand).empty()) {
      continue;
    }
    optional.push_back(tag);
  }
  const std::size_t cap = context.layout.rules.maxHashtags;
  std::vector<std::string> out = required;
  if (!optional.empty()) {
    const std::size_t start = index % optional.size();
    for (std::size_t k = 0; k < optional.size() && out.size() < std::max(cap, required.size());
         ++k) {
      out.push_back(optional[(start + k) % optional.size()]);
    }
  }
  return out;
}

std::string localDraft(const LocalContext& context, std::size_t index) {
  const std::vector<std::string> pool = leadSentences(context.source);
  if (pool.empty()) {
    throw common::job::Unrecoverable(
        "the analysis has no summary or key points to write a post from");
  }
  const Platform platform = context.layout.rules.platform;
  const std::size_t n = pool.size();
  const std::string& lead = pool[index % n];
  // After one round of leads, a second sentence joins each (another angle on the material).
  const bool withSecond = n > 1 && (index / n) % 2 == 1;
  std::string link;
  if (context.includeLink && platform != Platform::Instagram && !context.source.url.empty()) {
    link = context.source.url;
  }
  const std::string action = join({context.brand.callToAction, link}, " ");
  const std::string tags = join(localHashtags(context, index), " ");

  std::string body = lead;
  if (shortForm(platform)) {
    if (withSecond) {
      const std::string longer = lead + " " + pool[(index + 1) % n];
      if (fitsOnePost(join({longer, action, tags}, "\n\n"), context.layout)) body = longer;
    }
  } else {
    // Long-form platforms: the lead, then the next two sentences as a list (so each index
    // leaves some of the material out, and posts of one material differ).
    std::vector<std::string> points;
    for (std::size_t k = 1; k < n && points.size() < 2; ++k) {
      points.push_back("\xE2\x80\xA2 " + pool[(index + k) % n]);  // "• "
    }
    if (!points.empty()) body += "\n\n" + join(points, "\n");
  }
  return tidy(join({body, action, tags}, "\n\n"));
}

}  // namespace generate
