// Hashtags from key phrases: "machine learning" -> "#MachineLearning", "économie verte" ->
// "#ÉconomieVerte" (diacritics kept, punctuation and spaces removed, each word capitalised).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace common::text {

// The tag for one phrase, or "" when nothing letter-like is left ("2024!" gives "").
std::string toHashtag(std::string_view phrase, std::string_view language = {});

// Tags for phrases in order, without duplicates (case-insensitive), at most `max`, each at most
// `maxLength` code points long including "#" (longer ones are skipped, never cut).
std::vector<std::string> hashtagsFrom(const std::vector<std::string>& phrases, std::size_t max,
                                      std::string_view language = {}, std::size_t maxLength = 40);

}  // namespace common::text
