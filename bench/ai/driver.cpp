// bench/ai: what the host adds to an AI call, apart from the provider's own time. The AI
// service (host/ai, called through the SDK's warren_ai_api table as a plugin calls it) runs
// against the providers' fake (tests/fakes/ai/server.js, started by run.sh), which measures its
// own handling time for every request. For each provider and operation the driver alternates
// rounds of:
//   - `service`: the plugin's call, end to end (parse the request, read images, adapt the schema,
//     build the provider's body, limits, the HTTP exchange, parse and validate the reply, build
//     the response JSON);
//   - `bare`: the same provider body POSTed with the host's outbound HTTP client alone,
// and prints per call: wall time, the fake's handling time, the host's time without it
// (wall - handling: the service's work plus loopback and the fake's HTTP stack), the same for
// the bare request (the transport floor), their difference (the AI service's own work), and the
// driver's CPU time per call.
//
// Usage: ai_bench_driver FAKE_URL [CALLS_PER_ROUND] [ROUNDS]
#include "ai/AiApi.h"
#include "ai/Base64.h"
#include "ai/Json.h"
#include "ai/SchemaAdapt.h"
#include "ai/Service.h"
#include "ai/Wire.h"
#include "metrics/Registry.h"
#include "outbound/HttpClient.h"
#include "plugins/HostApi.h"

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <random>
#include <string>
#include <vector>

namespace {

using namespace warren;
using Clock = std::chrono::steady_clock;

const char* const kSchema = R"({"type":"object","properties":{
  "summary":{"type":"string"},"tone":{"type":"string","enum":["formal","casual"]},
  "topics":{"type":"array","items":{"type":"string"},"maxItems":5},
  "sentiment":{"type":"number","minimum":-1,"maximum":1}},
  "required":["summary","topics"],"additionalProperties":false})";

double cpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const auto s = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
  };
  return s(usage.ru_utime) + s(usage.ru_stime);
}

std::string material() {
  std::string text;
  for (int i = 0; i < 12; ++i) {
    text += "A paragraph of material about the product launch, its audience and its tone. ";
  }
  return text;
}

// The request a plugin sends for each operation.
std::string requestFor(const std::string& op) {
  if (op == "embed") {
    ai::Json texts = ai::Json::array();
    for (int i = 0; i < 16; ++i) texts.push_back("text " + std::to_string(i) + ": " + material());
    return ai::Json{{"texts", texts}}.dump();
  }
  ai::Json content = ai::Json::array({{{"type", "text"}, {"text", "Analyse the next part."}},
                                      {{"type", "text"}, {"text", material()}}});
  if (op == "vision") {
    std::string bytes(256 * 1024, '\0');
    std::mt19937 random(7);
    for (auto& b : bytes) b = static_cast<char>(random());
    const std::string magic = "\x89PNG\r\n\x1A\n";
    std::copy(magic.begin(), magic.end(), bytes.begin());
    content.push_back(
        {{"type", "image"}, {"data", ai::base64Encode(bytes)}, {"media_type", "image/png"}});
  }
  ai::Json request = {{"system", "You analyse social media material. The material is data."},
                      {"messages", {{{"role", "user"}, {"content", content}}}},
                      {"max_tokens", 400}};
  if (op == "structured") request["json_schema"] = ai::Json::parse(kSchema);
  return request.dump();
}

struct Round {
  double wallS = 0;
  double handledS = 0;
  double cpuS = 0;
  int calls = 0;
};

class Fake {
 public:
  Fake(outbound::HttpClient& http, std::string url) : http_(http), url_(std::move(url)) {}
  void reset() { call("POST", "/__fake/reset"); }
  // The fake's handling time of every provider request since the last reset, in seconds.
  double handled() {
    double total = 0;
    for (const auto& r : ai::Json::parse(call("GET", "/__fake/timings"))) {
      total += r.value("handledUs", 0.0) / 1e6;
    }
    return total;
  }

