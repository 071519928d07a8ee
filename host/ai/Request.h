// The provider-neutral requests of docs/ai.md, parsed and checked. Every refusal is a
// Failure(Fault::invalid) that names the field ("messages[0].content[1].url: ...").
#pragma once

#include "ai/Json.h"
#include "json/Schema.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace warren::ai {

struct ImageSource {
  enum class Kind { storageKey, file, url, data };
  Kind kind = Kind::data;
  std::string value;      // the key, path, URL, or base64 text
  std::string mediaType;  // with data: the declared type
};

struct Part {
  bool image = false;
  std::string text;    // a text part
  ImageSource source;  // an image part
};

struct Message {
  std::string role;  // user | assistant
  std::vector<Part> parts;
};

struct CompleteRequest {
  std::string system;
  std::vector<Message> messages;
  std::uint32_t maxTokens = 1024;
  std::optional<double> temperature;
  std::optional<Json> schema;             // json_schema as given
  std::optional<json::Schema> validator;  // json_schema compiled
  std::string schemaName = "result";
  std::string model;  // empty: the queue's or the provider's
  std::optional<std::int64_t> timeoutMs;
};

enum class EmbedTask { document, query };

struct EmbedRequest {
  std::vector<std::string> texts;
  std::string model;
  std::optional<std::uint32_t> dimensions;
  EmbedTask task = EmbedTask::document;
  bool base64 = true;  // encoding: base64 (default) or float
  std::optional<std::int64_t> timeoutMs;
};

CompleteRequest parseCompleteRequest(std::string_view json);
EmbedRequest parseEmbedRequest(std::string_view json);

// Model names as the providers spell them ("gpt-4o-mini", "llama3.1:8b", "org/model").
bool validModelName(std::string_view model);

}  // namespace warren::ai
