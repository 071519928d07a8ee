#include "vector/HashEmbedder.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <iterator>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

namespace common::vector {
namespace {

// ---- Text to code points -------------------------------------------------------------------

// Decodes UTF-8; an invalid byte becomes U+FFFD.
std::u32string decodeUtf8(std::string_view text) {
  std::u32string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const auto byte = static_cast<unsigned char>(text[i]);
    std::size_t length = byte < 0x80           ? 1
                         : (byte >> 5) == 0x6  ? 2
                         : (byte >> 4) == 0xE  ? 3
                         : (byte >> 3) == 0x1E ? 4
                                               : 0;
    char32_t cp = length == 1   ? byte
                  : length == 2 ? byte & 0x1F
                  : length == 3 ? byte & 0x0F
                                : byte & 0x07;
    bool valid = length != 0 && i + length <= text.size();
    for (std::size_t k = 1; valid && k < length; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      if ((next >> 6) != 0x2) valid = false;
      cp = (cp << 6) | (next & 0x3F);
    }
    if (!valid) {
      out += U'\uFFFD';
      ++i;
      continue;
    }
    out += cp;
    i += length;
  }
  return out;
}

// Lower case for the scripts whose case is a fixed offset (Latin, Greek, Cyrillic, Armenian
// basics); other code points are kept.
char32_t lower(char32_t c) {
  if (c >= U'A' && c <= U'Z') return c + 32;
  if ((c >= 0xC0 && c <= 0xDE && c != 0xD7) || (c >= 0x391 && c <= 0x3AB && c != 0x3A2) ||
      (c >= 0x410 && c <= 0x42F))
    return c + 32;
  if (c >= 0x400 && c <= 0x40F) return c + 80;
  if (c >= 0x531 && c <= 0x556) return c + 48;
  if (c >= 0x100 && c <= 0x17F && c != 0x130 && c != 0x131 && c != 0x138 && c != 0x149 &&
      c != 0x178 && c != 0x17F) {
    // Latin Extended-A alternates upper/lower, in two runs with different parity.
    const bool evenUpper = (c >= 0x100 && c <= 0x137) || (c >= 0x14A && c <= 0x177);
    if (evenUpper ? (c % 2 == 0) : (c % 2 == 1)) return c + 1;
  }
  return c;
}

bool isLetterOrDigit(char32_t c) {
  if (c < 0x80)
    return (c >= U'a' && c <= U'z') || (c >= U'A' && c <= U'Z') || (c >= U'0' && c <= U'9');
  if (c == 0xD7 || c == 0xF7) return false;
  if (c < 0xC0) return c == 0xAA || c == 0xB5 || c == 0xBA;
  // Punctuation, symbols, arrows, box drawing, dingbats, CJK punctuation, full-width ASCII
  // punctuation, variation selectors, emoji and the replacement character are not word
  // characters.
  if ((c >= 0x2000 && c <= 0x2BFF) || (c >= 0x3000 && c <= 0x303F) ||
      (c >= 0xFE00 && c <= 0xFE0F) || (c >= 0xFF00 && c <= 0xFF0F) ||
      (c >= 0xFF1A && c <= 0xFF20) || c == 0xFFFD || (c >= 0x1F000 && c <= 0x1FAFF) ||
      (c >= 0xE0000 && c <= 0xE007F))
    return false;
  return true;
}

// Emoji and pictographs, kept as tokens of their own (with a low weight).
bool isPictograph(char32_t c) {
  return (c >= 0x1F300 && c <= 0x1FAFF) || (c >= 0x2600 && c <= 0x27BF);
}

// Ideographs and kana: written without spaces, so each run is split into overlapping pairs.
bool isIdeographic(char32_t c) {
  return (c >= 0x3040 && c <= 0x30FF) || (c >= 0x3400 && c <= 0x4DBF) ||
         (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0xAC00 && c <= 0xD7AF) ||
         (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x2FFFF);
}

void appendUtf8(std::string& out, char32_t c) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
}

