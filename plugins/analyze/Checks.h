// What a provider's analysis must also satisfy beyond its schema (the host validated that):
// lengths and counts, a language code, hashtags that are hashtags, no markup or markers of the
// material, and none of the configured banned terms. A schema-valid reply can still be wrong.
#pragma once

#include "json/Json.h"

#include <string>
#include <string_view>
#include <vector>

namespace analyze {

struct ReplyRules {
  bool media = false;                    // the reply must hold a "description" of what is seen
  std::vector<std::string> bannedTerms;  // lower case
};

// Throws job::Unrecoverable("AI reply rejected: <field>: <why>") for the first failure.
void checkReply(const common::Json& reply, const ReplyRules& rules);

// A hashtag as models write them ("#Bakery", "bakery", "#two words") made one: '#', then the
// words in CamelCase when there are several, without punctuation; "" when nothing is left.
std::string hashtagOf(std::string_view text);
// The reply's hashtags made hashtags (before checkReply).
void normalizeHashtags(common::Json& reply);

}  // namespace analyze
