#include "Checks.h"

#include "Utf8.h"

#include "job/Failure.h"

#include <algorithm>
#include <cctype>
#include <vector>

namespace analyze {
namespace {

using common::Json;

struct Bounds {
  const char* field;
  std::size_t maxItems;  // 0: a single string
  std::size_t maxChars;
};

// Longest texts and most items a reply may hold (the schema asks for fewer items).
constexpr Bounds kBounds[] = {{"summary", 0, 1200},    {"keyPoints", 8, 300}, {"topics", 10, 80},
                              {"keywords", 20, 60},    {"audience", 0, 200},  {"hashtags", 10, 51},
                              {"description", 0, 2000}};

[[noreturn]] void rejected(const std::string& field, const std::string& why) {
  throw common::job::Unrecoverable("AI reply rejected: " + field + ": " + why);
}

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// Markup or our own material markers in a reply mean the model echoed the material's code.
void checkText(const std::string& field, const std::string& text, const ReplyRules& rules) {
  const std::string folded = lower(text);
  for (const char* markup : {"<material", "</material", "<script", "<iframe", "javascript:"}) {
    if (folded.find(markup) != std::string::npos) {
      rejected(field, std::string("holds markup ('") + markup + "')");
    }
  }
  for (const std::string& term : rules.bannedTerms) {
    if (folded.find(term) != std::string::npos) {
      rejected(field, "holds the banned term '" + term + "'");
    }
  }
}

void checkString(const std::string& field, const Json& value, std::size_t maxChars,
                 const ReplyRules& rules) {
  if (!value.is_string()) rejected(field, "is not text");
  const std::string& text = value.get_ref<const std::string&>();
  const std::size_t n = characters(text);
  if (n == 0 ||
      std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isspace(c); })) {
    rejected(field, "is empty");
  }
  if (n > maxChars) {
    rejected(field, std::to_string(n) + " characters, more than " + std::to_string(maxChars));
  }
  checkText(field, text, rules);
}

void checkBounds(const Json& reply, const Bounds& bounds, const ReplyRules& rules) {
  const std::string field = bounds.field;
  const auto it = reply.find(field);
  if (it == reply.end()) {
    if (field == "description" && !rules.media) return;
    rejected(field, "is missing");
  }
  if (bounds.maxItems == 0) return checkString(field, *it, bounds.maxChars, rules);
  if (!it->is_array()) rejected(field, "is not a list");
  if (it->size() > bounds.maxItems) {
    rejected(field,
             std::to_string(it->size()) + " items, more than " + std::to_string(bounds.maxItems));
  }
  for (std::size_t i = 0; i < it->size(); ++i) {
    checkString(field + "[" + std::to_string(i) + "]", (*it)[i], bounds.maxChars, rules);
  }
}

// Letters, digits and '_' (any non-ASCII byte counts as a letter).
bool wordByte(unsigned char c) {
  return c >= 0x80 || std::isalnum(c) != 0 || c == '_';
}

// '#' then letters, digits or '_'.
bool isHashtag(const std::string& tag) {
  if (tag.size() < 2 || tag[0] != '#') return false;
  return std::all_of(tag.begin() + 1, tag.end(), [](unsigned char c) { return wordByte(c); });
}

void checkLanguage(const Json& reply) {
  const std::string language = common::stringOr(reply, "language");
  const bool code = language.size() == 2 && std::islower(static_cast<unsigned char>(language[0])) &&
                    std::islower(static_cast<unsigned char>(language[1]));
  if (!code && language != "und") {
    rejected("language", "'" + language + "' is not an ISO 639-1 code (two lower-case letters)");
  }
}

void checkEntities(const Json& reply, const ReplyRules& rules) {
  const auto found = reply.find("entities");
  if (found == reply.end() || !found->is_array()) rejected("entities", "is not a list");
  const Json& entities = *found;
  if (entities.size() > 30)
    rejected("entities", std::to_string(entities.size()) + " items, more than 30");
  for (std::size_t i = 0; i < entities.size(); ++i) {
    checkString("entities[" + std::to_string(i) + "].text", entities[i].value("text", Json()), 120,
                rules);
  }
}

}  // namespace

std::string hashtagOf(std::string_view text) {
  std::vector<std::string> words(1);
  for (const char c : text) {
    if (wordByte(static_cast<unsigned char>(c))) {
      words.back() += c;
    } else if (!words.back().empty()) {
      words.emplace_back();
    }
  }
  if (words.back().empty()) words.pop_back();
  if (words.empty()) return {};
  std::string tag = "#";
  for (std::string word : words) {
    if (words.size() > 1)
      word[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(word[0])));
    tag += word;
  }
  return tag;
}

void normalizeHashtags(Json& reply) {
  const auto found = reply.find("hashtags");
  if (found == reply.end() || !found->is_array()) return;
  for (Json& tag : *found) {
    if (tag.is_string()) tag = hashtagOf(tag.get<std::string>());
  }
}

void checkReply(const Json& reply, const ReplyRules& rules) {
  if (!reply.is_object()) rejected("the reply", "is not an object");
  for (const Bounds& bounds : kBounds) checkBounds(reply, bounds, rules);
  checkLanguage(reply);
  checkEntities(reply, rules);
  const Json& hashtags = reply.at("hashtags");
  for (std::size_t i = 0; i < hashtags.size(); ++i) {
    const std::string tag = hashtags[i].get<std::string>();
    if (!isHashtag(tag)) {
      rejected("hashtags[" + std::to_string(i) + "]",
               "'" + tag + "' is not '#' followed by letters, digits or '_'");
    }
  }
}

}  // namespace analyze
