#include "Checks.h"

#include "platform/Detect.h"
#include "text/Entities.h"
#include "text/Language.h"
#include "text/Unicode.h"
#include "text/Utf8.h"

#include <algorithm>
#include <cctype>

namespace generate {
namespace {

using common::platform::Platform;

bool isWordCodePoint(char32_t c) {
  return common::text::isAlnum(c) || common::text::isMark(c) || c == '_';
}

// The code point that ends just before `at` (valid UTF-8), or 0 at the start.
char32_t codePointBefore(std::string_view text, std::size_t at) {
  if (at == 0) return 0;
  std::size_t start = at - 1;
  while (start > 0 && (static_cast<unsigned char>(text[start]) & 0xC0) == 0x80) --start;
  return common::text::decodeUtf8(text, start);
}

char32_t codePointAt(std::string_view text, std::size_t at) {
  if (at >= text.size()) return 0;
  return common::text::decodeUtf8(text, at);
}

bool holdsWords(std::string_view folded, std::string_view term) {
  if (term.empty()) return false;
  for (std::size_t at = folded.find(term); at != std::string_view::npos;
       at = folded.find(term, at + 1)) {
    const char32_t before = codePointBefore(folded, at);
    const char32_t after = codePointAt(folded, at + term.size());
    if (!isWordCodePoint(before) && !isWordCodePoint(after)) return true;
  }
  return false;
}

// "#CheapDeals" as "Cheap Deals", "#cheap_deals" as "cheap deals".
std::string hashtagWords(std::string_view tag) {
  std::string out;
  std::size_t at = tag.empty() || tag[0] != '#' ? 0 : 1;
  bool lowerBefore = false;
  while (at < tag.size()) {
    const std::size_t start = at;
    const char32_t c = common::text::decodeUtf8(tag, at);
    if (c == '_') {
      out += ' ';
      lowerBefore = false;
      continue;
    }
    const bool upper = common::text::isUpper(c);
    if (upper && lowerBefore) out += ' ';
    lowerBefore = common::text::isLetter(c) && !upper;
    out.append(tag.substr(start, at - start));
  }
  return out;
}

std::string withoutSpaces(std::string text) {
  text.erase(std::remove(text.begin(), text.end(), ' '), text.end());
  return text;
}

std::string lengthProblem(const common::platform::Length& length) {
  std::string message = "length: " + std::to_string(length.value) + " " + length.rule +
                        ", more than " + std::to_string(length.limit);
  if (length.byteLimit > 0 && length.bytes > length.byteLimit) {
    message = "length: " + std::to_string(length.bytes) + " UTF-8 bytes, more than " +
              std::to_string(length.byteLimit);
  }
  return message;
}

}  // namespace

bool holdsTerm(std::string_view text, const std::string& term) {
  const std::string foldedTerm = common::text::foldCase(term);
  if (holdsWords(common::text::foldCase(text), foldedTerm)) return true;
  const std::string compactTerm = withoutSpaces(foldedTerm);
  for (const auto& tag : common::platform::findHashtags(text)) {
    const std::string words = common::text::foldCase(hashtagWords(tag.text));
    if (holdsWords(words, foldedTerm) || withoutSpaces(words) == compactTerm) return true;
  }
  return false;
}

std::string bannedWordIn(std::string_view text, const BrandProfile& brand) {
  for (const std::string& word : brand.bannedWords) {
    if (holdsTerm(text, word)) return word;
  }
  return {};
}

bool sameHashtag(std::string_view a, std::string_view b) {
  return common::text::foldCase(a) == common::text::foldCase(b);
}

bool isRequired(std::string_view tag, const BrandProfile& brand) {
  return std::any_of(brand.requiredHashtags.begin(), brand.requiredHashtags.end(),
                     [&](const std::string& r) { return sameHashtag(tag, r); });
}

bool isBanned(std::string_view tag, const BrandProfile& brand) {
  return std::any_of(brand.bannedHashtags.begin(), brand.bannedHashtags.end(),
                     [&](const std::string& b) { return sameHashtag(tag, b); });
}

std::size_t emojiCount(std::string_view text) {
  std::size_t count = 0;
  common::text::forEachGrapheme(text, [&](std::string_view cluster) {
    if (common::text::isEmojiCluster(cluster)) ++count;
  });
  return count;
}

std::string proseOf(const std::string& text) {
  std::vector<common::text::EntityMatch> spans = common::text::findUrls(text);
  common::text::addEntitiesUnlessOverlapping(spans, common::text::findEmails(text));
  common::text::addEntitiesUnlessOverlapping(spans, common::text::findMentions(text));
  common::text::addEntitiesUnlessOverlapping(spans, common::text::findHashtags(text));
  std::string out;
  std::size_t from = 0;
  for (const auto& span : spans) {
    out.append(text, from, span.offset - from);
    out += ' ';
    from = span.offset + span.length;
  }
  out.append(text, from, std::string::npos);
  return out;
}

std::string primaryLanguage(std::string_view tag) {
  std::string out;
  for (const char c : tag) {
    if (c == '-' || c == '_') break;
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

std::vector<Problem> check(const Composed& draft, const Layout& layout, const CheckRules& rules) {
  std::vector<Problem> problems;
  if (draft.text.empty()) {
    problems.push_back({Check::empty, "text: empty"});
    return problems;
  }
  const std::string platform(common::platform::platformName(layout.rules.platform));
  if (!draft.splitError.empty()) {
    problems.push_back({Check::length, "length: no thread can be made: " + draft.splitError});
  } else if (layout.maxParts <= 1 && !draft.whole.fits()) {
    problems.push_back({Check::length, lengthProblem(draft.whole)});
  } else if (draft.parts.size() > layout.maxParts) {
    problems.push_back({Check::length, "length: " + std::to_string(draft.whole.value) + " " +
                                           draft.whole.rule + " needs a thread of " +
                                           std::to_string(draft.parts.size()) +
                                           " posts, more than max_thread_parts " +
                                           std::to_string(layout.maxParts) + " (" +
                                           std::to_string(layout.rules.limit) + " each)"});
  }
  for (const std::string& part : draft.parts) {
    const auto length = common::platform::measure(part, layout.rules);
    if (!length.fits() && draft.parts.size() > 1) {
      problems.push_back({Check::length, lengthProblem(length)});
      break;
    }
  }
  if (const std::string word = bannedWordIn(draft.text, rules.brand); !word.empty()) {
    problems.push_back({Check::bannedWord, "banned word '" + word + "'"});
  }
  std::size_t required = 0;
  for (const std::string& tag : draft.hashtags) {
    if (isBanned(tag, rules.brand))
      problems.push_back({Check::bannedHashtag, "banned hashtag " + tag});
  }
  for (const std::string& tag : rules.brand.requiredHashtags) {
    const bool present = std::any_of(draft.hashtags.begin(), draft.hashtags.end(),
                                     [&](const std::string& t) { return sameHashtag(t, tag); });
    if (present) {
      ++required;
    } else {
      problems.push_back({Check::requiredHashtag, "missing required hashtag " + tag});
    }
  }
  const std::size_t allowed = std::max(layout.rules.maxHashtags, required);
  if (draft.hashtags.size() > allowed) {
    problems.push_back({Check::hashtagCount, "hashtags: " + std::to_string(draft.hashtags.size()) +
                                                 ", more than " + platform + "'s " +
                                                 std::to_string(allowed)});
  }
  const std::size_t emoji = emojiCount(draft.text);
  if (rules.brand.emoji == EmojiPolicy::none && emoji > 0) {
    problems.push_back(
        {Check::emoji, "emoji: " + std::to_string(emoji) + ", the brand's policy is none"});
  } else if (rules.brand.emoji == EmojiPolicy::few && emoji > kFewEmoji) {
    problems.push_back({Check::emoji, "emoji: " + std::to_string(emoji) + ", more than the " +
                                          std::to_string(kFewEmoji) +
                                          " of the brand's policy few"});
  }
  const std::string expected = primaryLanguage(rules.language);
  if (!expected.empty() && expected != "und") {
    const auto guess = common::text::detectLanguage(proseOf(draft.text), expected);
    if (guess.reliable && guess.code != expected && guess.code != "und") {
      problems.push_back(
          {Check::language, "language: the draft is in " + guess.code + ", not " + expected});
    }
  }
  return problems;
}

std::string describe(const std::vector<Problem>& problems) {
  std::string out;
  for (const Problem& problem : problems) {
    if (!out.empty()) out += "; ";
    out += problem.message;
  }
  return out;
}

}  // namespace generate
