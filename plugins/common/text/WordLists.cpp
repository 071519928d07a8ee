#include "text/WordLists.h"

#include "text/Unicode.h"

#include <map>
#include <mutex>
#include <stdexcept>
#include <unordered_set>

namespace common::text {
namespace detail {
std::string_view embeddedWordList(std::string_view name);  // generated from data/
}
namespace {

std::vector<WordListSection> parse(std::string_view text) {
  std::vector<WordListSection> sections;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    if (const std::size_t hash = line.find('#'); hash != std::string_view::npos) {
      line = line.substr(0, hash);
    }
    const std::size_t open = line.find('[');
    if (open != std::string_view::npos && line.find(']') != std::string_view::npos) {
      const std::size_t close = line.find(']');
      sections.push_back({std::string(line.substr(open + 1, close - open - 1)), {}});
      continue;
    }
    std::size_t i = 0;
    while (i < line.size()) {
      while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r')) ++i;
      std::size_t j = i;
      while (j < line.size() && line[j] != ' ' && line[j] != '\t' && line[j] != '\r') ++j;
      if (j > i) {
        if (sections.empty()) throw std::logic_error("word list entry before any [section]");
        std::string entry(line.substr(i, j - i));
        for (char& c : entry) {
          if (c == '_') c = ' ';
        }
        sections.back().entries.push_back(std::move(entry));
      }
      i = j;
    }
  }
  return sections;
}

struct Stopwords {
  std::map<std::string, std::unordered_set<std::string>, std::less<>> byLanguage;
};

const Stopwords& stopwords() {
  static const Stopwords lists = [] {
    Stopwords s;
    for (const auto& section : wordList("stopwords")) {
      auto& set = s.byLanguage[section.name];
      for (const auto& word : section.entries) set.insert(lookupForm(word));
    }
    return s;
  }();
  return lists;
}

}  // namespace

const std::vector<WordListSection>& wordList(std::string_view file) {
  static std::mutex mutex;
  static std::map<std::string, std::vector<WordListSection>, std::less<>> parsed;
  const std::lock_guard<std::mutex> lock(mutex);
  if (const auto it = parsed.find(file); it != parsed.end()) return it->second;
  const std::string_view text = detail::embeddedWordList(file);
  if (text.empty()) throw std::logic_error("no embedded word list '" + std::string(file) + "'");
  return parsed.emplace(std::string(file), parse(text)).first->second;
}

const std::vector<std::string>& wordListSection(std::string_view file, std::string_view section) {
  static const std::vector<std::string> none;
  for (const auto& s : wordList(file)) {
    if (s.name == section) return s.entries;
  }
  return none;
}

bool isStopword(std::string_view foldedWord, std::string_view language) {
  const auto& lists = stopwords().byLanguage;
  const auto it = lists.find(language);
  return it != lists.end() && it->second.count(std::string(foldedWord)) > 0;
}

bool hasStopwords(std::string_view language) {
  return stopwords().byLanguage.count(language) > 0;
}

std::string lookupForm(std::string_view word) {
  std::string folded = foldCase(word);
  std::string out;
  out.reserve(folded.size());
  for (std::size_t i = 0; i < folded.size(); ++i) {
    if (folded.compare(i, 3, "\xE2\x80\x99") == 0) {
      out.push_back('\'');
      i += 2;
    } else {
      out.push_back(folded[i]);
    }
  }
  return out;
}

}  // namespace common::text
