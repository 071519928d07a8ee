#include "ai/Client.h"

#include "job/Failure.h"

namespace common::ai {
namespace {

[[noreturn]] void failed(const warren::AiError& e) {
  const std::string message = e.what();
  switch (e.code()) {
    case WARREN_ERR_RETRY_LATER:
      if (e.retryAtMs() > 0)
        throw job::RetryAt(e.retryAtMs(), "AI provider rate limited: " + message);
      throw job::Retryable("AI provider rate limited: " + message);
    case WARREN_ERR_NOT_FOUND:
      throw job::Unrecoverable("no AI provider configured for this queue: " + message);
    case WARREN_ERR_CANCELLED:
      throw e;
    case WARREN_ERR_INVALID:
    case WARREN_ERR_REFUSED:
      throw job::Unrecoverable("AI completion failed: " + message);
    default:
      if (e.retryable()) throw job::Retryable("AI completion failed: " + message);
      throw job::Unrecoverable("AI completion failed: " + message);
  }
}

Json parsed(std::string_view text) {
  try {
    return Json::parse(text.begin(), text.end());
  } catch (const Json::parse_error& e) {
    throw job::Retryable(std::string("the AI service answered with invalid JSON: ") + e.what());
  }
}

std::int64_t count(const Json& usage, const char* key) {
  const auto it = usage.find(key);
  return it != usage.end() && it->is_number_integer() ? it->get<std::int64_t>() : 0;
}

}  // namespace

Reply parseReply(std::string_view response, bool wantJson) {
  const Json body = parsed(response);
  if (!body.is_object()) throw job::Retryable("the AI service answered with a non-object");
  Reply reply;
  reply.text = stringOr(body, "text");
  reply.provider = stringOr(body, "provider");
  reply.model = stringOr(body, "model");
  reply.finishReason = stringOr(body, "finish_reason");
  if (const auto usage = body.find("usage"); usage != body.end() && usage->is_object()) {
    reply.usage = Usage{count(*usage, "input_tokens"), count(*usage, "output_tokens"),
                        count(*usage, "cached_tokens")};
  }
  reply.latencyMs = intOr(body, "latency_ms", 0);
  reply.attempts = static_cast<int>(intOr(body, "attempts", 1));
  reply.repaired = boolOr(body, "repaired", false);
  if (wantJson) {
    const auto json = body.find("json");
    if (json == body.end() || json->is_null()) {
      throw job::Retryable("the AI service answered a structured request without its JSON");
    }
    reply.json = *json;
  }
  return reply;
}

Reply Client::complete(const warren::Job& job, const Completion& request) const {
  std::string response;
  try {
    response = ai_.complete(&job, dumpJson(request.toJson()));
  } catch (const warren::AiError& e) {
    failed(e);
  }
  return parseReply(response, request.wantsJson());
}

}  // namespace common::ai
