#include "text/Sentiment.h"

#include "text/Stemmer.h"
#include "text/WordLists.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <mutex>
#include <set>

namespace common::text {
namespace {

struct Lexicon {
  std::map<std::string, double, std::less<>> byWord;
  std::map<std::string, double, std::less<>> byStem;
  std::set<std::string, std::less<>> negators;
  std::map<std::string, double, std::less<>> boosters;
};

// "word:2" -> ("word", 2).
std::pair<std::string, double> entry(const std::string& text) {
  const std::size_t colon = text.rfind(':');
  if (colon == std::string::npos) return {text, 0.0};
  double value = 0.0;  // from_chars: the C locale's decimal point whatever the process's locale
  std::from_chars(text.data() + colon + 1, text.data() + text.size(), value);
  return {text.substr(0, colon), value};
}

Lexicon load(const std::string& language) {
  Lexicon lex;
  Stemmer stemmer(language);
  for (const auto& raw : wordListSection("sentiment", language)) {
    const auto [word, valence] = entry(raw);
    const std::string folded = lookupForm(word);
    lex.byWord[folded] = valence;
    lex.byStem.emplace(stemmer.stem(folded), valence);  // the first listed form wins a stem
  }
  for (const auto& word : wordListSection("sentiment", language + " negators")) {
    lex.negators.insert(lookupForm(word));
  }
  for (const auto& raw : wordListSection("sentiment", language + " boosters")) {
    const auto [word, factor] = entry(raw);
    lex.boosters[lookupForm(word)] = factor;
  }
  return lex;
}

const Lexicon* lexiconFor(const std::string& language) {
  static std::mutex mutex;
  static std::map<std::string, Lexicon> loaded;
  const std::lock_guard<std::mutex> lock(mutex);
  auto it = loaded.find(language);
  if (it == loaded.end()) it = loaded.emplace(language, load(language)).first;
  return it->second.byWord.empty() ? nullptr : &it->second;
}

double rounded(double value) {
  return std::round(value * 1000.0) / 1000.0;
}

}  // namespace

bool hasSentimentLexicon(std::string_view language) {
  return lexiconFor(std::string(language)) != nullptr;
}

Sentiment sentimentOf(const Document& doc) {
  const Lexicon* lex = lexiconFor(doc.language);
  if (lex == nullptr) return {0.0, "neutral"};
  double positive = 0.0, negative = 0.0;
  for (std::size_t i = 0; i < doc.words.size(); ++i) {
    const auto& w = doc.words[i];
    double valence = 0.0;
    if (const auto it = lex->byWord.find(w.folded); it != lex->byWord.end()) {
      valence = it->second;
    } else if (const auto st = lex->byStem.find(w.stem); st != lex->byStem.end() && w.content) {
      valence = st->second;
    }
    if (valence == 0.0) continue;
    if (i > 0 && doc.words[i - 1].sentence == w.sentence) {
      if (const auto b = lex->boosters.find(doc.words[i - 1].folded); b != lex->boosters.end()) {
        valence *= b->second;
      }
    }
    for (std::size_t back = 1; back <= 3 && back <= i; ++back) {
      const auto& before = doc.words[i - back];
      if (before.sentence != w.sentence) break;
      if (lex->negators.count(before.folded) > 0) {
        valence *= -0.75;
        break;
      }
    }
    (valence > 0 ? positive : negative) += std::fabs(valence);
  }
  const double score = (positive - negative) / (positive + negative + 2.0);
  std::string label = "neutral";
  if (std::min(positive, negative) >= 2.0 &&
      std::min(positive, negative) >= 0.5 * std::max(positive, negative)) {
    label = "mixed";
  } else if (score >= 0.15) {
    label = "positive";
  } else if (score <= -0.15) {
    label = "negative";
  }
  return {rounded(score), label};
}

}  // namespace common::text