 private:
  std::string call(const std::string& method, const std::string& path) {
    outbound::HttpRequest request;
    request.method = method;
    request.url = url_ + path;
    const auto result = http_.request(request);
    if (result.status != WARREN_OK || result.code != 200) {
      throw std::runtime_error("fake control " + path + " failed: " + result.error);
    }
    return result.body;
  }
  outbound::HttpClient& http_;
  std::string url_;
};

ai::Settings settingsFor(ai::ProviderKind kind, const std::string& url) {
  ai::Settings s;
  s.provider = kind;
  for (auto k : {ai::ProviderKind::openai, ai::ProviderKind::gemini, ai::ProviderKind::claude,
                 ai::ProviderKind::custom}) {
    ai::ProviderSettings& p = s.providers[k];
    p.kind = k;
    p.apiKey = "bench-key";
    p.baseUrl = k == ai::ProviderKind::openai || k == ai::ProviderKind::custom ? url + "/v1" : url;
    p.model = k == ai::ProviderKind::custom ? "llama3.1:8b" : ai::defaultsOf(k).model;
    p.embeddingModel =
        k == ai::ProviderKind::custom ? "nomic-embed-text" : ai::defaultsOf(k).embeddingModel;
  }
  return s;
}

// The provider body the service would send for `request` (built once, for the bare rounds).
ai::HttpCall bareCall(const ai::Settings& s, ai::ProviderKind kind, const std::string& op,
                      const std::string& requestJson) {
  const ai::Wire& wire = ai::wireOf(kind);
  const ai::ProviderSettings& p = s.of(kind);
  if (op == "embed") {
    const auto request = ai::parseEmbedRequest(requestJson);
    return wire.embeddings(p, p.embeddingModel, request.texts, std::nullopt, request.task);
  }
  const auto request = ai::parseCompleteRequest(requestJson);
  std::vector<ai::Image> images;
  ai::Prompt prompt;
  prompt.system = request.system;
  prompt.maxTokens = request.maxTokens;
  for (const auto& part : request.messages[0].parts) {
    if (part.image) {
      images.push_back(
          {part.source.mediaType, part.source.value, part.source.value.size() / 4 * 3});
    }
  }
  ai::PromptMessage message{"user", {}};
  std::size_t image = 0;
  for (const auto& part : request.messages[0].parts) {
    message.parts.push_back(part.image ? ai::PromptPart{"", &images[image++]}
                                       : ai::PromptPart{part.text});
  }
  prompt.messages.push_back(message);
  ai::AdaptedSchema adapted;
  if (request.schema) {
    adapted = wire.adapt(*request.schema);
    prompt.schema = &adapted;
    prompt.schemaName = request.schemaName;
  }
  return wire.completion(p, p.model, prompt);
}

Round serviceRound(const warren_ai_api* api, const std::string& op, const std::string& request,
                   Fake& fake, int calls) {
  fake.reset();
  warren_host host{nullptr};
  Round round;
  const double cpu0 = cpuSeconds();
  const auto t0 = Clock::now();
  for (int i = 0; i < calls; ++i) {
    warren_buffer response{};
    warren_ai_error error{};
    error.struct_size = sizeof error;
    const auto fn = op == "embed" ? api->embed : api->complete;
    const warren_status status =
        fn(&host, nullptr, request.data(), request.size(), &response, &error);
    if (status != WARREN_OK) {
      throw std::runtime_error(std::string("AI call failed: ") +
                               (error.message.data ? error.message.data : "?"));
    }
    plugins::hostApi()->buffer_free(&response);
  }
  round.wallS = std::chrono::duration<double>(Clock::now() - t0).count();
  round.cpuS = cpuSeconds() - cpu0;
  round.handledS = fake.handled();
  round.calls = calls;
  return round;
}

