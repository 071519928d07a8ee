#include "text/Style.h"

#include "text/Segments.h"
#include "text/Stemmer.h"
#include "text/Unicode.h"
#include "text/Utf8.h"
#include "text/WordLists.h"

#include <algorithm>
#include <array>
#include <map>
#include <mutex>
#include <set>

namespace common::text {
namespace {

// One cue list: single words and phrases (several words in a row), each by stem and as written.
struct Cues {
  std::string language;
  std::set<std::string> stems, forms;
  std::vector<std::vector<std::string>> stemPhrases, formPhrases;
};

Cues buildCues(const std::vector<std::string>& entries, const std::string& language) {
  Cues cues{language, {}, {}, {}, {}};
  Stemmer stemmer(language);
  for (const auto& entry : entries) {
    std::vector<std::string> stems, forms;
    for (const auto& w : words(entry, language)) {
      forms.push_back(lookupForm(w.text));
      stems.push_back(stemmer.stem(forms.back()));
    }
    if (stems.size() == 1) {
      cues.stems.insert(stems[0]);
      cues.forms.insert(forms[0]);
    } else if (stems.size() > 1) {
      cues.stemPhrases.push_back(std::move(stems));
      cues.formPhrases.push_back(std::move(forms));
    }
  }
  return cues;
}

// Whether the cue list matches at word `i`. Cues of the text's own language match by stem;
// English cues in another language's text match only as written and never a stopword of that
// language (German "die" is not English "dies").
bool matchesAt(const Document& doc, std::size_t i, const Cues& cues) {
  const bool own = cues.language == doc.language;
  const auto& w = doc.words[i];
  if (!own && w.stopword) return false;
  if (own ? cues.stems.count(w.stem) > 0 : cues.forms.count(w.folded) > 0) return true;
  const auto& phrases = own ? cues.stemPhrases : cues.formPhrases;
  return std::any_of(phrases.begin(), phrases.end(), [&](const auto& phrase) {
    if (i + phrase.size() > doc.words.size()) return false;
    for (std::size_t k = 0; k < phrase.size(); ++k) {
      const auto& word = doc.words[i + k];
      if ((own ? word.stem : word.folded) != phrase[k]) return false;
    }
    return true;
  });
}

// Cues of "[name language]" in `file`, for the text's language and for English.
std::vector<const Cues*> cuesFor(const std::string& file, const std::string& name,
                                 const std::string& language) {
  static std::mutex mutex;
  static std::map<std::string, Cues> built;
  std::vector<const Cues*> out;
  const std::lock_guard<std::mutex> lock(mutex);
  std::vector<std::string> languages{language};
  if (language != "en") languages.emplace_back("en");
  for (const std::string& lang : languages) {
    const std::string key = file + "/" + name + " " + lang;
    auto it = built.find(key);
    if (it == built.end()) {
      it = built.emplace(key, buildCues(wordListSection(file, name + " " + lang), lang)).first;
    }
    out.push_back(&it->second);
  }
  return out;
}

std::size_t countCues(const Document& doc, const std::vector<const Cues*>& lists) {
  std::size_t count = 0;
  for (std::size_t i = 0; i < doc.words.size(); ++i) {
    if (doc.words[i].masked) continue;
    const bool hit = std::any_of(lists.begin(), lists.end(),
                                 [&](const Cues* cues) { return matchesAt(doc, i, *cues); });
    count += hit ? 1 : 0;
  }
  return count;
}

std::size_t countCues(const Document& doc, const std::string& file, const std::string& name) {
  return countCues(doc, cuesFor(file, name, doc.language));
}

struct Features {
  std::size_t words = 0, exclamations = 0, questions = 0, capitalWords = 0, contractions = 0,
              emoji = 0, laughing = 0, money = 0, letters = 0;
};

Features featuresOf(const Document& doc) {
  Features f;
  for (const auto& w : doc.words) {
    if (w.masked) continue;
    ++f.words;
    const std::size_t n = codePointCount(w.text);
    f.letters += n;
    bool upper = n >= 3 && w.kind == WordKind::Letter;
    for (std::size_t i = 0; i < w.text.size() && upper;) upper = isUpper(decodeUtf8(w.text, i));
    f.capitalWords += upper ? 1 : 0;
    const bool apostrophe = w.text.find('\'') != std::string_view::npos ||
                            w.text.find("\xE2\x80\x99") != std::string_view::npos;
    f.contractions += apostrophe && doc.language == "en" ? 1 : 0;
  }
  f.exclamations = static_cast<std::size_t>(std::count(doc.text.begin(), doc.text.end(), '!'));
  f.questions = static_cast<std::size_t>(std::count(doc.text.begin(), doc.text.end(), '?'));
  forEachGrapheme(doc.text, [&](std::string_view cluster) {
    if (!isEmojiCluster(cluster)) return;
    ++f.emoji;
    std::size_t at = 0;
    const char32_t cp = decodeUtf8(cluster, at);
    if (cp == 0x1F602 || cp == 0x1F923 || cp == 0x1F606 || cp == 0x1F639) ++f.laughing;
  });
  for (const auto& e : doc.entities) f.money += e.type == "money" ? 1 : 0;
  return f;
}

double perLength(double raw, const Features& f) {
  return raw / (1.0 + static_cast<double>(f.words) / 100.0);
}

}  // namespace

std::string toneOf(const Document& doc, const Readability& readability) {
  const Features f = featuresOf(doc);
  const auto cues = [&](const char* name) {
    return static_cast<double>(countCues(doc, "style", name));
  };
  const double averageLetters =
      f.words == 0 ? 0.0 : static_cast<double>(f.letters) / static_cast<double>(f.words);
  const bool longAndPlain =
      f.contractions == 0 && averageLetters >= 5.5 && readability.wordsPerSentence >= 20.0;
  const std::array<std::pair<const char*, double>, 6> scores = {{
      {"promotional", cues("promotional") + 0.5 * static_cast<double>(f.money)},
      {"urgent",
       cues("urgent") + (f.exclamations >= 2 ? 0.5 : 0.0) + (f.capitalWords >= 2 ? 1.0 : 0.0)},
      {"humorous", 1.5 * cues("humorous") + 1.5 * static_cast<double>(f.laughing)},
      {"inspirational", cues("inspirational")},
      {"formal", 1.5 * cues("formal") + (longAndPlain ? 2.0 : 0.0)},
      {"conversational", 0.5 * cues("pronouns") +
                             static_cast<double>(std::min<std::size_t>(f.questions, 3)) +
                             0.5 * static_cast<double>(f.contractions)},
  }};
  const char* best = "informative";
  double bestScore = 1.0 - 1e-9;
  for (const auto& [tone, raw] : scores) {
    const double score = perLength(raw, f);
    if (raw >= 2.0 && score > bestScore) best = tone, bestScore = score;
  }
  return best;
}

std::string audienceOf(const Document& doc, const Readability& readability,
                       const std::string& tone) {
  const Features f = featuresOf(doc);
  const double words = static_cast<double>(std::max<std::size_t>(f.words, 1));
  const auto dense = [&](std::size_t count) {
    return count >= 2 && static_cast<double>(count) / words >= 0.02;
  };
  if (dense(countCues(doc, "style", "technical"))) return "technical";
  const bool hard = readability.level == "difficult" || readability.level == "very difficult";
  if (dense(countCues(doc, "style", "professional")) || (tone == "formal" && hard)) {
    return "professional";
  }
  const bool emojiRich = f.emoji >= 3 && static_cast<double>(f.emoji) / words >= 0.05 &&
                         readability.scale != "none" && readability.score >= 70.0;
  if (countCues(doc, "style", "young") >= 2 || emojiRich) return "young";
  return "general";
}

std::vector<std::string> contentWarnings(const Document& doc) {
  std::vector<std::string> out;
  for (const auto& section : wordList("warnings")) {
    const std::string category = section.name.substr(0, section.name.find(' '));
    if (std::find(out.begin(), out.end(), category) != out.end()) continue;
    if (countCues(doc, "warnings", category) > 0) out.push_back(category);
  }
  return out;
}

}  // namespace common::text
