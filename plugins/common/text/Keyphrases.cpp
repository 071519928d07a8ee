#include "text/Keyphrases.h"

#include "text/Language.h"
#include "text/Unicode.h"
#include "text/Utf8.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <unordered_map>

namespace common::text {
namespace {

constexpr std::size_t kWindow = 4;
constexpr std::size_t kMaxPhraseWords = 4;
constexpr double kDamping = 0.85;

struct Graph {
  std::vector<std::string> stems;                          // node id -> stem
  std::vector<int> nodeOfWord;                             // word index -> node id or -1
  std::vector<std::vector<std::pair<int, double>>> edges;  // sorted by neighbour id
};

Graph buildGraph(const Document& doc) {
  Graph g;
  std::unordered_map<std::string, int> ids;
  g.nodeOfWord.assign(doc.words.size(), -1);
  for (std::size_t i = 0; i < doc.words.size(); ++i) {
    if (!doc.words[i].content) continue;
    const auto [it, added] = ids.emplace(doc.words[i].stem, static_cast<int>(g.stems.size()));
    if (added) g.stems.push_back(doc.words[i].stem);
    g.nodeOfWord[i] = it->second;
  }
  std::vector<std::map<int, double>> weights(g.stems.size());
  std::vector<int> recent;  // content words of the current sentence
  std::size_t sentence = 0;
  for (std::size_t i = 0; i < doc.words.size(); ++i) {
    if (doc.words[i].sentence != sentence) recent.clear(), sentence = doc.words[i].sentence;
    const int node = g.nodeOfWord[i];
    if (node < 0) continue;
    const std::size_t from = recent.size() > kWindow - 1 ? recent.size() - (kWindow - 1) : 0;
    for (std::size_t k = from; k < recent.size(); ++k) {
      if (recent[k] == node) continue;
      weights[static_cast<std::size_t>(node)][recent[k]] += 1.0;
      weights[static_cast<std::size_t>(recent[k])][node] += 1.0;
    }
    recent.push_back(node);
  }
  g.edges.resize(g.stems.size());
  for (std::size_t v = 0; v < weights.size(); ++v) {
    g.edges[v].assign(weights[v].begin(), weights[v].end());
  }
  return g;
}

std::vector<double> pageRank(const Graph& g) {
  const std::size_t n = g.stems.size();
  std::vector<double> score(n, 1.0), next(n), outWeight(n, 0.0);
  for (std::size_t v = 0; v < n; ++v) {
    for (const auto& [u, w] : g.edges[v]) outWeight[v] += w;
  }
  for (int iteration = 0; iteration < 60; ++iteration) {
    double change = 0.0;
    for (std::size_t v = 0; v < n; ++v) {
      double sum = 0.0;
      for (const auto& [u, w] : g.edges[v]) {
        const auto from = static_cast<std::size_t>(u);
        sum += w / outWeight[from] * score[from];
      }
      next[v] = (1.0 - kDamping) + kDamping * sum;
      change = std::max(change, std::fabs(next[v] - score[v]));
    }
    score.swap(next);
    if (change < 1e-9) break;
  }
  const double best = n == 0 ? 1.0 : *std::max_element(score.begin(), score.end());
  for (double& s : score) s /= best;
  return score;
}

bool allUpperCase(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    const char32_t cp = decodeUtf8(text, i);
    if (isLetter(cp) && !isUpper(cp)) return false;
  }
  return true;
}

// The form to show for a stem: its most written form, case aside (sentence-initial capitals
// count half), spelt as in its first mid-sentence use; a form seen only at sentence starts is
// shown in lower case (except in German, which capitalises nouns, and for acronyms).
std::string displayForm(const Document& doc, const std::vector<std::size_t>& occurrences) {
  std::vector<std::pair<std::string_view, double>> forms;  // folded form -> weight
  for (const std::size_t i : occurrences) {
    const auto& w = doc.words[i];
    const bool initial = w.offset == doc.sentences[w.sentence].offset;
    auto it = std::find_if(forms.begin(), forms.end(),
                           [&](const auto& f) { return f.first == w.folded; });
    if (it == forms.end()) it = forms.insert(forms.end(), {w.folded, 0.0});
    it->second += initial ? 0.5 : 1.0;
  }
  const std::string_view best =
      std::max_element(forms.begin(), forms.end(), [](const auto& a, const auto& b) {
        return a.second < b.second;
      })->first;
  std::string_view spelt;
  for (const std::size_t i : occurrences) {
    const auto& w = doc.words[i];
    if (w.folded != best) continue;
    if (spelt.empty()) spelt = w.text;
    if (w.offset != doc.sentences[w.sentence].offset) return std::string(w.text);
  }
  std::string form(spelt);
  if (doc.language != "de" && !allUpperCase(form)) form = toLower(form, doc.language);
  return form;
}

bool endsWith(std::string_view word, std::string_view suffix) {
  return word.size() >= suffix.size() &&
         word.compare(word.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// English participles at a phrase's edges are verbs more often than not: "raised interest
// rates" is about "interest rates", "package damaged" about the "package" ("machine learning"
// keeps its trailing "-ing").
bool verbLike(const Document& doc, std::size_t i, bool leading) {
  if (doc.language != "en" || doc.words[i].name) return false;
  const std::string& w = doc.words[i].folded;
  if (w.size() < 5) return false;
  return endsWith(w, "ed") || (leading && endsWith(w, "ing"));
}

struct Candidate {
  std::string key;
  std::vector<std::string> stems;
  std::string text;
  std::size_t first;
  std::size_t count = 0;
  double score = 0.0;
};

// Whether `inner` is a contiguous run of `outer`.
bool contains(const std::vector<std::string>& outer, const std::vector<std::string>& inner) {
  return std::search(outer.begin(), outer.end(), inner.begin(), inner.end()) != outer.end();
}

}  // namespace

std::vector<double> textRank(const Document& doc) {
  const Graph g = buildGraph(doc);
  const std::vector<double> nodeScores = pageRank(g);
  std::vector<double> byWord(doc.words.size(), 0.0);
  for (std::size_t i = 0; i < doc.words.size(); ++i) {
    if (g.nodeOfWord[i] >= 0) byWord[i] = nodeScores[static_cast<std::size_t>(g.nodeOfWord[i])];
  }
  return byWord;
}

std::vector<Keyword> rankKeywords(const Document& doc, const std::vector<double>& wordScores,
                                  std::size_t max) {
  std::map<std::string, std::size_t> indexOfStem;
  std::vector<std::vector<std::size_t>> occurrences;
  std::vector<double> scores;
  for (std::size_t i = 0; i < doc.words.size(); ++i) {
    if (!doc.words[i].content) continue;
    const auto [it, added] = indexOfStem.emplace(doc.words[i].stem, occurrences.size());
    if (added) occurrences.emplace_back(), scores.push_back(wordScores[i]);
    occurrences[it->second].push_back(i);
  }
  std::vector<std::size_t> order(occurrences.size());
  for (std::size_t k = 0; k < order.size(); ++k) order[k] = k;
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return scores[a] > scores[b]; });
  std::vector<Keyword> out;
  for (std::size_t k = 0; k < order.size() && out.size() < max; ++k) {
    out.push_back({displayForm(doc, occurrences[order[k]]), scores[order[k]]});
  }
  return out;
}

