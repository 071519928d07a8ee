#include "text/Summary.h"

#include <algorithm>
#include <cmath>
#include <set>

namespace common::text {
namespace {

std::size_t summaryLength(std::size_t sentences) {
  if (sentences <= 4) return 1;
  if (sentences <= 10) return 2;
  return 3;
}

// Clauses of one sentence, cut after ';' or ':' and around " - ", " – ", " — ".
std::vector<std::string> clauses(std::string_view sentence) {
  std::vector<std::string> out;
  std::size_t start = 0;
  const auto cut = [&](std::size_t end, std::size_t next) {
    std::string_view text = sentence.substr(start, end - start);
    while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
    while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
    if (!text.empty()) out.emplace_back(text);
    start = next;
  };
  for (std::size_t i = 0; i < sentence.size(); ++i) {
    if (sentence[i] == ';' || sentence[i] == ':') {
      cut(i + 1, i + 1);
    } else if (sentence.compare(i, 3, " - ") == 0) {
      cut(i, i + 3);
    } else if (sentence.compare(i, 5, " \xE2\x80\x93 ") == 0 ||
               sentence.compare(i, 5, " \xE2\x80\x94 ") == 0) {
      cut(i, i + 5);
    }
  }
  cut(sentence.size(), sentence.size());
  return out;
}

}  // namespace

std::vector<double> scoreSentences(const Document& doc, const std::vector<double>& wordScores) {
  std::vector<double> scores(doc.sentences.size(), 0.0);
  std::vector<std::set<std::string>> seen(doc.sentences.size());
  std::vector<std::size_t> wordCount(doc.sentences.size(), 0);
  for (std::size_t i = 0; i < doc.words.size(); ++i) {
    const auto& w = doc.words[i];
    ++wordCount[w.sentence];
    if (w.content && seen[w.sentence].insert(w.stem).second) scores[w.sentence] += wordScores[i];
  }
  for (std::size_t k = 0; k < scores.size(); ++k) {
    const double distinct = static_cast<double>(seen[k].size());
    if (distinct > 0) scores[k] = scores[k] / distinct * std::sqrt(distinct);
    if (k == 0) scores[k] *= 1.15;
    if (wordCount[k] < 4 || wordCount[k] > 60) scores[k] *= 0.5;
  }
  return scores;
}

std::vector<std::size_t> bestSentences(const std::vector<double>& scores, std::size_t count) {
  std::vector<std::size_t> order(scores.size());
  for (std::size_t k = 0; k < order.size(); ++k) order[k] = k;
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return scores[a] > scores[b]; });
  order.resize(std::min(count, order.size()));
  std::sort(order.begin(), order.end());
  return order;
}

std::string summarize(const Document& doc, const std::vector<double>& sentenceScores) {
  std::string out;
  for (const std::size_t k : bestSentences(sentenceScores, summaryLength(doc.sentences.size()))) {
    if (!out.empty()) out += ' ';
    out += doc.sentences[k].text;
  }
  return out;
}

std::vector<std::string> keyPoints(const Document& doc, const std::vector<double>& sentenceScores) {
  std::vector<std::string> out;
  if (doc.sentences.size() == 1) {
    out = clauses(doc.sentences[0].text);
    if (out.size() > 5) out.resize(5);
    return out;
  }
  for (const std::size_t k : bestSentences(sentenceScores, 5)) {
    out.emplace_back(doc.sentences[k].text);
  }
  return out;
}

}  // namespace common::text
