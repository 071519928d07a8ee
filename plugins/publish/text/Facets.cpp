#include "text/Facets.h"

#include <algorithm>
#include <cctype>

namespace publish::text {
namespace {

bool space(unsigned char c) {
  return c == ' ' || c == '\n' || c == '\t' || c == '\r';
}

bool boundaryBefore(const std::string& text, std::size_t pos) {
  if (pos == 0) return true;
  const auto c = static_cast<unsigned char>(text[pos - 1]);
  return space(c) || c == '(' || c == '[';
}

// Where a token that started at `start` ends: the next white space.
std::size_t tokenEnd(const std::string& text, std::size_t start) {
  std::size_t end = start;
  while (end < text.size() && !space(static_cast<unsigned char>(text[end]))) ++end;
  return end;
}

// Drops trailing punctuation a sentence puts after a link or tag.
std::size_t trimTrailing(const std::string& text, std::size_t start, std::size_t end) {
  static const std::string trailing = ".,;:!?)]}'\"";
  while (end > start && trailing.find(text[end - 1]) != std::string::npos) --end;
  return end;
}

bool handleChar(unsigned char c) {
  return std::isalnum(c) || c == '.' || c == '-';
}

std::size_t utf8Length(const std::string& text, std::size_t start, std::size_t end) {
  std::size_t count = 0;
  for (std::size_t i = start; i < end; ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) ++count;
  }
  return count;
}

}  // namespace

std::vector<Facet> findFacets(const std::string& text) {
  std::vector<Facet> facets;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const bool atBoundary = boundaryBefore(text, pos);
    const char c = text[pos];
    if (atBoundary &&
        (text.compare(pos, 8, "https://") == 0 || text.compare(pos, 7, "http://") == 0)) {
      const std::size_t end = trimTrailing(text, pos, tokenEnd(text, pos));
      facets.push_back({Facet::Kind::link, pos, end, text.substr(pos, end - pos)});
      pos = std::max(end, pos + 1);
      continue;
    }
    if (atBoundary && c == '@') {
      std::size_t end = pos + 1;
      while (end < text.size() && handleChar(static_cast<unsigned char>(text[end]))) ++end;
      while (end > pos + 1 && (text[end - 1] == '.' || text[end - 1] == '-')) --end;
      const std::string handle = text.substr(pos + 1, end - pos - 1);
      const auto dot = handle.find('.');
      if (dot != std::string::npos && dot > 0 && dot + 1 < handle.size()) {
        facets.push_back({Facet::Kind::mention, pos, end, handle});
        pos = end;
        continue;
      }
    }
    if (atBoundary && c == '#') {
      const std::size_t end = trimTrailing(text, pos + 1, tokenEnd(text, pos + 1));
      const std::string tag = text.substr(pos + 1, end - pos - 1);
      const bool digitsOnly =
          std::all_of(tag.begin(), tag.end(), [](unsigned char d) { return std::isdigit(d) != 0; });
      if (!tag.empty() && !digitsOnly && tag.find('#') == std::string::npos &&
          utf8Length(tag, 0, tag.size()) <= 64) {
        facets.push_back({Facet::Kind::tag, pos, end, tag});
        pos = end;
        continue;
      }
    }
    ++pos;
  }
  return facets;
}

}  // namespace publish::text