std::vector<Keyphrase> rankKeyphrases(const Document& doc, const std::vector<double>& wordScores,
                                      std::size_t max) {
  // Strong words: the best third of the vocabulary (at least eight).
  std::map<std::string, double> stemScore;
  for (std::size_t i = 0; i < doc.words.size(); ++i) {
    if (doc.words[i].content) stemScore[doc.words[i].stem] = wordScores[i];
  }
  std::vector<double> sorted;
  for (const auto& [stem, score] : stemScore) sorted.push_back(score);
  std::sort(sorted.begin(), sorted.end(), std::greater<>());
  const std::size_t strongCount =
      std::min(sorted.size(), std::max<std::size_t>(8, sorted.size() / 3));
  const double strongFloor = strongCount == 0 ? 0.0 : sorted[strongCount - 1];
  const auto strong = [&](std::size_t i) { return wordScores[i] >= strongFloor; };

  std::map<std::string, Candidate> candidates;
  const auto addRun = [&](std::size_t begin, std::size_t end) {  // [begin, end) content words
    const bool wholeName = std::all_of(doc.words.begin() + static_cast<std::ptrdiff_t>(begin),
                                       doc.words.begin() + static_cast<std::ptrdiff_t>(end),
                                       [](const DocumentWord& w) { return w.name; });
    while (!wholeName && begin < end && (!strong(begin) || verbLike(doc, begin, true))) ++begin;
    while (!wholeName && end > begin && (!strong(end - 1) || verbLike(doc, end - 1, false))) --end;
    if (begin == end) return;
    Candidate c;
    double sum = 0.0;
    for (std::size_t i = begin; i < end; ++i) {
      c.stems.push_back(doc.words[i].stem);
      c.key += (i > begin ? " " : "") + doc.words[i].stem;
      sum += wordScores[i];
    }
    const std::size_t from = doc.words[begin].offset;
    const std::size_t to = doc.words[end - 1].offset + doc.words[end - 1].text.size();
    auto [it, added] = candidates.emplace(c.key, c);
    if (added) {
      it->second.text = doc.text.substr(from, to - from);
      it->second.first = begin;
      it->second.score = sum;
    }
    ++it->second.count;
  };
  std::size_t runStart = 0;
  for (std::size_t i = 0; i <= doc.words.size(); ++i) {
    const bool continues = i < doc.words.size() && doc.words[i].content &&
                           (i == runStart || !doc.words[i].phraseBreakBefore) &&
                           i - runStart < kMaxPhraseWords;
    if (continues) continue;
    if (i > runStart) addRun(runStart, i);
    runStart = i < doc.words.size() && doc.words[i].content ? i : i + 1;
  }

  std::vector<Candidate> ranked;
  for (auto& [key, c] : candidates) {
    const double length = static_cast<double>(c.stems.size());
    c.score = c.score / length * std::sqrt(length) * (1.0 + std::log(static_cast<double>(c.count)));
    ranked.push_back(std::move(c));
  }
  std::sort(ranked.begin(), ranked.end(), [](const Candidate& a, const Candidate& b) {
    return a.score != b.score ? a.score > b.score : a.first < b.first;
  });
  std::vector<Keyphrase> out;
  std::vector<const Candidate*> kept;
  for (const auto& c : ranked) {
    if (out.size() >= max) break;
    const bool inside = std::any_of(kept.begin(), kept.end(), [&](const Candidate* k) {
      return k->stems.size() > c.stems.size() && contains(k->stems, c.stems);
    });
    if (inside) continue;
    kept.push_back(&c);
    std::string text = c.text;
    if (c.stems.size() == 1 && doc.language != "de" &&
        doc.words[c.first].offset == doc.sentences[doc.words[c.first].sentence].offset &&
        !allUpperCase(text)) {
      text = toLower(text, doc.language);
    }
    out.push_back({std::move(text), c.score, c.count});
  }
  if (!out.empty()) {
    const double best = out.front().score;
    for (auto& k : out) k.score = best > 0 ? k.score / best : 0.0;
  }
  return out;
}

std::vector<Keyphrase> extractKeyphrases(std::string_view utf8, std::string_view language,
                                         std::size_t max) {
  std::string text = nfc(repairUtf8(utf8));
  std::string lang(language);
  if (lang.empty()) lang = detectLanguage(text).code;
  const Document doc = prepareDocument(std::move(text), std::move(lang));
  return rankKeyphrases(doc, textRank(doc), max);
}

}  // namespace common::text
