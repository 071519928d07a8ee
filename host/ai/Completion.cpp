// AiService::complete: images loaded once, then each provider of the route in turn, with one
// repair attempt when a structured reply fails its schema.
#include "ai/CallLog.h"
#include "ai/Fallback.h"
#include "ai/Service.h"
#include "ai/Tokens.h"
#include "outbound/Budget.h"

namespace warren::ai {

struct AiService::Served {
  Json response;
  std::string provider;
  std::string model;
  unsigned attempts = 0;
  Usage usage;
};

namespace {

Prompt promptOf(const CompleteRequest& request, const std::vector<Image>& images,
                const AdaptedSchema* schema) {
  Prompt prompt;
  prompt.system = request.system;
  prompt.maxTokens = request.maxTokens;
  prompt.temperature = request.temperature;
  prompt.schema = schema;
  prompt.schemaName = request.schemaName;
  std::size_t image = 0;
  for (const auto& message : request.messages) {
    PromptMessage out{message.role, {}};
    for (const auto& part : message.parts) {
      out.parts.push_back(part.image ? PromptPart{"", &images[image++]} : PromptPart{part.text});
    }
    prompt.messages.push_back(std::move(out));
  }
  return prompt;
}

struct Checked {
  Json value;
  std::optional<std::string> error;
};

// The reply as JSON of the original schema, or why it is not.
Checked check(const std::string& text, const CompleteRequest& request,
              const AdaptedSchema& adapted) {
  Json parsed;
  try {
    parsed = Json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    return {Json(), std::string("the reply is not valid JSON (") + e.what() + ")"};
  }
  Json restored = restoreReply(std::move(parsed), *request.schema, adapted);
  auto error = request.validator->validate(restored.dump());
  return {std::move(restored), std::move(error)};
}

std::string repairText(const std::string& error) {
  return "Your previous reply does not satisfy the required JSON Schema: " + error +
         ". Reply again with only the corrected JSON.";
}

}  // namespace

std::vector<Image> AiService::loadImages(const CompleteRequest& request, plugins::JobContext* job,
                                         const outbound::Budget& budget) const {
  std::vector<Image> out;
  for (std::size_t m = 0; m < request.messages.size(); ++m) {
    const auto& parts = request.messages[m].parts;
    for (std::size_t p = 0; p < parts.size(); ++p) {
      if (!parts[p].image) continue;
      const std::string where =
          "messages[" + std::to_string(m) + "].content[" + std::to_string(p) + "]";
      out.push_back(images_.load(parts[p].source, job, where, budget.remaining()));
    }
  }
  return out;
}

AiService::Served AiService::completeWith(const Target& target, const CompleteRequest& request,
                                          const std::vector<Image>& images,
                                          const outbound::Budget& budget,
                                          const std::string& caller) {
  const Wire& wire = wireOf(target.kind);
  const std::string provider(providerName(target.kind));
  std::optional<AdaptedSchema> adapted;
  if (request.schema) adapted = wire.adapt(*request.schema);
  Prompt prompt = promptOf(request, images, adapted ? &*adapted : nullptr);

  Served served;
  served.provider = provider;
  served.model = target.model;
  Completion reply;
  const auto ask = [&] {
    Outgoing out{target.kind, target.model,
                 wire.completion(settings_.of(target.kind), target.model, prompt),
                 estimateTokens(prompt), caller};
    served.attempts += sender_.send(out, budget, [&](const Json& body) {
      reply = wire.parseCompletion(body);
      return reply.usage;
    });
    served.usage += reply.usage;
  };
  ask();
  bool repaired = false;
  Json value;
  std::string text = reply.text;
  if (adapted) {
    Checked checked = check(reply.text, request, *adapted);
    if (checked.error) {
      prompt.messages.push_back({"assistant", {PromptPart{reply.text}}});
      prompt.messages.push_back({"user", {PromptPart{repairText(*checked.error)}}});
      ask();
      checked = check(reply.text, request, *adapted);
      if (checked.error) {
        throw Failure(Fault::invalid, provider +
                                          ": the reply does not satisfy json_schema after one "
                                          "repair attempt: " +
                                          *checked.error);
      }
      repaired = true;
    }
    value = std::move(checked.value);
    text = value.dump();
  }
  Json& r = served.response;
  r["text"] = text;
  if (adapted) r["json"] = value;
  r["provider"] = provider;
  r["model"] = reply.model.empty() ? target.model : reply.model;
  r["finish_reason"] = "stop";
  r["usage"] = {{"input_tokens", served.usage.input},
                {"output_tokens", served.usage.output},
                {"cached_tokens", served.usage.cached}};
  r["attempts"] = served.attempts;
  r["repaired"] = repaired;
  return served;
}

std::string AiService::complete(std::string_view queue, plugins::JobContext* job,
                                std::string_view requestJson, const std::string& caller) {
  CallLog call{"complete", std::string(queue), caller};
  try {
    const CompleteRequest request = parseCompleteRequest(requestJson);
    const Route route = completionRoute(settings_, queue, request.model);
    if (route.targets.empty()) throw Failure(Fault::notFound, route.none);
    const outbound::Budget budget(job, timeoutOf(request.timeoutMs));
    const std::vector<Image> images = loadImages(request, job, budget);
    std::vector<Failure> failures;
    for (const Target& target : route.targets) {
      call.provider = providerName(target.kind);
      call.model = target.model;
      try {
        Served served = completeWith(target, request, images, budget, caller);
        call.attempts = served.attempts;
        call.usage = served.usage;
        served.response["latency_ms"] = call.elapsedMs();
        call.write();
        return served.response.dump();
      } catch (const Failure& failure) {
        failures.push_back(failure);
        if (!fallsBack(failure.fault()) || budget.cancelled() || budget.expired()) break;
      }
    }
    throw combine(failures);
  } catch (const Failure& failure) {
    call.outcome = outcomeLabel(failure.fault());
    call.write();
    throw Failure(failure.fault(), scrub(failure.what()), failure.retryAtMs());
  }
}

}  // namespace warren::ai
