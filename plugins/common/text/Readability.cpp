#include "text/Readability.h"

#include "text/Unicode.h"
#include "text/Utf8.h"

#include <hyphen.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>

namespace common::text {
namespace {

// Debian's hyphen-* packages; the dictionary of each language we have a formula for, except
// German: hyph_de_DE.dic takes seconds to load, and German syllables are its vowel groups.
const char* dictionaryFile(std::string_view language) {
  if (language == "en") return "/usr/share/hyphen/hyph_en_US.dic";
  if (language == "es") return "/usr/share/hyphen/hyph_es_ES.dic";
  if (language == "fr") return "/usr/share/hyphen/hyph_fr.dic";
  if (language == "it") return "/usr/share/hyphen/hyph_it_IT.dic";
  if (language == "pt") return "/usr/share/hyphen/hyph_pt_PT.dic";
  if (language == "nl") return "/usr/share/hyphen/hyph_nl_NL.dic";
  return nullptr;
}

struct DictionaryFree {
  void operator()(HyphenDict* d) const { hnj_hyphen_free(d); }
};
using Dictionary = std::unique_ptr<HyphenDict, DictionaryFree>;

// Loaded once per language; hnj_hyphen_hyphenate3 only reads it, so threads may share it.
HyphenDict* dictionary(std::string_view language) {
  static std::mutex mutex;
  static std::map<std::string, Dictionary, std::less<>> loaded;
  const std::lock_guard<std::mutex> lock(mutex);
  auto it = loaded.find(language);
  if (it == loaded.end()) {
    const char* file = dictionaryFile(language);
    it = loaded.emplace(std::string(language), Dictionary(file ? hnj_hyphen_load(file) : nullptr))
             .first;
  }
  return it->second.get();
}

// The word in the dictionary's encoding (UTF-8 or ISO 8859-1); empty when it cannot be written.
std::string encodeFor(const HyphenDict* dict, std::string_view word) {
  if (std::strncmp(dict->cset, "ISO8859-1", 9) != 0) return std::string(word);
  std::string out;
  for (std::size_t i = 0; i < word.size();) {
    const char32_t cp = decodeUtf8(word, i);
    if (cp > 0xFF) return {};
    out.push_back(static_cast<char>(cp));
  }
  return out;
}

std::size_t hyphenationParts(std::string_view word, std::string_view language) {
  HyphenDict* dict = dictionary(language);
  if (dict == nullptr) return 0;
  const std::string encoded = encodeFor(dict, word);
  if (encoded.empty()) return 0;
  const int n = static_cast<int>(encoded.size());
  std::string hyphens(encoded.size() + 5, '\0');
  std::string hyphenated(encoded.size() * 3 + 10, '\0');
  char** rep = nullptr;
  int* pos = nullptr;
  int* cut = nullptr;
  hnj_hyphen_hyphenate3(dict, encoded.c_str(), n, hyphens.data(), hyphenated.data(), &rep, &pos,
                        &cut, 1, 1, 1, 1);
  if (rep != nullptr) {
    for (int k = 0; k < n; ++k) std::free(rep[k]);
    std::free(rep);
  }
  std::free(pos);
  std::free(cut);
  std::size_t parts = 1;
  for (int k = 0; k + 1 < n; ++k) {
    if (hyphens[static_cast<std::size_t>(k)] & 1) ++parts;
  }
  return parts;
}

enum class Vowel { None, Weak, Strong };

bool romance(std::string_view language) {
  return language == "es" || language == "it" || language == "pt";
}

Vowel classify(char32_t cp, std::string_view language) {
  std::string one;
  appendUtf8(one, cp);
  const std::string bare = cp < 0x80 ? one : stripDiacritics(one);
  const char base = bare.size() == 1 ? bare[0] : '\0';
  const bool vowel = base == 'a' || base == 'e' || base == 'i' || base == 'o' || base == 'u' ||
                     base == 'y' || cp == 0x00E6 || cp == 0x0153 || cp == 0x00F8;  // æ œ ø
  if (!vowel) return Vowel::None;
  if (base == 'y' && romance(language)) return Vowel::None;
  if (!romance(language)) return Vowel::Strong;
  const bool accented = bare != one;
  if ((base == 'i' || base == 'u') && !(accented && cp != 0x00FC)) return Vowel::Weak;  // ü weak
  return Vowel::Strong;
}

std::size_t vowelGroups(std::string_view word, std::string_view language) {
  std::u32string cps;
  for (std::size_t i = 0; i < word.size();) cps.push_back(decodeUtf8(word, i));
  std::size_t count = 0;
  Vowel previous = Vowel::None;
  char32_t previousCp = 0;
  for (std::size_t k = 0; k < cps.size(); ++k) {
    Vowel v = classify(cps[k], language);
    if (language == "en" && cps[k] == 'y' && k == 0) v = Vowel::None;  // "yes": consonant
    if (v != Vowel::None) {
      const bool nasalDiphthong =
          language == "pt" && (previousCp == 0x00E3 || previousCp == 0x00F5);
      if (previous == Vowel::None) {
        ++count;
      } else if (romance(language) && previous == Vowel::Strong && v == Vowel::Strong &&
                 !nasalDiphthong) {
        ++count;  // hiatus: "a-é-re-o"
      }
    }
    previous = v, previousCp = cps[k];
  }
  const auto endsWith = [&](std::string_view suffix) {
    return word.size() >= suffix.size() &&
           word.compare(word.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  if (count > 1 && language == "en") {
    const std::size_t n = word.size();
    const bool consonantLe =
        n >= 3 && endsWith("le") &&
        classify(static_cast<unsigned char>(word[n - 3]), language) == Vowel::None;
    if (endsWith("e") && !endsWith("ee") && !consonantLe) {
      --count;
    } else if (endsWith("ed") && n >= 3 && word[n - 3] != 't' && word[n - 3] != 'd' &&
               classify(static_cast<unsigned char>(word[n - 3]), language) == Vowel::None) {
      --count;
    } else if (endsWith("es") && n >= 3 && std::strchr("sxzhgc", word[n - 3]) == nullptr &&
               classify(static_cast<unsigned char>(word[n - 3]), language) == Vowel::None) {
      --count;
    }
  }
  if (count > 1 && language == "fr" && (endsWith("e") || endsWith("es"))) --count;
  return count == 0 ? 1 : count;
}

struct Formula {
  const char* scale;
  double base, perWordsPerSentence, perSyllablesPerWord;
};

// score = base - a * WPS - b * SPW (Fernández-Huerta's sentence term is rewritten per case).
const Formula* formulaFor(std::string_view language) {
  static const std::map<std::string, Formula, std::less<>> formulas = {
      {"en", {"flesch", 206.835, 1.015, 84.6}},
      {"fr", {"kandel-moles", 207.0, 1.015, 73.6}},
      {"de", {"amstad", 180.0, 1.0, 58.5}},
      {"it", {"flesch-vacca", 206.0, 1.0, 65.0}},
      {"pt", {"flesch-martins", 248.835, 1.015, 84.6}},
      {"nl", {"flesch-douma", 206.835, 0.93, 77.0}},
  };
  const auto it = formulas.find(language);
  return it == formulas.end() ? nullptr : &it->second;
}

std::string levelOf(double score) {
  if (score >= 90) return "very easy";
  if (score >= 80) return "easy";
  if (score >= 70) return "fairly easy";
  if (score >= 60) return "standard";
  if (score >= 50) return "fairly difficult";
  if (score >= 30) return "difficult";
  return "very difficult";
}

double round(double value, double scale) {
  return std::round(value * scale) / scale;
}

}  // namespace

bool hasHyphenationDictionary(std::string_view language) {
  return dictionary(language) != nullptr;
}

std::size_t countSyllables(std::string_view word, std::string_view language) {
  return std::max(hyphenationParts(word, language), vowelGroups(word, language));
}

Readability readabilityOf(const Document& doc) {
  std::size_t words = 0, syllables = 0, ideographic = 0;
  std::map<std::string_view, std::size_t> known;  // syllables of each distinct word
  std::vector<bool> sentenceHasWords(doc.sentences.size(), false);
  for (const auto& w : doc.words) {
    if (w.kind == WordKind::Ideographic || w.kind == WordKind::Kana) ++ideographic;
    if (w.kind != WordKind::Letter || w.masked) continue;
    ++words;
    auto it = known.find(w.folded);
    if (it == known.end())
      it = known.emplace(w.folded, countSyllables(w.folded, doc.language)).first;
    syllables += it->second;
    sentenceHasWords[w.sentence] = true;
  }
  std::size_t sentences = 0;
  for (const bool has : sentenceHasWords) sentences += has ? 1 : 0;
  if (words == 0 || ideographic > words) {
    return {0.0, "none", "unknown", 0.0, 0.0, "none"};
  }
  const double wps = static_cast<double>(words) / static_cast<double>(sentences);
  const double spw = static_cast<double>(syllables) / static_cast<double>(words);
  Readability r{0.0,
                "flesch",
                "",
                round(wps, 100),
                round(spw, 100),
                hasHyphenationDictionary(doc.language) ? "hyphenation+vowels" : "vowels"};
  if (doc.language == "es") {
    r.scale = "fernandez-huerta";
    r.score = 206.84 - 60.0 * spw - 1.02 * (100.0 / wps);
  } else if (const Formula* f = formulaFor(doc.language)) {
    r.scale = f->scale;
    r.score = f->base - f->perWordsPerSentence * wps - f->perSyllablesPerWord * spw;
  } else {
    r.score = 206.835 - 1.015 * wps - 84.6 * spw;
  }
  r.score = round(r.score, 10);
  r.level = levelOf(r.score);
  return r;
}

}  // namespace common::text
