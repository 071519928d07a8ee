// The AI providers' fake (tests/fakes/ai/server.js) for C++ tests: started on 127.0.0.1 and a
// free port when constructed, killed when destroyed. See tests/fakes/README.md for the
// scenarios (chosen by the model name, or queued per provider with script()).
#pragma once

#include "Command.h"

#include <nlohmann/json.hpp>

#include <memory>
#include <string>
#include <vector>

namespace warren::test {

struct AiFakeOptions {
  // When set, the fake answers 401 (Gemini: 400 API_KEY_INVALID) to any other key.
  std::string openaiKey, geminiKey, anthropicKey;
};

class AiFake {
 public:
  explicit AiFake(AiFakeOptions options = {});
  ~AiFake();
  AiFake(const AiFake&) = delete;
  AiFake& operator=(const AiFake&) = delete;

  int port() const { return port_; }
  std::string url() const;               // http://127.0.0.1:PORT
  std::string openaiBaseUrl() const;     // for OPENAI_BASE_URL and AI_BASE_URL (with /v1)
  std::string geminiBaseUrl() const;     // for GEMINI_BASE_URL (the API version is added)
  std::string anthropicBaseUrl() const;  // for ANTHROPIC_BASE_URL (/v1/messages is added)
  std::string imageUrl(const std::string& type) const;  // png, jpeg, gif, webp, text, big

  // Queues scenarios ("500", "429-ms-200", "ok"...) for the next requests to `provider`
  // (openai, gemini or anthropic), one per request, before the model name's scenario.
  void script(const std::string& provider, const std::vector<std::string>& steps);
  // Queues one successful reply with exactly `text` (for structured output: the JSON text).
  void reply(const std::string& provider, const std::string& text);
  // Queues completions' replies for `provider`: each step is {"json": VALUE} (a structured
  // reply) or {"text": "..."}, optionally with "scenario". Embedding requests leave them queued.
  void scriptReplies(const std::string& provider, const nlohmann::json& steps);
  // Every provider request received so far (optionally of one provider), in order: objects
  // with seq, provider, op, method, path, query, headers, body, scenario, status, handledUs.
  nlohmann::json requests(const std::string& provider = "") const;
  void clearRequests();
  // Forgets requests, scripts and the state of scenarios.
  void reset();

 private:
  std::string control(const std::string& method, const std::string& pathAndQuery,
                      const std::string& body = "") const;

  std::unique_ptr<BackgroundProcess> process_;
  int port_ = 0;
};

}  // namespace warren::test
