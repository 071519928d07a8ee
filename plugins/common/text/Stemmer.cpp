#include "text/Stemmer.h"

#include <libstemmer.h>

#include <new>

namespace common::text {

Stemmer::Stemmer(std::string_view language) {
  if (language.empty() || language == "und") return;
  // libstemmer takes ISO 639 codes as algorithm names ("en", "fr", ...); NULL = unknown.
  stemmer_ = sb_stemmer_new(std::string(language).c_str(), "UTF_8");
}

Stemmer::~Stemmer() {
  if (stemmer_ != nullptr) sb_stemmer_delete(stemmer_);
}

std::string Stemmer::stem(std::string_view word) {
  if (stemmer_ == nullptr || word.empty()) return std::string(word);
  const sb_symbol* out = sb_stemmer_stem(stemmer_, reinterpret_cast<const sb_symbol*>(word.data()),
                                         static_cast<int>(word.size()));
  if (out == nullptr) throw std::bad_alloc();
  return std::string(reinterpret_cast<const char*>(out),
                     static_cast<std::size_t>(sb_stemmer_length(stemmer_)));
}

}  // namespace common::text
