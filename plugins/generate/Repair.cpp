#include "Repair.h"

#include "platform/Repair.h"
#include "platform/Thread.h"
#include "text/Entities.h"
#include "text/Segments.h"
#include "text/Unicode.h"

#include <algorithm>

namespace generate {
namespace {

using common::platform::Platform;

std::string joinerFor(std::string_view gap) {
  const std::size_t newlines = static_cast<std::size_t>(std::count(gap.begin(), gap.end(), '\n'));
  return newlines > 1 ? "\n\n" : newlines == 1 ? "\n" : " ";
}

std::size_t partsOf(const std::string& text, const Layout& layout) {
  return compose(text, layout).parts.size();
}

bool present(const std::vector<std::string>& tags, const std::string& tag) {
  return std::any_of(tags.begin(), tags.end(),
                     [&](const std::string& t) { return sameHashtag(t, tag); });
}

// Hashtags beyond the platform's habit (counting the required ones still to be added) go, the
// last ones first; required ones stay.
std::string dropExtraHashtags(const std::string& text, const Layout& layout,
                              const BrandProfile& brand, std::vector<std::string>& repairs) {
  const auto spans = common::platform::findHashtags(text);
  std::vector<std::string> tags;
  for (const auto& span : spans) tags.push_back(span.text);
  std::size_t missing = 0;
  for (const std::string& r : brand.requiredHashtags) missing += present(tags, r) ? 0 : 1;
  const std::size_t allowed = std::max(layout.rules.maxHashtags, brand.requiredHashtags.size());
  if (tags.size() + missing <= allowed) return text;
  std::size_t excess = tags.size() + missing - allowed;
  std::vector<bool> drop(spans.size(), false);
  for (std::size_t i = spans.size(); i-- > 0 && excess > 0;) {
    if (isRequired(spans[i].text, brand)) continue;
    drop[i] = true;
    --excess;
  }
  std::string out;
  std::size_t from = 0;
  for (std::size_t i = 0; i < spans.size(); ++i) {
    if (!drop[i]) continue;
    std::size_t start = spans[i].byteStart;
    while (start > from && (text[start - 1] == ' ' || text[start - 1] == '\t')) --start;
    out.append(text, from, start - from);
    from = spans[i].byteEnd;
    repairs.push_back("removed hashtag " + spans[i].text + " (" +
                      std::string(common::platform::platformName(layout.rules.platform)) +
                      " takes " + std::to_string(allowed) + ")");
  }
  out.append(text, from, std::string::npos);
  return tidy(out);
}

}  // namespace

std::string dropSentencesWith(const std::string& text, const BrandProfile& brand,
                              std::size_t* dropped) {
  const auto sentences = common::text::sentences(text);
  std::string out;
  std::size_t gapFrom = 0;
  std::size_t count = 0;
  for (const auto& sentence : sentences) {
    const std::string_view gap(text.data() + gapFrom, sentence.offset - gapFrom);
    gapFrom = sentence.offset + sentence.text.size();
    if (!bannedWordIn(sentence.text, brand).empty()) {
      ++count;
      continue;
    }
    if (!out.empty()) out += joinerFor(gap);
    out.append(sentence.text);
  }
  // What is left must still say something: more than the call to action, links and hashtags.
  const std::string prose = proseOf(splitTail(out, brand.callToAction).first);
  const bool says = !common::text::words(prose).empty() && tidy(prose) != tidy(brand.callToAction);
  if (dropped != nullptr) *dropped = says ? count : 0;
  return says ? out : text;
}

std::string keepEmoji(const std::string& text, std::size_t keep, std::size_t* removed) {
  std::string out;
  std::size_t seen = 0, count = 0;
  common::text::forEachGrapheme(text, [&](std::string_view cluster) {
    if (common::text::isEmojiCluster(cluster) && seen++ >= keep) {
      ++count;
      return;
    }
    out.append(cluster);
  });
  if (removed != nullptr) *removed = count;
  return tidy(out);
}

std::pair<std::string, std::string> splitTail(const std::string& text,
                                              const std::string& callToAction) {
  // Links and hashtags at the very end, with the white space between them.
  std::vector<common::text::EntityMatch> spans = common::text::findUrls(text);
  common::text::addEntitiesUnlessOverlapping(spans, common::text::findHashtags(text));
  std::size_t cut = text.size();
  for (auto it = spans.rbegin(); it != spans.rend(); ++it) {
    const std::size_t end = it->offset + it->length;
    const std::string_view between(text.data() + end, cut - end);
    if (between.find_first_not_of(" \t\n") != std::string_view::npos) break;
    cut = it->offset;
  }
  while (cut > 0 && (text[cut - 1] == ' ' || text[cut - 1] == '\n')) --cut;
  std::string head = text.substr(0, cut);
  // The call to action just before them stays with them.
  if (!callToAction.empty() && head.size() >= callToAction.size() &&
      head.compare(head.size() - callToAction.size(), callToAction.size(), callToAction) == 0) {
    cut = head.size() - callToAction.size();
    while (cut > 0 && (text[cut - 1] == ' ' || text[cut - 1] == '\n')) --cut;
  }
  if (cut == 0) return {text, ""};  // nothing but the tail: shorten it as text
  return {text.substr(0, cut), text.substr(cut)};
}

// The longest prefix of whole sentences of `text` that measures at most `value` (at least the
// first sentence): what is beyond can never be kept, and shortening reads less.
std::string sentencesWithin(const std::string& text, const common::platform::Rules& rules,
                            std::size_t value) {
  const auto sentences = common::text::sentences(text);
  const auto prefix = [&](std::size_t count) {
    const auto& last = sentences[count - 1];
    return text.substr(0, last.offset + last.text.size());
  };
  if (sentences.size() < 2) return text;
  std::size_t lo = 1, hi = sentences.size();  // the answer is in [lo, hi]
  while (lo < hi) {
    const std::size_t mid = (lo + hi + 1) / 2;
    if (common::platform::measure(prefix(mid), rules).value <= value) {
      lo = mid;
    } else {
      hi = mid - 1;
    }
  }
  return lo == sentences.size() ? text : prefix(lo);
}

std::string fitLength(const std::string& whole, const std::string& tail, const Layout& layout) {
  const std::string head =
      sentencesWithin(whole, layout.rules, layout.rules.limit * layout.maxParts);
  const auto fitsLayout = [&](const std::string& text) {
    const Composed c = compose(text, layout);
    if (!c.splitError.empty()) return false;
    return layout.maxParts <= 1 ? c.whole.fits() : c.parts.size() <= layout.maxParts;
  };
  if (fitsLayout(head + tail)) return head + tail;
  common::platform::ShortenOptions options;
  options.keep = tail;
  if (layout.maxParts <= 1) return common::platform::shortenToFit(head, layout.rules, options);
  // A thread: shorten to a budget of maxParts posts, then less while the split needs more posts
  // (numbering and sentence ends take room); one post's budget always fits one post.
  common::platform::Rules budget = layout.rules;
  std::size_t limit = layout.rules.limit * layout.maxParts;
  while (true) {
    budget.limit = limit;
    budget.byteLimit = layout.rules.byteLimit * (limit / layout.rules.limit + 1);
    if (limit == layout.rules.limit) budget.byteLimit = layout.rules.byteLimit;
    const std::string candidate = common::platform::shortenToFit(head, budget, options);
    if (fitsLayout(candidate)) return candidate;
    if (limit == layout.rules.limit) return candidate;
    limit = std::max(layout.rules.limit, limit - std::max<std::size_t>(1, limit / 20));
  }
}

Repaired repair(const std::string& text, const Layout& layout, const CheckRules& rules) {
  Repaired out;
  const BrandProfile& brand = rules.brand;
  const std::string platform(common::platform::platformName(layout.rules.platform));
  std::string current = tidy(text);

  std::vector<std::string> removed;
  current = tidy(removeHashtags(current, [&](const std::string& tag) {
    const bool drop = isBanned(tag, brand) || !bannedWordIn(tag, brand).empty();
    if (drop) removed.push_back(tag);
    return drop;
  }));
  for (const std::string& tag : removed) out.repairs.push_back("removed banned hashtag " + tag);

  std::size_t dropped = 0;
  current = dropSentencesWith(current, brand, &dropped);
  if (dropped > 0) {
    out.repairs.push_back("dropped " + std::to_string(dropped) + " sentence" +
                          (dropped == 1 ? "" : "s") + " with a banned word");
  }

  if (brand.emoji != EmojiPolicy::any) {
    std::size_t count = 0;
    current = keepEmoji(current, brand.emoji == EmojiPolicy::none ? 0 : kFewEmoji, &count);
    if (count > 0) {
      out.repairs.push_back("removed " + std::to_string(count) + " emoji (the brand's policy is " +
                            emojiPolicyName(brand.emoji) + ")");
    }
  }

  current = dropExtraHashtags(current, layout, brand, out.repairs);

  // Missing required hashtags, at the end.
  for (const std::string& tag : brand.requiredHashtags) {
    if (present(compose(current, layout).hashtags, tag)) continue;
    const auto [head, tail] = splitTail(current, "");
    const bool endsWithTag = !tail.empty() && !common::platform::findHashtags(tail).empty();
    current += endsWithTag ? " " + tag : "\n\n" + tag;
    out.repairs.push_back("added required hashtag " + tag);
  }

  // The length last, keeping the call to action, links and hashtags at the end.
  const Composed before = compose(current, layout);
  const bool fits =
      before.splitError.empty() &&
      (layout.maxParts <= 1 ? before.whole.fits() : before.parts.size() <= layout.maxParts);
  if (!fits) {
    const auto [head, tail] = splitTail(before.text, brand.callToAction);
    try {
      current = fitLength(head, tail, layout);
    } catch (const common::platform::PlatformError&) {
      try {
        current = fitLength(before.text, "", layout);  // the tail alone is too long: cut it too
      } catch (const common::platform::PlatformError&) {
        out.text = before.text;  // not even a word fits: the length check says so
        return out;
      }
    }
    const std::size_t parts = partsOf(current, layout);
    out.repairs.push_back(
        parts > 1 ? "shortened to a thread of " + std::to_string(parts) + " posts of " +
                        std::to_string(layout.rules.limit) + " (" + layout.rules.rule + ")"
                  : "shortened to fit " + platform + "'s " + std::to_string(layout.rules.limit) +
                        " (" + layout.rules.rule + ")");
  }
  out.text = tidy(current);
  return out;
}

}  // namespace generate
