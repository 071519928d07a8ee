// The offline embedding model `warren-hash-1`: deterministic hashed n-gram features of a text
// (words, word pairs, hashtags, mentions, link hosts and character 3- to 5-grams of each word),
// each hashed with a sign into `dimensions` buckets (feature hashing), weighted by log term
// frequency and L2-normalised. The same text gives the same vector on every machine and
// version of this model; a change of the method gets a new model name.
//
// What it is good for: near-duplicate posts (the same text reordered, re-punctuated, with a
// hashtag, an emoji or a few words changed) score >= 0.9, unrelated posts < 0.3. It does not
// know synonyms: a paraphrase in other words scores in between.
#pragma once

#include "vector/Vector.h"

#include <cstdint>
#include <string_view>

namespace common::vector {

class HashEmbedder {
 public:
  static constexpr const char* kModel = "warren-hash-1";
  static constexpr std::uint32_t kDefaultDimensions = 512;
  static constexpr std::uint32_t kMinDimensions = 64;
  static constexpr std::uint32_t kMaxDimensions = 4096;

  // Throws std::invalid_argument outside [kMinDimensions, kMaxDimensions].
  explicit HashEmbedder(std::uint32_t dimensions = kDefaultDimensions);

  std::uint32_t dimensions() const { return dimensions_; }
  // Throws std::invalid_argument for a text with nothing but white space.
  Vector embed(std::string_view text) const;

 private:
  std::uint32_t dimensions_;
};

}  // namespace common::vector
