#include "text/Entities.h"

#include "text/Segments.h"
#include "text/Unicode.h"
#include "text/Utf8.h"
#include "text/WordLists.h"

#include <algorithm>
#include <iterator>
#include <set>

namespace common::text {
namespace {

bool isAsciiAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}
char lowerAscii(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

bool startsWithNoCase(std::string_view s, std::size_t at, std::string_view prefix) {
  if (s.size() - at < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (lowerAscii(s[at + i]) != prefix[i]) return false;
  }
  return true;
}

// The code point that ends just before `at` (0 at the start).
char32_t codePointBefore(std::string_view s, std::size_t at) {
  if (at == 0) return 0;
  std::size_t start = at - 1;
  while (start > 0 && (static_cast<unsigned char>(s[start]) & 0xC0) == 0x80) --start;
  return decodeUtf8(s, start);
}

char32_t codePointAt(std::string_view s, std::size_t at) {
  if (at >= s.size()) return 0;
  return decodeUtf8(s, at);
}

// Characters that end a link even without a space: quotes, angle brackets, CJK punctuation.
bool endsLink(char32_t cp) {
  return cp == 0 || isWhitespace(cp) || cp == '<' || cp == '>' || cp == '"' || cp == '`' ||
         cp == 0x201C || cp == 0x201D || cp == 0x2018 || cp == 0x2019 || cp == 0x00AB ||
         cp == 0x00BB || cp == 0x2026 || (cp >= 0x3000 && cp <= 0x303F) ||
         (cp >= 0xFF01 && cp <= 0xFF65) || cp < 0x20;
}

bool knownTld(std::string_view tld) {
  static const std::set<std::string, std::less<>> tlds = [] {
    const auto& list = wordListSection("entities", "tlds");
    return std::set<std::string, std::less<>>(list.begin(), list.end());
  }();
  std::string lower(tld);
  for (char& c : lower) c = lowerAscii(c);
  return tlds.count(lower) > 0;
}

// Length of a host name at `at` ("a.b.com"), 0 unless it has two labels or more.
std::size_t hostLength(std::string_view s, std::size_t at, bool needKnownTld) {
  std::size_t end = at;
  while (end < s.size() && isHostChar(s[end])) ++end;
  while (end > at && (s[end - 1] == '.' || s[end - 1] == '-')) --end;
  const std::string_view host = s.substr(at, end - at);
  const std::size_t dot = host.rfind('.');
  if (dot == std::string_view::npos || dot == 0 || host.find("..") != std::string_view::npos) {
    return host == "localhost" && !needKnownTld ? host.size() : 0;
  }
  const std::string_view tld = host.substr(dot + 1);
  if (tld.size() < 2 || std::any_of(tld.begin(), tld.end(), [](char c) { return c < 'A'; })) {
    return 0;
  }
  if (needKnownTld && !knownTld(tld)) return 0;
  return host.size();
}

// End of a link's path, query and fragment from `at`, trailing punctuation left out.
std::size_t linkEnd(std::string_view s, std::size_t at) {
  std::size_t end = at;
  while (end < s.size()) {
    std::size_t next = end;
    const char32_t cp = decodeUtf8(s, next);
    if (endsLink(cp)) break;
    end = next;
  }
  while (end > at) {
    const char c = s[end - 1];
    if (c == '.' || c == ',' || c == ';' || c == ':' || c == '!' || c == '?' || c == '\'' ||
        c == '*') {
      --end;
      continue;
    }
    if (c == ')' || c == ']' || c == '}') {
      const char open = c == ')' ? '(' : c == ']' ? '[' : '{';
      const std::string_view body = s.substr(at, end - at);
      if (std::count(body.begin(), body.end(), open) < std::count(body.begin(), body.end(), c)) {
        --end;
        continue;
      }
    }
    break;
  }
  return end;
}

bool linkMayStartAfter(char32_t before) {
  return before == 0 || isIdeographic(before) ||
         !(isAlnum(before) || before == '@' || before == '.' || before == '-' || before == '_' ||
           before == '/' || before == '#');
}

bool byOffset(const EntityMatch& a, const EntityMatch& b) {
  return a.offset < b.offset;
}

// `into` is sorted by offset and its entries do not overlap, so the neighbours of the
// insertion point are the only ones that can overlap `m`.
void addUnlessOverlapping(std::vector<EntityMatch>& into, const std::vector<EntityMatch>& found) {
  for (const auto& m : found) {
    const auto at = std::upper_bound(into.begin(), into.end(), m, byOffset);
    const bool overlapsNext = at != into.end() && at->offset < m.offset + m.length;
    const bool overlapsPrevious =
        at != into.begin() && std::prev(at)->offset + std::prev(at)->length > m.offset;
    if (!overlapsNext && !overlapsPrevious && m.length > 0) into.insert(at, m);
  }
}

}  // namespace

void addEntitiesUnlessOverlapping(std::vector<EntityMatch>& into,
                                  const std::vector<EntityMatch>& found) {
  addUnlessOverlapping(into, found);
}

std::vector<EntityMatch> findUrls(std::string_view s) {
  std::vector<EntityMatch> out;
  for (std::size_t i = 0; i < s.size();) {
    if (!isAsciiAlnum(s[i]) || !linkMayStartAfter(codePointBefore(s, i))) {
      ++i;
      continue;
    }
    std::size_t hostAt = i;
    bool scheme = false;
    if (startsWithNoCase(s, i, "https://")) {
      hostAt = i + 8, scheme = true;
    } else if (startsWithNoCase(s, i, "http://")) {
      hostAt = i + 7, scheme = true;
    }
    const bool www = !scheme && startsWithNoCase(s, i, "www.");
    const std::size_t host = hostLength(s, hostAt, !scheme && !www);
    std::size_t after = hostAt + host;
    // A bare domain followed by "@" is the domain of something else; "a.b" inside a word is not
    // a domain either.
    const bool usable =
        host > 0 && (after >= s.size() || (s[after] != '@' && !isAsciiAlnum(s[after])));
    if (!usable) {
      while (i < s.size() && isHostChar(s[i])) ++i;
      if (scheme) i = hostAt;
      continue;
    }
    if (after < s.size() && s[after] == ':') {
      std::size_t port = after + 1;
      while (port < s.size() && s[port] >= '0' && s[port] <= '9') ++port;
      if (port > after + 1) after = port;
    }
    std::size_t end = after;
    if (after < s.size() && (s[after] == '/' || s[after] == '?' || s[after] == '#')) {
      end = linkEnd(s, after);
    }
    out.push_back({i, end - i, "url"});
    i = end;
  }
  return out;
}

std::vector<EntityMatch> findEmails(std::string_view s) {
  std::vector<EntityMatch> out;
  const auto isLocal = [](char c) {
    return isAsciiAlnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
  };
  std::size_t from = 0;
  for (std::size_t at = s.find('@'); at != std::string_view::npos; at = s.find('@', from)) {
    from = at + 1;
    std::size_t start = at;
    while (start > 0 && isLocal(s[start - 1])) --start;
    while (start < at && s[start] == '.') ++start;
    // "@bob@mastodon.social" is a mention, not an address.
    if (start == at || (start > 0 && s[start - 1] == '@') ||
        (start > 0 && static_cast<unsigned char>(s[start - 1]) >= 0x80 &&
         isAlnum(codePointBefore(s, start)))) {
      continue;
    }
    const std::size_t host = hostLength(s, at + 1, false);
    if (host == 0 || s.substr(at + 1, host) == "localhost") continue;
    out.push_back({start, at + 1 + host - start, "email"});
    from = at + 1 + host;
  }
  return out;
}

std::vector<EntityMatch> findMentions(std::string_view s) {
  std::vector<EntityMatch> out;
  const auto isName = [](char c) { return isAsciiAlnum(c) || c == '_'; };
  std::size_t from = 0;
  for (std::size_t at = s.find('@'); at != std::string_view::npos; at = s.find('@', from)) {
    from = at + 1;
    const char32_t before = codePointBefore(s, at);
    if (before != 0 && (isAlnum(before) || before == '_' || before == '@' || before == '.' ||
                        before == '/' || before == '-')) {
      continue;
    }
    std::size_t end = at + 1;
    while (end < s.size() && isName(s[end])) ++end;
    if (end == at + 1) continue;
    if (end < s.size() && s[end] == '@') {  // Mastodon: @user@instance
      const std::size_t host = hostLength(s, end + 1, false);
      if (host > 0) end += 1 + host;
    } else if (end < s.size() && s[end] == '.') {  // Bluesky handle: @alice.bsky.social
      const std::size_t host = hostLength(s, at + 1, false);
      if (host > end - at - 1) end = at + 1 + host;
    }
    if (end < s.size() && (s[end] == '@' || isName(s[end]))) continue;
    out.push_back({at, end - at, "mention"});
    from = end;
  }
  return out;
}

std::vector<EntityMatch> findHashtags(std::string_view s) {
  std::vector<EntityMatch> out;
  std::size_t from = 0;
  for (std::size_t at = s.find('#'); at != std::string_view::npos; at = s.find('#', from)) {
    from = at + 1;
    const char32_t before = codePointBefore(s, at);
    if (before != 0 && (isAlnum(before) || before == '&' || before == '#' || before == '/' ||
                        before == '_' || before == '@')) {
      continue;
    }
    std::size_t end = at + 1;
    bool letter = false;
    while (end < s.size()) {
      std::size_t next = end;
      const char32_t cp = decodeUtf8(s, next);
      if (!(isAlnum(cp) || cp == '_' || cp == 0x200C || cp == 0x200D)) break;
      letter = letter || isLetter(cp);
      end = next;
    }
    if (!letter || codePointAt(s, end) == 0xFE0F || codePointAt(s, end) == 0x20E3) continue;
    out.push_back({at, end - at, "hashtag"});
    from = end;
  }
  return out;
}

}  // namespace common::text

namespace common::text {

std::vector<EntityMatch> findEntities(std::string_view utf8, std::string_view language) {
  std::vector<EntityMatch> all;
  addEntitiesUnlessOverlapping(all, findEmails(utf8));
  addEntitiesUnlessOverlapping(all, findUrls(utf8));
  addEntitiesUnlessOverlapping(all, findMentions(utf8));
  addEntitiesUnlessOverlapping(all, findHashtags(utf8));
  addEntitiesUnlessOverlapping(all, findQuantities(utf8, language));
  addEntitiesUnlessOverlapping(all, findNames(utf8, language, all));
  return all;
}

}  // namespace common::text
