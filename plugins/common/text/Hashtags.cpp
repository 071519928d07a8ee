#include "text/Hashtags.h"

#include "text/Segments.h"
#include "text/Unicode.h"
#include "text/Utf8.h"
#include "text/WordLists.h"

#include <algorithm>

namespace common::text {

std::string toHashtag(std::string_view phrase, std::string_view language) {
  std::string body;
  bool letter = false;
  const std::string text =
      phrase.size() > 0 && phrase[0] == '#' ? std::string(phrase.substr(1)) : std::string(phrase);
  for (const auto& w : words(text, language)) {
    std::string kept;  // the word without apostrophes and other punctuation inside it
    for (std::size_t i = 0; i < w.text.size();) {
      const std::size_t start = i;
      const char32_t cp = decodeUtf8(w.text, i);
      if (isAlnum(cp)) kept.append(w.text.substr(start, i - start));
      letter = letter || isLetter(cp);
    }
    body += capitalizeFirst(kept, language);
  }
  return letter ? "#" + body : std::string();
}

std::vector<std::string> hashtagsFrom(const std::vector<std::string>& phrases, std::size_t max,
                                      std::string_view language, std::size_t maxLength) {
  std::vector<std::string> out, seen;
  for (const auto& phrase : phrases) {
    if (out.size() >= max) break;
    std::string tag = toHashtag(phrase, language);
    if (tag.empty() || codePointCount(tag) > maxLength) continue;
    std::string key = lookupForm(tag);
    if (std::find(seen.begin(), seen.end(), key) != seen.end()) continue;
    seen.push_back(std::move(key));
    out.push_back(std::move(tag));
  }
  return out;
}

}  // namespace common::text