std::string utf8(const std::u32string& text) {
  std::string out;
  for (const char32_t c : text) appendUtf8(out, c);
  return out;
}

// ---- Tokens --------------------------------------------------------------------------------

enum class Kind : char {
  word = 'w',
  pair = 'p',
  hashtag = 'h',
  mention = 'm',
  link = 'u',
  gram = 'g',
  pictograph = 'e',
  whole = 't'
};

struct Token {
  Kind kind;
  std::u32string text;
};

// Function words of the languages posts are most often written in: they carry little meaning,
// so they weigh less and form no character n-grams or pairs. Sorted, for binary search.
constexpr std::string_view kStopwords[] = {
    "a",    "all",   "an",   "and",   "are",  "as",   "at",    "be",   "been",  "but",   "by",
    "can",  "che",   "con",  "d",     "das",  "de",   "den",   "der",  "des",   "di",    "did",
    "die",  "do",    "does", "du",    "e",    "ein",  "eine",  "el",   "en",    "es",    "est",
    "et",   "for",   "from", "had",   "has",  "have", "he",    "her",  "here",  "his",   "how",
    "i",    "if",    "il",   "in",    "is",   "ist",  "it",    "its",  "just",  "la",    "las",
    "le",   "les",   "ll",   "los",   "m",    "me",   "mit",   "more", "my",    "no",    "not",
    "now",  "of",    "on",   "or",    "our",  "para", "por",   "pour", "que",   "re",    "s",
    "she",  "so",    "t",    "than",  "that", "the",  "their", "then", "there", "these", "they",
    "this", "those", "to",   "un",    "una",  "und",  "une",   "us",   "ve",    "von",   "was",
    "we",   "were",  "what", "which", "who",  "will", "with",  "y",    "you",   "your",  "zu"};

bool isStopword(const std::u32string& word) {
  const std::string text = utf8(word);
  const auto* end = std::end(kStopwords);
  const auto* found = std::lower_bound(std::begin(kStopwords), end, std::string_view(text));
  return found != end && *found == text;
}

// Splits a text into words (with hashtags, mentions and links told apart) and pictographs.
std::vector<Token> tokenize(const std::u32string& text) {
  std::vector<Token> tokens;
  std::size_t i = 0;
  const auto startsWith = [&](std::size_t at, const char32_t* prefix) {
    for (std::size_t k = 0; prefix[k] != 0; ++k)
      if (at + k >= text.size() || lower(text[at + k]) != prefix[k]) return false;
    return true;
  };
  while (i < text.size()) {
    const char32_t c = text[i];
    if (startsWith(i, U"http://") || startsWith(i, U"https://") || startsWith(i, U"www.")) {
      std::size_t host = i + (startsWith(i, U"http://") ? 7 : startsWith(i, U"https://") ? 8 : 0);
      if (startsWith(host, U"www.")) host += 4;
      std::size_t end = host;
      while (end < text.size() && text[end] != U'/' && text[end] != U' ' && text[end] != U'\n' &&
             text[end] != U'\t' && text[end] != U'?' && text[end] != U'#')
        ++end;
      std::u32string name;
      for (std::size_t k = host; k < end; ++k) name += lower(text[k]);
      if (!name.empty()) tokens.push_back({Kind::link, name});
      while (end < text.size() && text[end] != U' ' && text[end] != U'\n' && text[end] != U'\t')
        ++end;
      i = end;
      continue;
    }
    if ((c == U'#' || c == U'@' || c == 0xFF03) && i + 1 < text.size() &&
        isLetterOrDigit(text[i + 1])) {
      std::size_t end = i + 1;
      std::u32string name;
      while (end < text.size() && (isLetterOrDigit(text[end]) || text[end] == U'_'))
        name += lower(text[end++]);
      tokens.push_back({c == U'@' ? Kind::mention : Kind::hashtag, name});
      i = end;
      continue;
    }
    if (isLetterOrDigit(c)) {
      std::u32string word;
      while (i < text.size() && isLetterOrDigit(text[i])) word += lower(text[i++]);
      tokens.push_back({Kind::word, word});
      continue;
    }
    if (isPictograph(c)) tokens.push_back({Kind::pictograph, std::u32string(1, c)});
    ++i;
  }
  return tokens;
}

