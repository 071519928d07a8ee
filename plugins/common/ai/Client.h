// The content plugins' side of the host's AI service: whether a provider serves completions on
// this queue (else the plugin's offline method runs), one completion call, its reply parsed,
// and its failures as job exceptions (job/Failure.h).
#pragma once

#include "ai/Completion.h"
#include "json/Json.h"

#include <warren/plugin.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace common::ai {

struct Usage {
  std::int64_t input = 0;  // every input token, cached ones included
  std::int64_t output = 0;
  std::int64_t cached = 0;
};

struct Reply {
  std::string text;
  Json json;  // the parsed structured reply (null without a schema)
  std::string provider;
  std::string model;
  std::string finishReason;
  Usage usage;
  std::int64_t latencyMs = 0;
  int attempts = 1;
  bool repaired = false;
};

class Client {
 public:
  explicit Client(const warren::Host& host) : ai_(host) {}

  // A provider serves completions for this queue (AI_PROVIDER set and not "local").
  bool available() const { return ai_.available(WARREN_AI_COMPLETE); }

  // One completion. Throws job::RetryAt for a rate limit the host does not wait out (the job is
  // delayed, no attempt spent), job::Unrecoverable for refusals, truncated replies, invalid
  // requests and schema failures, job::Retryable for providers down or slow; a cancelled call
  // is rethrown as warren::AiError (job::run reports the host's reason).
  Reply complete(const warren::Job& job, const Completion& request) const;

 private:
  warren::Ai ai_;
};

// The ai service's response text as a Reply; `wantJson`: the request had a schema, so the
// response must carry its parsed `json`. Throws job::Retryable when the text is not what
// docs/ai.md describes (the host's fault, not the material's).
Reply parseReply(std::string_view response, bool wantJson);

}  // namespace common::ai
