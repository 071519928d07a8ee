// The embed plugin's two job types (docs/jobs.md, "content-embed").
#pragma once

#include "Config.h"

#include "json/Json.h"
#include "vector/Embedder.h"
#include "vector/EmbeddingIndex.h"

#include <warren/plugin.hpp>

#include <string>

namespace embed {

struct Context {
  const Settings& settings;
  const common::vector::Embedder& embedder;
  common::vector::EmbeddingIndex& index;
};

// embedding:generate: embeds `items` and stores one row each.
common::Json generate(Context& context, const warren::Job& job, const common::Json& data);
// embedding:similarity: each input's most similar row of the brand in the window.
common::Json similarity(Context& context, const warren::Job& job, const common::Json& data);

// brandProfileId as text (the schema allows a string or an integer).
std::string brandOf(const common::Json& data);

}  // namespace embed
