#include "Posts.h"

namespace bench {
namespace {

const char* const kTopics[] = {
    "linen",   "curry",    "security", "running", "games",    "coffee",   "cycling",  "office",
    "photo",   "bread",    "garden",   "travel",  "music",    "yoga",     "sneakers", "skincare",
    "startup", "podcast",  "wine",     "camping", "design",   "kids",     "pets",     "books",
    "cinema",  "football", "climate",  "finance", "crypto",   "painting", "jazz",     "surf",
    "ramen",   "tea",      "chess",    "drones",  "knitting", "pottery",  "theatre",  "hiking"};
const char* const kShared[] = {
    "new",      "today",   "season",  "community", "limited", "favourite", "guide",    "tips",
    "behind",   "scenes",  "launch",  "weekend",   "summer",  "free",      "workshop", "thanks",
    "story",    "review",  "team",    "event",     "colour",  "fresh",     "classic",  "local",
    "handmade", "update",  "first",   "morning",   "friends", "join",      "week",     "love",
    "best",     "ready",   "soon",    "online",    "store",   "shop",      "follow",   "share",
    "link",     "bio",     "tonight", "live",      "video",   "photo",     "question", "answer",
    "win",      "giveaway"};
const char* const kSuffixes[] = {"", "s", "ing", "ed", "er", "ers", "ist", "ly"};

}  // namespace

// Topic words are the topic's name with suffixes and numbered variants ("linen", "linens",
// "linen3"...), so posts of one topic share words without being copies.
std::string PostWriter::word(std::size_t list, std::size_t count) {
  return list == 0 ? std::string(kShared[random_.next() % (sizeof kShared / sizeof *kShared)])
                   : std::string(kTopics[count]) + kSuffixes[random_.next() % 8] +
                         (random_.next() % 3 == 0 ? std::to_string(random_.next() % 20) : "");
}

std::string PostWriter::post(std::size_t brand) {
  constexpr std::size_t topics = sizeof kTopics / sizeof *kTopics;
  const std::size_t topic = random_.next() % topics;
  std::string text = "brand" + std::to_string(brand) + " on " + kTopics[topic] + ":";
  const std::size_t words = 10 + random_.next() % 14;
  for (std::size_t i = 0; i < words; ++i)
    text += " " + word(random_.next() % 3 == 0 ? 1 : 0, topic);
  return text + " #" + kTopics[random_.next() % topics] + std::to_string(random_.next() % 50);
}

std::string PostWriter::edit(const std::string& text) {
  std::string out = text.substr(0, text.size() * 3 / 4);
  for (int i = 0; i < 3; ++i) out += " " + word(0, 0);
  return out;
}

}  // namespace bench
