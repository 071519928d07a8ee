// Deterministic repair of a draft that still fails its checks: banned hashtags and sentences
// with a banned word dropped, emoji beyond the brand's policy and hashtags beyond the platform's
// habit removed, missing required hashtags added, then the text shortened to fit (whole
// sentences first, then whole words with an ellipsis: never inside a word, grapheme, link,
// mention or hashtag), keeping the call to action, links and hashtags at its end. The
// language cannot be repaired.
#pragma once

#include "Checks.h"
#include "Compose.h"

#include <string>
#include <vector>

namespace generate {

struct Repaired {
  std::string text;
  std::vector<std::string> repairs;  // what was changed, in order ("added required hashtag #A")
};

Repaired repair(const std::string& text, const Layout& layout, const CheckRules& rules);

// Pieces used by repair, public for the tests.
// Removes hashtags (and the space before each) for which `drop(tag)` is true.
template <typename Drop>
std::string removeHashtags(const std::string& text, Drop&& drop);
// The text without the sentences holding a banned word; unchanged when every sentence does.
std::string dropSentencesWith(const std::string& text, const BrandProfile& brand,
                              std::size_t* dropped);
// The text with emoji after the first `keep` removed.
std::string keepEmoji(const std::string& text, std::size_t keep, std::size_t* removed);
// Splits off the text's end of links, hashtags and, just before them, the call to action.
std::pair<std::string, std::string> splitTail(const std::string& text,
                                              const std::string& callToAction);
// `head` + `tail` shortened to fit the layout (one post, or at most maxParts thread posts).
std::string fitLength(const std::string& head, const std::string& tail, const Layout& layout);
// The longest prefix of whole sentences of `text` measuring at most `value` (at least one).
std::string sentencesWithin(const std::string& text, const common::platform::Rules& rules,
                            std::size_t value);

}  // namespace generate

#include "platform/Detect.h"

template <typename Drop>
std::string generate::removeHashtags(const std::string& text, Drop&& drop) {
  std::string out;
  std::size_t from = 0;
  for (const auto& tag : common::platform::findHashtags(text)) {
    if (!drop(tag.text)) continue;
    std::size_t start = tag.byteStart;
    while (start > from && (text[start - 1] == ' ' || text[start - 1] == '\t')) --start;
    out.append(text, from, start - from);
    from = tag.byteEnd;
  }
  out.append(text, from, std::string::npos);
  return out;
}
