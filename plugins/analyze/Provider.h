// The provider method: one structured completion through the host's AI service, with the
// material as data in its own message part (images as image parts), the reply checked beyond
// its schema.
#pragma once

#include "Material.h"
#include "MediaFacts.h"
#include "Request.h"
#include "Settings.h"

#include "ai/Client.h"
#include "json/Json.h"

#include <warren/plugin.hpp>

#include <vector>

namespace analyze {

struct ProviderInput {
  const Request& request;
  const Material& material;
  std::vector<Frame> frames;  // a video's sampled frames (files)
  double durationS = 0;       // a video's duration
};

struct ProviderAnalysis {
  common::Json reply;  // the checked analysis (schemas/ai-analysis.json, + description for media)
  common::ai::Reply call;
  std::size_t analysedCharacters = 0;  // of the material's text sent
};

// The completion request (exposed for tests).
common::ai::Completion buildCompletion(const ProviderInput& input, const Settings& settings,
                                       std::size_t* analysedCharacters = nullptr);

ProviderAnalysis analyzeWithProvider(const common::ai::Client& client, const warren::Job& job,
                                     const ProviderInput& input, const Settings& settings);

}  // namespace analyze
