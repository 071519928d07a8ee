#include "platform/Pieces.h"

#include "text/Entities.h"
#include "text/Segments.h"
#include "text/Unicode.h"

#include <algorithm>

namespace common::platform::detail {

std::vector<std::size_t> wordEnds(std::string_view utf8) {
  std::vector<text::EntityMatch> whole = text::findUrls(utf8);
  for (auto list : {text::findEmails(utf8), text::findMentions(utf8), text::findHashtags(utf8)}) {
    text::addEntitiesUnlessOverlapping(whole, list);
  }
  std::sort(whole.begin(), whole.end(), [](const text::EntityMatch& a, const text::EntityMatch& b) {
    return a.offset < b.offset;
  });
  std::size_t next = 0;  // word ends come in order: one pass over the entities
  const auto inside = [&](std::size_t at) {
    while (next < whole.size() && whole[next].offset + whole[next].length <= at) ++next;
    return next < whole.size() && at > whole[next].offset;
  };
  std::vector<std::size_t> ends;
  for (const auto& w : text::words(utf8)) {
    const std::size_t end = w.offset + w.text.size();
    // A word followed directly by letters or digits ("don" of "don't" never happens with ICU,
    // but "state" of "state-of-the-art" does) is still a boundary; inside entities it is not.
    if (!inside(end)) ends.push_back(end);
  }
  for (const auto& e : whole) ends.push_back(e.offset + e.length);
  std::sort(ends.begin(), ends.end());
  ends.erase(std::unique(ends.begin(), ends.end()), ends.end());
  // Keep a cut's trailing closing punctuation (")", "!", "?", ".") with its word.
  for (auto& end : ends) {
    while (end < utf8.size() &&
           std::string_view(")]}!?.\"'").find(utf8[end]) != std::string_view::npos) {
      ++end;
    }
  }
  ends.erase(std::unique(ends.begin(), ends.end()), ends.end());
  return ends;
}

std::string_view trimCut(std::string_view utf8, std::size_t end) {
  std::string_view s = utf8.substr(0, end);
  while (!s.empty() && std::string_view(" \t\n,;:-").find(s.back()) != std::string_view::npos) {
    s.remove_suffix(1);
  }
  return s;
}

}  // namespace common::platform::detail