// ---- Hashing -------------------------------------------------------------------------------

// The UTF-8 bytes of `c` into `out` (4 bytes at most); returns how many.
std::size_t utf8Bytes(char32_t c, unsigned char* out) {
  if (c < 0x80) {
    out[0] = static_cast<unsigned char>(c);
    return 1;
  }
  if (c < 0x800) {
    out[0] = static_cast<unsigned char>(0xC0 | (c >> 6));
    out[1] = static_cast<unsigned char>(0x80 | (c & 0x3F));
    return 2;
  }
  if (c < 0x10000) {
    out[0] = static_cast<unsigned char>(0xE0 | (c >> 12));
    out[1] = static_cast<unsigned char>(0x80 | ((c >> 6) & 0x3F));
    out[2] = static_cast<unsigned char>(0x80 | (c & 0x3F));
    return 3;
  }
  out[0] = static_cast<unsigned char>(0xF0 | (c >> 18));
  out[1] = static_cast<unsigned char>(0x80 | ((c >> 12) & 0x3F));
  out[2] = static_cast<unsigned char>(0x80 | ((c >> 6) & 0x3F));
  out[3] = static_cast<unsigned char>(0x80 | (c & 0x3F));
  return 4;
}

// FNV-1a over the feature's kind and UTF-8 bytes, then a 64-bit finaliser (murmur3's fmix64
// constants) so that every output bit depends on every input bit. A feature is known by its
// hash from here on (two features of one text sharing 64 bits is not a concern).
std::uint64_t featureHash(Kind kind, const char32_t* text, std::size_t length) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  const auto mix = [&h](unsigned char byte) {
    h ^= byte;
    h *= 0x100000001b3ULL;
  };
  mix(static_cast<unsigned char>(kind));
  unsigned char bytes[4];
  for (std::size_t i = 0; i < length; ++i) {
    const std::size_t count = utf8Bytes(text[i], bytes);
    for (std::size_t b = 0; b < count; ++b) mix(bytes[b]);
  }
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ULL;
  h ^= h >> 33;
  return h;
}

// Feature weights: a word counts 1; its character n-grams share about as much between them, so
// that a word with a changed ending still mostly matches; pairs add word order; hashtags count
// as their word plus a little for being a hashtag.
constexpr double kWordWeight = 1.0;
constexpr double kStopwordWeight = 0.15;
constexpr double kPairWeight = 0.35;
constexpr double kGramsPerWordWeight = 1.0;
constexpr double kTagWeight = 0.3;
constexpr double kLinkWeight = 0.6;
constexpr double kPictographWeight = 0.15;
constexpr double kIdeographWeight = 0.3;

class Features {
 public:
  Features() { weights_.reserve(512); }

  void add(Kind kind, const char32_t* text, std::size_t length, double weight) {
    auto& entry = weights_[featureHash(kind, text, length)];
    entry.first += weight;
    entry.second += 1;
  }
  void add(Kind kind, const std::u32string& text, double weight) {
    add(kind, text.data(), text.size(), weight);
  }

  // Adds the character 3-, 4- and 5-grams of "<word>", sharing one word's weight.
  void addGrams(const std::u32string& word) {
    const std::u32string padded = U"<" + word + U">";
    std::size_t count = 0;
    for (std::size_t n = 3; n <= 5 && n <= padded.size(); ++n) count += padded.size() - n + 1;
    if (count == 0) return;
    const double each = kGramsPerWordWeight / std::sqrt(static_cast<double>(count));
    for (std::size_t n = 3; n <= 5; ++n)
      for (std::size_t i = 0; i + n <= padded.size(); ++i)
        add(Kind::gram, padded.data() + i, n, each);
  }

