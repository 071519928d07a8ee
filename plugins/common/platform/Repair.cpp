#include "platform/Repair.h"

#include "platform/Pieces.h"
#include "text/Segments.h"

namespace common::platform {

std::string shortenToFit(std::string_view utf8, const Rules& rules, const ShortenOptions& options) {
  const auto fits = [&](std::string_view body) {
    return measure(std::string(body) + options.keep, rules).fits();
  };
  if (fits(utf8)) return std::string(utf8) + options.keep;
  // Whole sentences while they are enough.
  const auto sentences = text::sentences(utf8);
  for (std::size_t count = sentences.size(); count-- > 1;) {
    const auto& last = sentences[count - 1];
    const std::string_view prefix = utf8.substr(0, last.offset + last.text.size());
    if (fits(prefix)) return std::string(prefix) + options.keep;
  }
  // Words of the first sentence, with the ellipsis: the longest prefix that fits (a longer
  // prefix never measures less, so a binary search over word ends finds it).
  const std::string_view first =
      sentences.empty() ? utf8 : utf8.substr(0, sentences[0].offset + sentences[0].text.size());
  const std::vector<std::size_t> ends = detail::wordEnds(first);
  const auto candidate = [&](std::size_t k) {
    return std::string(detail::trimCut(first, ends[k])) + options.ellipsis;
  };
  std::size_t lo = 0, hi = ends.size();  // answer in [lo, hi): the first k that does not fit
  while (lo < hi) {
    const std::size_t mid = (lo + hi) / 2;
    if (fits(candidate(mid))) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  if (lo == 0) {
    throw PlatformError("text cannot be shortened to " + std::string(platformName(rules.platform)) +
                        "'s limit of " + std::to_string(rules.limit) + " (" + rules.rule +
                        "): not even its first word fits");
  }
  return candidate(lo - 1) + options.keep;
}

}  // namespace common::platform
