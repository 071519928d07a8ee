#include "platform/Detect.h"

#include "text/Entities.h"
#include "text/Unicode.h"

#include <algorithm>
#include <cctype>

namespace common::platform {
namespace {

Span spanOf(std::string_view utf8, std::size_t offset, std::size_t length) {
  return {offset, offset + length, std::string(utf8.substr(offset, length))};
}

bool hasScheme(std::string_view link) {
  std::string head(link.substr(0, 8));
  for (char& c : head) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return head.rfind("http://", 0) == 0 || head.rfind("https://", 0) == 0;
}

bool nameChar(char c, bool dotsAllowed) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || (dotsAllowed && c == '.');
}

// "@name" of at most `maxLength` name characters, as a whole word.
std::vector<Span> simpleMentions(std::string_view utf8, std::size_t maxLength, bool dots) {
  std::vector<Span> out;
  for (const auto& m : text::findMentions(utf8)) {
    std::size_t end = m.offset + 1;
    while (end < m.offset + m.length && nameChar(utf8[end], dots)) ++end;
    while (end > m.offset + 1 && utf8[end - 1] == '.') --end;
    const std::size_t length = end - m.offset - 1;
    if (length == 0 || length > maxLength) continue;
    out.push_back(spanOf(utf8, m.offset, end - m.offset));
  }
  return out;
}

}  // namespace

std::vector<Span> findLinks(std::string_view utf8, Platform platform) {
  const bool bareDomains =
      platform == Platform::X || platform == Platform::Bluesky || platform == Platform::LinkedIn;
  std::vector<Span> out;
  for (const auto& link : text::findUrls(utf8)) {
    const std::string_view s = utf8.substr(link.offset, link.length);
    if (bareDomains || hasScheme(s)) out.push_back(spanOf(utf8, link.offset, link.length));
  }
  return out;
}

std::vector<Span> findMentions(std::string_view utf8, Platform platform) {
  switch (platform) {
    case Platform::X:
      return simpleMentions(utf8, 15, false);
    case Platform::Threads:
    case Platform::Instagram:
      return simpleMentions(utf8, 30, true);
    case Platform::Bluesky: {
      std::vector<Span> out;
      for (const auto& m : text::findMentions(utf8)) {
        const std::string_view handle = utf8.substr(m.offset + 1, m.length - 1);
        if (handle.find('.') != std::string_view::npos &&
            handle.find('@') == std::string_view::npos) {
          out.push_back(spanOf(utf8, m.offset, m.length));
        }
      }
      return out;
    }
    case Platform::Mastodon: {  // "@user@instance" whole, else "@user" ("@a.b" is "@a")
      std::vector<Span> out;
      for (const auto& m : text::findMentions(utf8)) {
        const std::string_view body = utf8.substr(m.offset + 1, m.length - 1);
        std::size_t name = 0;
        while (name < body.size() && nameChar(body[name], false)) ++name;
        const bool remote = name < body.size() && body[name] == '@';
        out.push_back(spanOf(utf8, m.offset, remote ? m.length : name + 1));
      }
      return out;
    }
    case Platform::LinkedIn:
    case Platform::Facebook:
      return {};
  }
  return {};
}

std::vector<Span> findHashtags(std::string_view utf8) {
  std::vector<Span> out;
  for (const auto& t : text::findHashtags(utf8)) out.push_back(spanOf(utf8, t.offset, t.length));
  return out;
}

std::vector<Facet> blueskyFacets(std::string_view utf8) {
  std::vector<Facet> out;
  for (const auto& link : findLinks(utf8, Platform::Bluesky)) {
    const std::string uri = hasScheme(link.text) ? link.text : "https://" + link.text;
    out.push_back({link.byteStart, link.byteEnd, "app.bsky.richtext.facet#link", uri});
  }
  for (const auto& m : findMentions(utf8, Platform::Bluesky)) {
    out.push_back({m.byteStart, m.byteEnd, "app.bsky.richtext.facet#mention", m.text.substr(1)});
  }
  for (const auto& t : findHashtags(utf8)) {
    const std::string tag = t.text.substr(1);
    if (text::graphemeCount(tag) > 64 || tag.size() > 640) continue;
    const bool insideLink = std::any_of(out.begin(), out.end(), [&](const Facet& f) {
      return t.byteStart >= f.byteStart && t.byteStart < f.byteEnd;
    });
    if (!insideLink) out.push_back({t.byteStart, t.byteEnd, "app.bsky.richtext.facet#tag", tag});
  }
  std::sort(out.begin(), out.end(),
            [](const Facet& a, const Facet& b) { return a.byteStart < b.byteStart; });
  return out;
}

}  // namespace common::platform