  // A run of ideographs or kana has no spaces between its words: each pair of neighbouring
  // characters counts as a word, each character a little.
  void addIdeographic(const std::u32string& run) {
    for (std::size_t i = 0; i + 1 < run.size(); ++i)
      add(Kind::word, run.data() + i, 2, kWordWeight);
    for (std::size_t i = 0; i < run.size(); ++i)
      add(Kind::gram, run.data() + i, 1, kIdeographWeight);
  }

  // Sums each feature's weight scaled by 1 + log(occurrences) (sublinear term frequency) into
  // its signed bucket, in hash order so that the sums do not depend on the map's order.
  Vector hash(std::uint32_t dimensions) const {
    std::vector<std::pair<std::uint64_t, double>> hashed;
    hashed.reserve(weights_.size());
    for (const auto& [h, entry] : weights_)
      hashed.emplace_back(h, entry.first / entry.second * (1.0 + std::log(entry.second)));
    std::sort(hashed.begin(), hashed.end());
    std::vector<double> sums(dimensions, 0.0);
    for (const auto& [h, weight] : hashed) {
      const auto bucket = static_cast<std::size_t>((h >> 1) % dimensions);
      sums[bucket] += (h & 1) != 0 ? weight : -weight;
    }
    Vector out(dimensions, 0.0f);
    for (std::size_t i = 0; i < dimensions; ++i) out[i] = static_cast<float>(sums[i]);
    return out;
  }

  bool empty() const { return weights_.empty(); }

 private:
  std::unordered_map<std::uint64_t, std::pair<double, double>> weights_;  // total weight, count
};

}  // namespace

HashEmbedder::HashEmbedder(std::uint32_t dimensions) : dimensions_(dimensions) {
  if (dimensions < kMinDimensions || dimensions > kMaxDimensions)
    throw std::invalid_argument("offline embeddings take " + std::to_string(kMinDimensions) +
                                " to " + std::to_string(kMaxDimensions) + " dimensions, not " +
                                std::to_string(dimensions));
}

Vector HashEmbedder::embed(std::string_view text) const {
  const std::u32string decoded = decodeUtf8(text);
  const std::vector<Token> tokens = tokenize(decoded);
  Features features;
  const Token* previous = nullptr;
  for (const Token& token : tokens) {
    switch (token.kind) {
      case Kind::word: {
        if (isIdeographic(token.text.front())) {
          features.addIdeographic(token.text);
          previous = nullptr;
          break;
        }
        // Pairs join neighbouring content words, skipping function words between them.
        if (isStopword(token.text)) {
          features.add(Kind::word, token.text, kStopwordWeight);
          break;
        }
        features.add(Kind::word, token.text, kWordWeight);
        features.addGrams(token.text);
        if (previous != nullptr)
          features.add(Kind::pair, previous->text + U' ' + token.text, kPairWeight);
        previous = &token;
        break;
      }
      case Kind::hashtag:
      case Kind::mention:
        features.add(token.kind, token.text, kTagWeight);
        features.add(Kind::word, token.text, kWordWeight);
        if (!isStopword(token.text)) features.addGrams(token.text);
        break;
      case Kind::link:
        features.add(Kind::link, token.text, kLinkWeight);
        break;
      default:
        features.add(token.kind, token.text, kPictographWeight);
        break;
    }
  }
  if (features.empty()) {
    // Only punctuation or symbols: the text itself is the one feature, so the same text still
    // matches itself.
    std::u32string trimmed;
    for (const char32_t c : decoded)
      if (c != U' ' && c != U'\t' && c != U'\n' && c != U'\r') trimmed += c;
    if (trimmed.empty()) throw std::invalid_argument("the text is empty");
    features.add(Kind::whole, trimmed, 1.0);
  }
  Vector v = features.hash(dimensions_);
  normalise(v);
  return v;
}

}  // namespace common::vector
