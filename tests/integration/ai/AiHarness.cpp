#include "AiHarness.h"

#include <filesystem>

namespace warren::ai::test {
namespace {

std::unique_ptr<warren::test::AiFake> g_fake;

}  // namespace

const char* const kPngBase64 =
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg"
    "==";

const char* const kAnalysisSchema = R"({
  "type": "object",
  "properties": {
    "summary": {"type": "string", "minLength": 1},
    "tone": {"type": "string", "enum": ["formal", "casual"]},
    "topics": {"type": "array", "items": {"type": "string"}, "maxItems": 5},
    "media": {"type": "object", "properties": {"width": {"type": "integer", "minimum": 1}},
              "required": ["width"], "additionalProperties": false}
  },
  "required": ["summary", "topics"],
  "additionalProperties": false
})";

std::string fakeName(ProviderKind kind) {
  switch (kind) {
    case ProviderKind::gemini:
      return "gemini";
    case ProviderKind::claude:
      return "anthropic";
    default:
      return "openai";
  }
}

std::int64_t nowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

void AiHarness::startFake() {
  // The fake checks the keys of openai, gemini and anthropic; custom shares openai's routes,
  // so its requests carry the openai key too (a server with --api-key checks one key).
  warren::test::AiFakeOptions options;
  options.geminiKey = kGeminiKey;
  options.anthropicKey = kAnthropicKey;
  g_fake = std::make_unique<warren::test::AiFake>(options);
}

void AiHarness::stopFake() {
  g_fake.reset();
}

warren::test::AiFake& AiHarness::fake() {
  return *g_fake;
}

Settings AiHarness::settingsFor(std::optional<ProviderKind> primary) {
  Settings s;
  s.provider = primary;
  const std::map<ProviderKind, std::pair<std::string, std::string>> endpoints = {
      {ProviderKind::openai, {fake().openaiBaseUrl(), kOpenAiKey}},
      {ProviderKind::custom, {fake().openaiBaseUrl(), kCustomKey}},
      {ProviderKind::gemini, {fake().geminiBaseUrl(), kGeminiKey}},
      {ProviderKind::claude, {fake().anthropicBaseUrl(), kAnthropicKey}}};
  for (const auto& [kind, endpoint] : endpoints) {
    ProviderSettings& p = s.providers[kind];
    p.kind = kind;
    p.baseUrl = endpoint.first;
    p.apiKey = endpoint.second;
    p.model = kind == ProviderKind::custom ? "llama3.1:8b" : defaultsOf(kind).model;
    p.embeddingModel =
        kind == ProviderKind::custom ? "nomic-embed-text" : defaultsOf(kind).embeddingModel;
  }
  s.backoffBase = 10ms;
  s.backoffCap = 50ms;
  s.timeout = 20000ms;
  return s;
}

AiHarness::AiHarness() {
  http_ = std::make_unique<outbound::HttpClient>(outbound::HttpOptions{}, registry_);
  storage::StorageOptions options;
  options.localRoot = (dir_ / "objects").string();
  store_ = storage::makeStore(options);
  fake().reset();
}

AiService& AiHarness::serve(const Settings& settings) {
  service_ = std::make_unique<AiService>(settings, *http_, store_.get(), registry_);
  return *service_;
}

Json AiHarness::complete(const std::string& request, plugins::JobContext* job,
                         const std::string& queue) {
  return Json::parse(service_->complete(queue, job, request, "test"));
}

Json AiHarness::embed(const std::string& request, plugins::JobContext* job,
                      const std::string& queue) {
  return Json::parse(service_->embed(queue, job, request, "test"));
}

Failure failureOf(const std::function<void()>& call) {
  try {
    call();
  } catch (const Failure& f) {
    return f;
  }
  return Failure(Fault::internal, "no failure");
}

std::string textRequest(const std::string& model, const std::string& text,
                        const std::string& extra) {
  Json request = {{"system", "You answer briefly."},
                  {"messages", {{{"role", "user"}, {"content", text}}}},
                  {"max_tokens", 200}};
  if (!model.empty()) request["model"] = model;
  if (!extra.empty()) {
    const Json fields = Json::parse(extra);
    for (const auto& [key, value] : fields.items()) request[key] = value;
  }
  return request.dump();
}

}  // namespace warren::ai::test
