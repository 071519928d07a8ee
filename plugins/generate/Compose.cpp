#include "Compose.h"

#include "platform/Detect.h"
#include "platform/Thread.h"
#include "text/Entities.h"
#include "text/Unicode.h"
#include "text/Utf8.h"

namespace generate {

using common::platform::Platform;

Layout layoutFor(Platform platform, std::size_t mastodonLimit, std::size_t maxThreadParts,
                 bool numbering) {
  Layout layout;
  layout.rules = common::platform::rulesFor(platform, {mastodonLimit});
  layout.maxParts = layout.rules.threads ? maxThreadParts : 1;
  layout.numbering = numbering;
  return layout;
}

std::string tidy(const std::string& text) {
  const std::string valid = common::text::nfc(common::text::repairUtf8(text));
  std::string out;
  out.reserve(valid.size());
  std::size_t newlines = 0;
  bool space = false;
  for (const char c : valid) {
    if (c == '\r') continue;
    if (c == '\n') {
      ++newlines;
      space = false;
      continue;
    }
    if (c == ' ' || c == '\t') {
      space = true;
      continue;
    }
    if (!out.empty()) {
      if (newlines > 0) {
        out += newlines > 1 ? "\n\n" : "\n";
      } else if (space) {
        out += ' ';
      }
    }
    newlines = 0;
    space = false;
    out += c;
  }
  return out;
}

std::string adaptMentions(const std::string& text, Platform platform) {
  const auto recognised = common::platform::findMentions(text, platform);
  std::string out;
  std::size_t from = 0;
  for (const auto& mention : common::text::findMentions(text)) {
    bool kept = false;
    for (const auto& span : recognised) kept = kept || span.byteStart == mention.offset;
    if (kept) continue;
    out.append(text, from, mention.offset - from);
    from = mention.offset + 1;  // drop the "@"
  }
  out.append(text, from, std::string::npos);
  return out;
}

Composed compose(const std::string& text, const Layout& layout) {
  Composed composed;
  composed.text = tidy(adaptMentions(tidy(text), layout.rules.platform));
  composed.whole = common::platform::measure(composed.text, layout.rules);
  for (const auto& tag : common::platform::findHashtags(composed.text)) {
    composed.hashtags.push_back(tag.text);
  }
  if (composed.whole.fits() || layout.maxParts <= 1 || composed.text.empty()) {
    composed.parts = {composed.text};
    return composed;
  }
  try {
    composed.parts = common::platform::splitThread(composed.text, layout.rules, {layout.numbering});
  } catch (const common::platform::PlatformError& e) {
    composed.parts = {composed.text};
    composed.splitError = e.what();
  }
  return composed;
}

}  // namespace generate
