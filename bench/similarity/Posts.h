// Generated social posts for the PostgreSQL part of the bench, so that the vectors there have
// the structure of post embeddings (topics, brand words, shared filler) rather than of random
// points: posts of a brand on `topics` subjects, embedded with the offline model.
#pragma once

#include "Data.h"

#include <cstddef>
#include <string>

namespace bench {

class PostWriter {
 public:
  explicit PostWriter(std::uint64_t seed) : random_(seed) {}
  // A new post of `brand`.
  std::string post(std::size_t brand);
  // `text` lightly edited: its last quarter replaced by a few other words (a near-duplicate).
  std::string edit(const std::string& text);

 private:
  std::string word(std::size_t list, std::size_t count);
  Random random_;
};

}  // namespace bench
