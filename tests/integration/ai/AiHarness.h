// The AI service against the providers' fake (tests/fakes/ai): one fake per test suite, a fresh
// service per test with keys the fake checks, quick unhinted backoffs, and its own metrics.
#pragma once

#include "AiFake.h"
#include "TempDir.h"

#include "ai/Failure.h"
#include "ai/Json.h"
#include "ai/Service.h"
#include "metrics/Registry.h"
#include "outbound/HttpClient.h"
#include "storage/Store.h"

#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace warren::ai::test {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

inline const std::string kOpenAiKey = "sk-test-openai-4f9a1c";
inline const std::string kGeminiKey = "g-test-gemini-7b2e5d";
inline const std::string kAnthropicKey = "a-test-anthropic-93c0aa";
inline const std::string kCustomKey = "c-test-custom-1d8e66";

// The fake's name for a provider's API ("custom" speaks OpenAI's).
std::string fakeName(ProviderKind kind);

// A PNG of 1x1 pixels (70 bytes) as base64.
extern const char* const kPngBase64;

std::int64_t nowMs();

class AiHarness {
 public:
  static void startFake();
  static void stopFake();
  static warren::test::AiFake& fake();

  // Settings that point every provider at the fake, `primary` first (nullopt: none).
  static Settings settingsFor(std::optional<ProviderKind> primary);

  AiHarness();
  // (Re)creates the service from `settings`.
  AiService& serve(const Settings& settings);
  AiService& service() { return *service_; }
  metrics::Registry& registry() { return registry_; }
  storage::Store& store() { return *store_; }
  const std::filesystem::path& dir() const { return dir_.path(); }

  // The parsed response of a completion or embedding; throws what the service threw.
  Json complete(const std::string& request, plugins::JobContext* job = nullptr,
                const std::string& queue = "q");
  Json embed(const std::string& request, plugins::JobContext* job = nullptr,
             const std::string& queue = "q");

 private:
  metrics::Registry registry_;
  std::unique_ptr<outbound::HttpClient> http_;
  warren::test::TempDir dir_{"warren-ai"};
  std::unique_ptr<storage::Store> store_;
  std::unique_ptr<AiService> service_;
};

// The failure a call throws (Fault::internal with "no failure" when it succeeds).
Failure failureOf(const std::function<void()>& call);

// A request with one user text and optional extra fields (a JSON object's members, "" for none).
std::string textRequest(const std::string& model, const std::string& text = "hello there",
                        const std::string& extra = "");

// A schema with a required string, an optional enum and an optional nested object.
extern const char* const kAnalysisSchema;

}  // namespace warren::ai::test