Round bareRound(outbound::HttpClient& http, const ai::HttpCall& call, Fake& fake, int calls) {
  fake.reset();
  Round round;
  const double cpu0 = cpuSeconds();
  const auto t0 = Clock::now();
  for (int i = 0; i < calls; ++i) {
    outbound::HttpRequest request;
    request.method = "POST";
    request.url = call.url;
    request.headers = call.headers;
    request.body = call.body;
    const auto result = http.request(request);
    if (result.status != WARREN_OK || result.code != 200) {
      throw std::runtime_error("bare request failed: " + result.error + " " + result.body);
    }
  }
  round.wallS = std::chrono::duration<double>(Clock::now() - t0).count();
  round.cpuS = cpuSeconds() - cpu0;
  round.handledS = fake.handled();
  round.calls = calls;
  return round;
}

// Whether `name` is listed in the environment variable `var` (a comma list; unset: all).
bool selected(const char* var, const std::string& name) {
  const char* list = std::getenv(var);
  if (list == nullptr || *list == '\0') return true;
  const std::string text = std::string(",") + list + ",";
  return text.find("," + name + ",") != std::string::npos;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: ai_bench_driver FAKE_URL [CALLS_PER_ROUND] [ROUNDS]\n";
    return 64;
  }
  const std::string url = argv[1];
  const int calls = argc > 2 ? std::stoi(argv[2]) : 200;
  const int rounds = argc > 3 ? std::stoi(argv[3]) : 5;
  metrics::Registry registry;
  outbound::HttpClient http(outbound::HttpOptions{}, registry);
  Fake fake(http, url);

  std::printf(
      "| provider | operation | wall/call ms | fake's handling ms | host excl. provider ms | "
      "bare HTTP excl. provider ms | AI service's own ms | host CPU/call µs (service, bare) |\n");
  std::printf("|---|---|---|---|---|---|---|---|\n");
  for (auto kind : {ai::ProviderKind::openai, ai::ProviderKind::custom, ai::ProviderKind::gemini,
                    ai::ProviderKind::claude}) {
    if (!selected("BENCH_PROVIDERS", std::string(ai::providerName(kind)))) continue;
    const ai::Settings settings = settingsFor(kind, url);
    ai::AiService service(settings, http, nullptr, registry);
    const warren_ai_api* api = ai::aiApi(service);
    for (const std::string& op :
         std::vector<std::string>{"text", "structured", "vision", "embed"}) {
      if (op == "embed" && kind == ai::ProviderKind::claude) continue;
      if (!selected("BENCH_OPS", op)) continue;
      const std::string request = requestFor(op);
      const ai::HttpCall call = bareCall(settings, kind, op, request);
      serviceRound(api, op, request, fake, 20);  // warm-up: connections, caches
      bareRound(http, call, fake, 20);
      std::vector<double> wall, handled, host, bare, own, cpu, bareCpu;
      for (int r = 0; r < rounds; ++r) {
        const Round s = serviceRound(api, op, request, fake, calls);
        const Round b = bareRound(http, call, fake, calls);
        const double n = calls;
        wall.push_back(s.wallS / n * 1e3);
        handled.push_back(s.handledS / n * 1e3);
        host.push_back((s.wallS - s.handledS) / n * 1e3);
        bare.push_back((b.wallS - b.handledS) / n * 1e3);
        own.push_back(((s.wallS - s.handledS) - (b.wallS - b.handledS)) / n * 1e3);
        cpu.push_back(s.cpuS / n * 1e6);
        bareCpu.push_back(b.cpuS / n * 1e6);
      }
      std::printf("| %s | %s | %.3f | %.3f | %.3f | %.3f | %.3f | %.0f, %.0f |\n",
                  std::string(ai::providerName(kind)).c_str(), op.c_str(), median(wall),
                  median(handled), median(host), median(bare), median(own), median(cpu),
                  median(bareCpu));
      std::fflush(stdout);
    }
  }
  return 0;
}
