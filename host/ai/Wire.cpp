#include "ai/Wire.h"

#include "ai/AnthropicWire.h"
#include "ai/GeminiWire.h"
#include "ai/OpenAiWire.h"

namespace warren::ai {

const Wire& wireOf(ProviderKind kind) {
  static const OpenAiWire openai(false);
  static const OpenAiWire custom(true);
  static const GeminiWire gemini;
  static const AnthropicWire claude;
  switch (kind) {
    case ProviderKind::openai:
      return openai;
    case ProviderKind::custom:
      return custom;
    case ProviderKind::gemini:
      return gemini;
    case ProviderKind::claude:
      return claude;
  }
  return custom;
}

std::string excerpt(const std::string& text, std::size_t max) {
  std::string out;
  for (char c : text) {
    if (out.size() >= max) {
      out += "...";
      break;
    }
    out += (c == '\n' || c == '\r' || c == '\t') ? ' ' : c;
  }
  return out;
}

std::string httpReason(int code, const std::string& kind, const std::string& message) {
  std::string out = "HTTP " + std::to_string(code);
  if (!kind.empty()) out += " " + kind;
  if (!message.empty()) out += ": " + excerpt(message);
  return out;
}

Fault faultOfStatus(int code) {
  if (code == 401 || code == 403) return Fault::auth;
  if (code == 402) return Fault::quota;
  if (code == 429) return Fault::rateLimited;
  if (code == 408 || code == 409 || code >= 500) return Fault::unavailable;
  if (code >= 400) return Fault::invalid;
  return Fault::badReply;  // 1xx/3xx: not an answer the API documents
}

void badReply(std::string_view provider, const std::string& what) {
  throw Failure(Fault::badReply, std::string(provider) + " sent a reply without " + what);
}

}  // namespace warren::ai
