#include "platform/Thread.h"

#include "platform/Pieces.h"
#include "text/Segments.h"

namespace common::platform {
namespace {

std::string_view trimmed(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\n'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n'))
    s.remove_suffix(1);
  return s;
}

class Packer {
 public:
  Packer(std::string_view text, const Rules& rules, bool numbering, std::size_t total)
      : text_(text), rules_(rules), numbering_(numbering), total_(total) {}

  std::vector<std::string> pack() {
    const auto sentences = text::sentences(text_);
    std::size_t previousEnd = 0;
    for (const auto& s : sentences) {
      const std::string_view gap = text_.substr(previousEnd, s.offset - previousEnd);
      previousEnd = s.offset + s.text.size();
      const std::string joiner = gap.find('\n') != std::string_view::npos ? "\n" : " ";
      if (!current_.empty() && fits(current_ + joiner + std::string(s.text))) {
        current_ += joiner + std::string(s.text);
        continue;
      }
      flush();
      if (fits(std::string(s.text))) {
        current_ = std::string(s.text);
      } else {
        cutSentence(s.text);
      }
    }
    flush();
    return parts_;
  }

 private:
  std::string suffix(std::size_t k) const {
    return numbering_ ? " " + std::to_string(k) + "/" + std::to_string(total_) : std::string();
  }
  bool fits(const std::string& part) const {
    return measure(part + suffix(parts_.size() + 1), rules_).fits();
  }
  void flush() {
    if (!current_.empty()) parts_.push_back(std::move(current_));
    current_.clear();
  }

  // A sentence longer than a part: as many whole words as fit in each part; the rest stays
  // open for the next sentence to join.
  void cutSentence(std::string_view sentence) {
    const std::vector<std::size_t> ends = detail::wordEnds(sentence);
    std::size_t from = 0;
    while (from < sentence.size()) {
      std::string best;
      std::size_t bestEnd = from;
      for (const std::size_t end : ends) {
        if (end <= from) continue;
        std::string candidate(trimmed(sentence.substr(from, end - from)));
        if (!fits(candidate)) break;
        best = std::move(candidate), bestEnd = end;
      }
      if (bestEnd == from) {
        throw PlatformError("a word is longer than " + std::string(platformName(rules_.platform)) +
                            "'s limit of " + std::to_string(rules_.limit) + " (" + rules_.rule +
                            ")");
      }
      current_ = std::move(best);
      from = bestEnd;
      while (from < sentence.size() && (sentence[from] == ' ' || sentence[from] == '\t')) ++from;
      if (from < sentence.size()) flush();
    }
  }

  std::string_view text_;
  const Rules& rules_;
  bool numbering_;
  std::size_t total_;
  std::vector<std::string> parts_;
  std::string current_;
};

}  // namespace

std::vector<std::string> splitThread(std::string_view utf8, const Rules& rules,
                                     const ThreadOptions& options) {
  if (measure(utf8, rules).fits()) return {std::string(utf8)};
  // The numbering's length depends on the number of parts: pack until the count is stable.
  std::size_t total = 2;
  std::vector<std::string> parts;
  for (int attempt = 0; attempt < 8; ++attempt) {
    parts = Packer(utf8, rules, options.numbering, total).pack();
    if (!options.numbering || parts.size() == total) break;
    total = parts.size();
  }
  if (options.numbering && parts.size() != total) {
    throw PlatformError("cannot number the thread's parts consistently");
  }
  if (options.numbering) {
    for (std::size_t k = 0; k < parts.size(); ++k) {
      parts[k] += " " + std::to_string(k + 1) + "/" + std::to_string(parts.size());
    }
  }
  return parts;
}

}  // namespace common::platform
