// The mapping between the service's requests and one provider's HTTP API (wire shapes of
// ../shared/docs/external-apis.md §1–3): request bodies, replies, and what an error status means.
// A Wire holds no state; one instance per provider kind.
#pragma once

#include "ai/Failure.h"
#include "ai/Images.h"
#include "ai/Json.h"
#include "ai/Provider.h"
#include "ai/Request.h"
#include "ai/SchemaAdapt.h"
#include "ai/Settings.h"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace warren::ai {

struct Usage {
  std::int64_t input = 0;   // every input token, cached ones included
  std::int64_t output = 0;  // reply tokens (Gemini: thinking tokens included)
  std::int64_t cached = 0;  // the part of input served from a cache
  Usage& operator+=(const Usage& other) {
    input += other.input;
    output += other.output;
    cached += other.cached;
    return *this;
  }
};

struct HttpCall {
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

struct PromptPart {
  std::string text;
  const Image* image = nullptr;  // an image part when set
};

struct PromptMessage {
  std::string role;  // user | assistant
  std::vector<PromptPart> parts;
};

// A completion as the wires see it: images loaded, the schema adapted for this provider.
struct Prompt {
  std::string system;
  std::vector<PromptMessage> messages;
  std::uint32_t maxTokens = 1024;
  std::optional<double> temperature;
  const AdaptedSchema* schema = nullptr;
  std::string schemaName;
};

struct Completion {
  std::string text;
  std::string model;  // as the provider reports it (may carry a version)
  Usage usage;
};

struct Embeddings {
  std::vector<std::vector<float>> vectors;  // in input order
  std::string model;
  std::optional<std::int64_t> inputTokens;  // nullopt when the provider reports none
};

// What a non-2xx response means (the message without the provider's name).
struct ProviderError {
  Fault fault;
  std::string message;
};

class Wire {
 public:
  virtual ~Wire() = default;
  virtual AdaptedSchema adapt(const Json& schema) const = 0;
  virtual HttpCall completion(const ProviderSettings& provider, const std::string& model,
                              const Prompt& prompt) const = 0;
  // Throws Failure: refused (a content-policy marker), truncated (the token limit), badReply.
  virtual Completion parseCompletion(const Json& body) const = 0;
  virtual HttpCall embeddings(const ProviderSettings& provider, const std::string& model,
                              std::span<const std::string> texts,
                              std::optional<std::uint32_t> dimensions, EmbedTask task) const = 0;
  // Throws Failure(badReply) for a reply of another shape, unusableReply for the wrong count.
  virtual Embeddings parseEmbeddings(const Json& body, std::size_t count) const = 0;
  virtual ProviderError classify(int code, const Json& body) const = 0;
};

const Wire& wireOf(ProviderKind kind);

// ---- helpers shared by the wires ----

// A short, single-line excerpt of a provider's message (no bodies in errors).
std::string excerpt(const std::string& text, std::size_t max = 300);
// "HTTP 429 rate_limit_exceeded: message"
std::string httpReason(int code, const std::string& kind, const std::string& message);
// Faults by status for the cases every provider shares.
Fault faultOfStatus(int code);
// Throws Failure(badReply) naming the provider and what is missing.
[[noreturn]] void badReply(std::string_view provider, const std::string& what);

}  // namespace warren::ai
