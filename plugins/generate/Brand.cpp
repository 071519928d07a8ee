#include "Brand.h"

#include "job/Failure.h"
#include "text/Unicode.h"
#include "text/Utf8.h"

namespace generate {
namespace {

using common::Json;
using common::job::Unrecoverable;

// Brand texts are compared with drafts, which are valid UTF-8 in NFC.
std::string clean(const std::string& text) {
  return common::text::nfc(common::text::repairUtf8(text));
}

EmojiPolicy parseEmoji(const std::string& name, const std::string& where) {
  if (name.empty() || name == "any") return EmojiPolicy::any;
  if (name == "none") return EmojiPolicy::none;
  if (name == "few") return EmojiPolicy::few;
  throw Unrecoverable(where + ": emoji policy '" + name + "' is not none, few or any");
}

std::vector<std::string> strings(const Json& value, const std::string& where) {
  std::vector<std::string> out;
  if (value.is_null()) return out;
  if (!value.is_array()) throw Unrecoverable(where + " is not an array of strings");
  for (const Json& item : value) {
    if (!item.is_string()) throw Unrecoverable(where + " is not an array of strings");
    if (!item.get<std::string>().empty()) out.push_back(clean(item.get<std::string>()));
  }
  return out;
}

std::vector<std::string> hashtags(const Json& value, const std::string& where) {
  std::vector<std::string> out;
  for (const std::string& tag : strings(value, where)) out.push_back(asHashtag(tag, where));
  return out;
}

// A text column holding a JSON array ('[]' when empty), as the web app writes it.
Json jsonColumn(const Json& row, const char* column, const std::string& id) {
  const auto found = row.find(column);
  if (found == row.end() || found->is_null()) return Json::array();
  if (found->is_array()) return *found;
  if (!found->is_string()) {
    throw Unrecoverable("brand profile '" + id + "': " + column + " is not a JSON array");
  }
  const std::string text = found->get<std::string>();
  if (text.empty()) return Json::array();
  try {
    return Json::parse(text);
  } catch (const Json::parse_error&) {
    throw Unrecoverable("brand profile '" + id + "': " + column + " is not a JSON array");
  }
}

std::string textColumn(const Json& row, const char* column) {
  const auto found = row.find(column);
  return found != row.end() && found->is_string() ? clean(found->get<std::string>())
                                                  : std::string();
}

}  // namespace

const char* emojiPolicyName(EmojiPolicy policy) {
  switch (policy) {
    case EmojiPolicy::none:
      return "none";
    case EmojiPolicy::few:
      return "few";
    case EmojiPolicy::any:
      break;
  }
  return "any";
}

std::string asHashtag(const std::string& text, const std::string& field) {
  const std::string body = !text.empty() && text[0] == '#' ? text.substr(1) : text;
  if (body.empty() || body.find_first_of(" \t\r\n#") != std::string::npos) {
    throw Unrecoverable(field + ": '" + text + "' is not a hashtag");
  }
  return "#" + body;
}

BrandProfile brandFromJson(const std::string& id, const Json& brand) {
  BrandProfile profile;
  profile.id = id;
  profile.from = "job";
  profile.name = clean(common::stringOr(brand, "name"));
  profile.voice = clean(common::stringOr(brand, "voice"));
  profile.tone = clean(common::stringOr(brand, "tone"));
  profile.audience = clean(common::stringOr(brand, "audience"));
  profile.language = clean(common::stringOr(brand, "language"));
  profile.callToAction = clean(common::stringOr(brand, "callToAction"));
  profile.bannedWords = strings(brand.value("bannedWords", Json()), "brand.bannedWords");
  profile.requiredHashtags =
      hashtags(brand.value("requiredHashtags", Json()), "brand.requiredHashtags");
  profile.bannedHashtags = hashtags(brand.value("bannedHashtags", Json()), "brand.bannedHashtags");
  profile.emoji = parseEmoji(common::stringOr(brand, "emojiPolicy"), "brand.emojiPolicy");
  return profile;
}

BrandProfile loadBrand(const common::db::Db* db, const warren::Job& job, const std::string& id,
                       const Json* brand) {
  if (brand != nullptr) return brandFromJson(id, *brand);
  if (db == nullptr) {
    throw Unrecoverable("brand profile '" + id +
                        "' is not in the job's data (brand) and this host has no database to "
                        "read brand_profiles from");
  }
  const Json rows = db->rows(&job, "SELECT * FROM brand_profiles WHERE id = $1", Json::array({id}));
  if (rows.empty()) {
    throw Unrecoverable("brand profile '" + id +
                        "' not found: it is neither in the job's data (brand) nor a row of "
                        "brand_profiles");
  }
  const Json& row = rows.front();
  const std::string where = "brand profile '" + id + "'";
  BrandProfile profile;
  profile.id = id;
  profile.from = "database";
  profile.name = textColumn(row, "name");
  profile.voice = textColumn(row, "voice");
  profile.tone = textColumn(row, "tone");
  profile.audience = textColumn(row, "audience");
  profile.language = textColumn(row, "language");
  profile.callToAction = textColumn(row, "call_to_action");
  profile.bannedWords = strings(jsonColumn(row, "banned_words", id), where + ": banned_words");
  profile.requiredHashtags =
      hashtags(jsonColumn(row, "required_hashtags", id), where + ": required_hashtags");
  profile.bannedHashtags =
      hashtags(jsonColumn(row, "banned_hashtags", id), where + ": banned_hashtags");
  profile.emoji = parseEmoji(textColumn(row, "emoji_policy"), where);
  return profile;
}

}  // namespace generate
