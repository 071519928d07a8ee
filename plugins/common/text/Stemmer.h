// Snowball stemmers (Debian's libstemmer): "connections", "connected" -> "connect".
#pragma once

#include <string>
#include <string_view>

struct sb_stemmer;

namespace common::text {

// One stemmer for one language; not thread-safe, so each analysis makes its own (cheap).
class Stemmer {
 public:
  // `language` is ISO 639-1; a language Snowball lacks gets the identity stemmer.
  explicit Stemmer(std::string_view language);
  ~Stemmer();
  Stemmer(const Stemmer&) = delete;
  Stemmer& operator=(const Stemmer&) = delete;

  // Stem of a case-folded word (see lookupForm); the word itself when there is no stemmer.
  std::string stem(std::string_view foldedWord);
  bool stems() const { return stemmer_ != nullptr; }

 private:
  sb_stemmer* stemmer_ = nullptr;
};

}  // namespace common::text
