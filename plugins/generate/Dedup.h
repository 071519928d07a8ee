// The de-duplication loop's measure: each draft is embedded (the AI service's embeddings or the
// offline warren-hash-1, with the model the brand's stored rows use) and compared with
// common/vector's exact similarity against the brand's posts of the last `dedup_days` days, and
// against the drafts this job already kept for the same platform. Kept drafts are stored in
// content_embeddings (source_type "post", source_id the posts row) so later runs see them.
#pragma once

#include "Settings.h"

#include "platform/Platform.h"
#include "vector/EmbeddingIndex.h"

#include <warren/plugin.hpp>

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace generate {

struct Similar {
  std::optional<double> similarity;  // nullopt: nothing to compare with
  std::string embeddingId;           // the stored row (content_embeddings.id)
  std::string sourceType, sourceId;
  std::optional<std::size_t> variant;  // a draft of this job (1-based)
  std::string text;                    // the similar post, for the negative example
};

class Dedup {
 public:
  Dedup(const warren::Host& host, const Settings& settings, common::vector::EmbeddingIndex& index,
        const warren::Job& job, std::string brand);

  // Chooses the embedding model: embedding_model when set; else the model most of the brand's
  // rows in the window use (warren-hash-1 with their length, or the provider's by name); else
  // the provider's default, or warren-hash-1 without one. `ownPostIds`: rows this job may have
  // stored in an earlier run, never taken as its drafts' duplicates.
  void begin(const std::vector<std::string>& ownPostIds);

  common::vector::Vector embed(const std::string& text);
  Similar nearest(const common::vector::Vector& vector, common::platform::Platform platform);
  void keep(common::platform::Platform platform, std::size_t variant, const std::string& text,
            common::vector::Vector vector);

  // Stores the kept drafts' vectors: one row per posts row id, in keep() order.
  void store(const std::vector<std::string>& postIds);

  const std::string& provider() const { return provider_; }
  const std::string& model() const { return model_; }
  std::uint32_t dimensions() const { return dimensions_; }
  std::int64_t tokens() const { return tokens_; }
  std::size_t rowsCompared() const { return rowsCompared_; }

 private:
  Similar exactExcludingOwn(const common::vector::Vector& vector);
  std::int64_t windowStart() const;

  warren::Host host_;
  const Settings& settings_;
  common::vector::EmbeddingIndex& index_;
  const warren::Job& job_;
  std::string brand_;
  std::optional<common::vector::Embedder> embedder_;
  std::optional<std::string> requested_;  // the model asked of the embedder
  std::string provider_, model_;
  std::uint32_t dimensions_ = 0;
  std::int64_t tokens_ = 0;
  std::size_t rowsCompared_ = 0;
  std::vector<std::string> ownPostIds_;
  std::set<std::string> ownRowIds_;  // of ownPostIds_, once the model is known

  struct Kept {
    common::platform::Platform platform;
    std::size_t variant;
    std::string text;
    common::vector::Vector vector;
  };
  std::vector<Kept> kept_;
};

}  // namespace generate
