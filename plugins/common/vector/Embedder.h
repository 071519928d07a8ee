// Embeddings of a batch of texts: through the host's AI service (docs/ai.md, `embed`) when a
// provider is configured for the queue, otherwise the offline model warren-hash-1. One AI call
// per batch: the host splits it by the provider's limits.
#pragma once

#include "json/Json.h"
#include "vector/HashEmbedder.h"
#include "vector/Vector.h"

#include <warren/plugin.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace common::vector {

struct EmbedderOptions {
  std::uint32_t offlineDimensions = HashEmbedder::kDefaultDimensions;
  std::string model;             // the provider's model; empty: the host's configured default
  std::uint32_t dimensions = 0;  // asked of the provider; 0: the model's own
};

struct Embeddings {
  std::string provider;  // "offline" or the AI service's provider
  std::string model;
  std::uint32_t dimensions = 0;
  std::vector<Vector> vectors;  // one per text, in order, unit length
  std::int64_t inputTokens = 0;
};

class Embedder {
 public:
  Embedder(const warren::Host& host, EmbedderOptions options);

  // `model`: HashEmbedder::kModel forces the offline model; another name asks the provider for
  // it (and fails when no provider is configured); empty: the provider's default, or offline.
  // Throws job::Unrecoverable for bad input or a malformed AI reply, warren::AiError as the AI
  // service reports it (job::run maps both).
  Embeddings embed(const warren::Job* job, const std::vector<std::string>& texts,
                   const std::optional<std::string>& model = std::nullopt) const;

  // What embed() would use for `model` with no text: the offline model's name and length, or
  // nothing when the provider decides.
  std::optional<std::pair<std::string, std::uint32_t>> knownModel(
      const std::optional<std::string>& model) const;

  const HashEmbedder& offline() const { return offline_; }

 private:
  bool useOffline(const std::optional<std::string>& model) const;
  Embeddings embedOffline(const std::vector<std::string>& texts) const;
  Embeddings embedRemote(const warren::Job* job, const std::vector<std::string>& texts,
                         const std::string& model) const;
  void appendReply(Embeddings& out, const std::string& reply, std::size_t expected) const;

  warren::Host host_;
  EmbedderOptions options_;
  HashEmbedder offline_;
};

}  // namespace common::vector
