// Entities found in text by rules (no model): links, e-mail addresses, mentions, hashtags,
// numbers, money, dates, and capitalised spans named person, organization, place or other.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace common::text {

struct EntityMatch {
  std::size_t offset;  // byte offset in the text
  std::size_t length;  // bytes
  std::string type;  // url|email|mention|hashtag|number|money|date|person|organization|place|other
};

// Links: "http://" and "https://" URLs, "www." hosts and bare domains with a well-known top-level
// domain ("example.com/path"). Trailing punctuation and an unbalanced closing bracket are not
// part of a link: "(see https://ex.com/a_(b))." keeps "https://ex.com/a_(b)".
std::vector<EntityMatch> findUrls(std::string_view utf8);
std::vector<EntityMatch> findEmails(std::string_view utf8);
// "@name", a Bluesky handle "@alice.bsky.social" and a Mastodon address "@user@example.social";
// not the "@" of an e-mail address.
std::vector<EntityMatch> findMentions(std::string_view utf8);
// "#tag" after a space or punctuation (not "&#39;" or a URL fragment): letters, marks, digits and
// "_" of any script, with at least one letter.
std::vector<EntityMatch> findHashtags(std::string_view utf8);

// Numbers ("1,200", "3.5%"), money ("$5", "€2 billion", "12 euros") and dates ("2025-03-12",
// "12/03/2025", "March 12, 2025", "12 de marzo de 2025", weekday names).
std::vector<EntityMatch> findQuantities(std::string_view utf8, std::string_view language);

// Capitalised spans outside `taken` (bytes already claimed by other entities), named by cues
// (data/entities.txt): organization, place, person, else other. Sentence-initial single words
// count only when the word is also capitalised elsewhere mid-sentence; German capitalises every
// noun, so there only multi-word spans, acronyms and cued spans count.
std::vector<EntityMatch> findNames(std::string_view utf8, std::string_view language,
                                   const std::vector<EntityMatch>& taken);

// Every entity of the text, in text order, without overlaps (a link wins over what it contains).
std::vector<EntityMatch> findEntities(std::string_view utf8, std::string_view language);

// Adds each of `found` that overlaps nothing already in `into`, keeping `into` sorted by
// offset (it must be sorted and without overlaps on entry, as every find* result is).
void addEntitiesUnlessOverlapping(std::vector<EntityMatch>& into,
                                  const std::vector<EntityMatch>& found);

// True when `c` (ASCII) may appear in a host name.
inline bool isHostChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.';
}

}  // namespace common::text
