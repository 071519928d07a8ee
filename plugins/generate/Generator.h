// One content:generate job from data to result: the brand and the analysis, then per platform
// its drafts (provider or local), each checked (regenerated with the reasons, then repaired),
// de-duplicated against the brand's recent posts (regenerated with the similar post as a
// negative example, at most dedup_retries times), then stored and scheduled when asked.
#pragma once

#include "Settings.h"

#include "ai/Client.h"
#include "json/Json.h"
#include "vector/EmbeddingIndex.h"

#include <warren/plugin.hpp>

namespace generate {

class Generator {
 public:
  Generator(const warren::Host& host, const Settings& settings, const common::ai::Client& ai,
            common::vector::EmbeddingIndex& index)
      : host_(host), settings_(settings), ai_(ai), index_(index) {}

  // The job's result (schemas/content-generate.result.json). Throws job exceptions.
  common::Json run(const warren::Job& job, const common::Json& data) const;

 private:
  warren::Host host_;
  const Settings& settings_;
  const common::ai::Client& ai_;
  common::vector::EmbeddingIndex& index_;
};

}  // namespace generate
