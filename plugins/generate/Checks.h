// The checks a draft passes before it is accepted: the platform's length by its own rule, the
// brand's banned words and hashtags, its required hashtags, the platform's hashtag habit, the
// brand's emoji policy and the language.
#pragma once

#include "Brand.h"
#include "Compose.h"

#include <string>
#include <string_view>
#include <vector>

namespace generate {

enum class Check {
  empty,
  length,
  bannedWord,
  bannedHashtag,
  requiredHashtag,
  hashtagCount,
  emoji,
  language
};

struct Problem {
  Check check;
  std::string message;  // "length: 312 x-weighted, more than 280", "banned word 'cheap'", ...
};

struct CheckRules {
  const BrandProfile& brand;
  std::string language;  // ISO 639-1 the posts must be in ("" or "und": not checked)
};

std::vector<Problem> check(const Composed& draft, const Layout& layout, const CheckRules& rules);

// "length: ...; banned word 'cheap'"
std::string describe(const std::vector<Problem>& problems);

// Helpers shared with Repair.cpp.
// True when `text` holds `term` as whole words (case-folded), or a hashtag of it
// ("#CheapDeals" holds "cheap"; "#cheapdeals" holds "cheap deals").
bool holdsTerm(std::string_view text, const std::string& term);
// The first banned word `text` holds, or "".
std::string bannedWordIn(std::string_view text, const BrandProfile& brand);
// Case-insensitive hashtag equality ("#acme" == "#Acme").
bool sameHashtag(std::string_view a, std::string_view b);
bool isRequired(std::string_view tag, const BrandProfile& brand);
bool isBanned(std::string_view tag, const BrandProfile& brand);
// How many emoji a text holds (grapheme clusters shown as emoji).
std::size_t emojiCount(std::string_view text);
// The text without links, mentions and hashtags (what language detection reads).
std::string proseOf(const std::string& text);
// The primary language subtag, lower case: "pt-BR" -> "pt".
std::string primaryLanguage(std::string_view tag);

}  // namespace generate
