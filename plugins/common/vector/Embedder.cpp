#include "vector/Embedder.h"

#include "job/Failure.h"
#include "vector/Codec.h"

#include <stdexcept>

namespace common::vector {
namespace {

[[noreturn]] void badReply(const std::string& why) {
  throw job::Unrecoverable("the AI service's embeddings are unusable: " + why);
}

}  // namespace

Embedder::Embedder(const warren::Host& host, EmbedderOptions options)
    : host_(host), options_(std::move(options)), offline_(options_.offlineDimensions) {}

bool Embedder::useOffline(const std::optional<std::string>& model) const {
  if (model && *model == HashEmbedder::kModel) return true;
  if (warren::Ai(host_).available(WARREN_AI_EMBED)) return false;
  if (model && !model->empty())
    throw job::Unrecoverable("model '" + *model +
                             "' needs an AI provider, and none is configured "
                             "for embeddings (the offline model is " +
                             HashEmbedder::kModel + ")");
  return true;
}

std::optional<std::pair<std::string, std::uint32_t>> Embedder::knownModel(
    const std::optional<std::string>& model) const {
  if (useOffline(model))
    return std::make_pair(std::string(HashEmbedder::kModel), offline_.dimensions());
  return std::nullopt;
}

Embeddings Embedder::embed(const warren::Job* job, const std::vector<std::string>& texts,
                           const std::optional<std::string>& model) const {
  if (texts.empty()) throw job::Unrecoverable("no texts to embed");
  for (std::size_t i = 0; i < texts.size(); ++i) {
    bool blank = true;
    for (const char c : texts[i])
      blank = blank && (c == ' ' || c == '\t' || c == '\n' || c == '\r');
    if (blank) throw job::Unrecoverable("text " + std::to_string(i) + " is empty");
  }
  if (useOffline(model)) return embedOffline(texts);
  try {
    return embedRemote(job, texts, model && !model->empty() ? *model : options_.model);
  } catch (const warren::AiError& e) {
    // The provider went away between available() and the call (a reload): offline, unless a
    // provider's model was asked for by name.
    if (e.code() == WARREN_ERR_NOT_FOUND && !(model && !model->empty())) return embedOffline(texts);
    throw;
  }
}

Embeddings Embedder::embedOffline(const std::vector<std::string>& texts) const {
  Embeddings out;
  out.provider = "offline";
  out.model = HashEmbedder::kModel;
  out.dimensions = offline_.dimensions();
  out.vectors.reserve(texts.size());
  for (std::size_t i = 0; i < texts.size(); ++i) {
    try {
      out.vectors.push_back(offline_.embed(texts[i]));
    } catch (const std::invalid_argument& e) {
      throw job::Unrecoverable("text " + std::to_string(i) + ": " + e.what());
    }
  }
  return out;
}

Embeddings Embedder::embedRemote(const warren::Job* job, const std::vector<std::string>& texts,
                                 const std::string& model) const {
  Embeddings out;
  Json request = {{"texts", texts}, {"task", "document"}, {"encoding", "base64"}};
  if (!model.empty()) request["model"] = model;
  if (options_.dimensions > 0) request["dimensions"] = options_.dimensions;
  appendReply(out, warren::Ai(host_).embed(job, dumpJson(request)), texts.size());
  return out;
}

void Embedder::appendReply(Embeddings& out, const std::string& reply, std::size_t expected) const {
  const Json body = parseJson(reply, "the AI service's embed reply");
  const auto vectors = body.find("vectors");
  if (vectors == body.end() || !vectors->is_array()) badReply("the reply has no vectors array");
  if (vectors->size() != expected)
    badReply("the reply has " + std::to_string(vectors->size()) + " vectors for " +
             std::to_string(expected) + " texts");
  const std::string model = stringOr(body, "model");
  const std::string provider = stringOr(body, "provider");
  if (model.empty()) badReply("the reply names no model");
  if (out.model.empty()) {
    out.model = model;
    out.provider = provider;
  } else if (model != out.model) {
    badReply("the batches came from two models, " + out.model + " and " + model);
  }
  const std::int64_t stated = intOr(body, "dimensions", 0);
  const std::string encoding = stringOr(body, "encoding", "base64");
  for (std::size_t i = 0; i < vectors->size(); ++i) {
    const Json& item = (*vectors)[i];
    const std::string which = "vector " + std::to_string(out.vectors.size());
    Vector v;
    try {
      if (item.is_string() && encoding == "base64") {
        v = decodeFloat32(item.get<std::string>());
      } else if (item.is_array()) {
        v.reserve(item.size());
        for (const Json& x : item) {
          if (!x.is_number()) badReply(which + " has a value that is not a number");
          v.push_back(x.get<float>());
        }
      } else {
        badReply(which + " is neither base64 nor an array of numbers");
      }
    } catch (const std::invalid_argument& e) {
      badReply(which + ": " + e.what());
    }
    if (v.empty()) badReply(which + " is empty");
    if (stated > 0 && v.size() != static_cast<std::size_t>(stated))
      badReply(which + " has " + std::to_string(v.size()) + " values, the reply says " +
               std::to_string(stated) + " dimensions");
    if (out.dimensions == 0) out.dimensions = static_cast<std::uint32_t>(v.size());
    if (v.size() != out.dimensions)
      badReply(which + " has " + std::to_string(v.size()) + " values, vector 0 has " +
               std::to_string(out.dimensions));
    if (options_.dimensions > 0 && v.size() != options_.dimensions)
      badReply(which + " has " + std::to_string(v.size()) + " values, " +
               std::to_string(options_.dimensions) + " were asked for");
    try {
      normalise(v);  // providers send unit vectors; a truncated Gemini vector needs it
    } catch (const std::invalid_argument& e) {
      badReply(which + ": " + e.what());
    }
    out.vectors.push_back(std::move(v));
  }
  const auto usage = body.find("usage");
  if (usage != body.end() && usage->is_object())
    out.inputTokens += intOr(*usage, "input_tokens", 0);
}

}  // namespace common::vector
