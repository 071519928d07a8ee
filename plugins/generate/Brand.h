// A brand's profile: how its posts sound and what they must and must not contain. From the job
// (`brand`) or from the brand_profiles table (Migrations.h) by brandProfileId.
#pragma once

#include "db/Db.h"
#include "json/Json.h"

#include <warren/plugin.hpp>

#include <string>
#include <vector>

namespace generate {

enum class EmojiPolicy { none, few, any };
constexpr std::size_t kFewEmoji = 2;  // "few": at most this many emoji in a post

struct BrandProfile {
  std::string id;    // brandProfileId: also the scope of de-duplication
  std::string from;  // "job" or "database"
  std::string name, voice, tone, audience, language, callToAction;
  std::vector<std::string> bannedWords;
  std::vector<std::string> requiredHashtags;  // "#Tag", as the brand writes them
  std::vector<std::string> bannedHashtags;    // "#Tag"
  EmojiPolicy emoji = EmojiPolicy::any;
};

const char* emojiPolicyName(EmojiPolicy policy);

// "Tag" or "#Tag" as "#Tag"; throws job::Unrecoverable for "" or text with white space.
std::string asHashtag(const std::string& text, const std::string& field);

// The profile in the job's `brand` object (schema: content-generate.data.json).
BrandProfile brandFromJson(const std::string& id, const common::Json& brand);

// The profile of `id`: the job's `brand` when given, else the brand_profiles row; an id found
// in neither fails unrecoverably, naming it.
BrandProfile loadBrand(const common::db::Db* db, const warren::Job& job, const std::string& id,
                       const common::Json* brand);

}  // namespace generate
