// AiService::embed: one provider, the texts in batches of its limit, the vectors checked and
// normalised, in the input's order.
#include "ai/CallLog.h"
#include "ai/Fallback.h"
#include "ai/Service.h"
#include "ai/Tokens.h"
#include "ai/Vectors.h"
#include "outbound/Budget.h"

#include <algorithm>

namespace warren::ai {
namespace {

// OpenAI also caps a request at 300,000 tokens; the estimate keeps a margin under it.
constexpr std::int64_t kMaxBatchTokens = 250000;

// [begin, end) ranges of at most `limit` texts and kMaxBatchTokens estimated tokens.
std::vector<std::pair<std::size_t, std::size_t>> batchesOf(const std::vector<std::string>& texts,
                                                           std::size_t limit) {
  std::vector<std::pair<std::size_t, std::size_t>> out;
  std::size_t begin = 0;
  std::int64_t tokens = 0;
  for (std::size_t i = 0; i < texts.size(); ++i) {
    const std::int64_t t = estimateTokens(texts[i]);
    if (i > begin && (i - begin >= limit || tokens + t > kMaxBatchTokens)) {
      out.emplace_back(begin, i);
      begin = i;
      tokens = 0;
    }
    tokens += t;
  }
  out.emplace_back(begin, texts.size());
  return out;
}

}  // namespace

std::string AiService::embed(std::string_view queue, plugins::JobContext* job,
                             std::string_view requestJson, const std::string& caller) {
  CallLog call{"embed", std::string(queue), caller};
  try {
    const EmbedRequest request = parseEmbedRequest(requestJson);
    const Route route = embeddingRoute(settings_, queue, request.model);
    if (route.targets.empty()) throw Failure(Fault::notFound, route.none);
    const Target& target = route.targets.front();
    const Wire& wire = wireOf(target.kind);
    const ProviderSettings& provider = settings_.of(target.kind);
    call.provider = providerName(target.kind);
    call.model = target.model;
    const outbound::Budget budget(job, timeoutOf(request.timeoutMs));

    std::vector<std::vector<float>> vectors(request.texts.size());
    std::string reportedModel;
    for (const auto& [begin, end] : batchesOf(request.texts, defaultsOf(target.kind).embedBatch)) {
      const std::span<const std::string> batch(request.texts.data() + begin, end - begin);
      const std::int64_t estimate = estimateTokens(batch);
      Outgoing out{target.kind, target.model,
                   wire.embeddings(provider, target.model, batch, request.dimensions, request.task),
                   estimate, caller};
      call.attempts += sender_.send(out, budget, [&](const Json& body) {
        Embeddings e = wire.parseEmbeddings(body, batch.size());
        std::move(e.vectors.begin(), e.vectors.end(), vectors.begin() + static_cast<long>(begin));
        if (!e.model.empty()) reportedModel = e.model;
        const std::int64_t tokens = e.inputTokens.value_or(estimate);  // Gemini reports none
        call.usage.input += tokens;
        return Usage{tokens, 0, 0};
      });
    }
    checkAndNormalise(vectors, request.dimensions, call.provider, target.model);

    Json response = Json::object();
    Json out = Json::array();
    for (const auto& v : vectors) {
      out.push_back(request.base64 ? Json(float32Base64(v)) : floatArray(v));
    }
    response["vectors"] = std::move(out);
    response["encoding"] = request.base64 ? "base64" : "float";
    response["provider"] = call.provider;
    response["model"] = reportedModel.empty() ? target.model : reportedModel;
    response["dimensions"] = vectors.front().size();
    response["usage"] = {{"input_tokens", call.usage.input}};
    response["latency_ms"] = call.elapsedMs();
    response["attempts"] = call.attempts;
    call.write();
    return response.dump();
  } catch (const Failure& failure) {
    call.outcome = outcomeLabel(failure.fault());
    call.write();
    throw Failure(failure.fault(), scrub(failure.what()), failure.retryAtMs());
  }
}

}  // namespace warren::ai
