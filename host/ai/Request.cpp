#include "ai/Request.h"

#include "ai/Failure.h"

#include <initializer_list>
#include <limits>

namespace warren::ai {
namespace {

constexpr std::size_t kMaxEmbedTexts = 100000;

[[noreturn]] void refuse(const std::string& field, const std::string& why) {
  throw Failure(Fault::invalid, field + ": " + why);
}

Json parseObject(std::string_view text) {
  Json value;
  try {
    value = Json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    refuse("request", std::string("not valid JSON (") + e.what() + ")");
  }
  if (!value.is_object()) refuse("request", "expected a JSON object");
  return value;
}

void onlyFields(const Json& object, const std::string& where,
                std::initializer_list<const char*> allowed) {
  for (const auto& [key, value] : object.items()) {
    bool known = false;
    for (const char* name : allowed) known = known || key == name;
    if (!known) refuse(where.empty() ? key : where + "." + key, "unknown field");
  }
}

std::string text(const Json& value, const std::string& field, bool allowEmpty = false) {
  if (!value.is_string()) refuse(field, "expected a string");
  std::string out = value.get<std::string>();
  if (!allowEmpty && out.empty()) refuse(field, "must not be empty");
  return out;
}

std::int64_t integer(const Json& value, const std::string& field, std::int64_t min,
                     std::int64_t max) {
  if (!value.is_number_integer() && !value.is_number_unsigned()) {
    refuse(field, "expected a whole number");
  }
  if (value.is_number_unsigned() && value.get<std::uint64_t>() > static_cast<std::uint64_t>(max)) {
    refuse(field,
           "expected a whole number from " + std::to_string(min) + " to " + std::to_string(max));
  }
  const auto n = value.get<std::int64_t>();
  if (n < min || n > max) {
    refuse(field,
           "expected a whole number from " + std::to_string(min) + " to " + std::to_string(max));
  }
  return n;
}

ImageSource imageSource(const Json& part, const std::string& where) {
  onlyFields(part, where, {"type", "storage_key", "file", "url", "data", "media_type"});
  ImageSource source;
  int given = 0;
  for (const auto& [field, kind] :
       {std::pair{"storage_key", ImageSource::Kind::storageKey},
        std::pair{"file", ImageSource::Kind::file}, std::pair{"url", ImageSource::Kind::url},
        std::pair{"data", ImageSource::Kind::data}}) {
    if (!part.contains(field)) continue;
    ++given;
    source.kind = kind;
    source.value = text(part[field], where + "." + field);
  }
  if (given != 1) {
    refuse(where, "an image part takes exactly one of storage_key, file, url or data");
  }
  if (part.contains("media_type")) {
    if (source.kind != ImageSource::Kind::data) refuse(where + ".media_type", "only with data");
    source.mediaType = text(part["media_type"], where + ".media_type");
  } else if (source.kind == ImageSource::Kind::data) {
    refuse(where + ".media_type", "required with data");
  }
  if (source.kind == ImageSource::Kind::file && source.value.front() != '/') {
    refuse(where + ".file", "expected an absolute path");
  }
  if (source.kind == ImageSource::Kind::url && source.value.rfind("http://", 0) != 0 &&
      source.value.rfind("https://", 0) != 0) {
    refuse(where + ".url", "expected an http:// or https:// URL");
  }
  return source;
}

Part part(const Json& value, const std::string& where, const std::string& role) {
  if (!value.is_object()) refuse(where, "expected an object");
  if (!value.contains("type")) refuse(where + ".type", "required (text or image)");
  const std::string type = text(value["type"], where + ".type");
  Part out;
  if (type == "text") {
    onlyFields(value, where, {"type", "text"});
    if (!value.contains("text")) refuse(where + ".text", "required");
    out.text = text(value["text"], where + ".text");
  } else if (type == "image") {
    if (role != "user") refuse(where, "images go in user messages only");
    out.image = true;
    out.source = imageSource(value, where);
  } else {
    refuse(where + ".type", "expected text or image");
  }
  return out;
}

Message message(const Json& value, const std::string& where) {
  if (!value.is_object()) refuse(where, "expected an object");
  onlyFields(value, where, {"role", "content"});
  Message out;
  if (!value.contains("role")) refuse(where + ".role", "required (user or assistant)");
  out.role = text(value["role"], where + ".role");
  if (out.role != "user" && out.role != "assistant") {
    refuse(where + ".role", "expected user or assistant");
  }
  if (!value.contains("content")) refuse(where + ".content", "required");
  const Json& content = value["content"];
  if (content.is_string()) {
    out.parts.push_back({false, text(content, where + ".content"), {}});
  } else if (content.is_array() && !content.empty()) {
    for (std::size_t i = 0; i < content.size(); ++i) {
      out.parts.push_back(
          part(content[i], where + ".content[" + std::to_string(i) + "]", out.role));
    }
  } else {
    refuse(where + ".content", "expected a string or a non-empty array of parts");
  }
  return out;
}

void schemaFields(const Json& request, CompleteRequest& out) {
  if (request.contains("json_schema")) {
    const Json& schema = request["json_schema"];
    if (!schema.is_object()) refuse("json_schema", "expected a JSON Schema object");
    try {
      out.validator = json::Schema::compile(schema.dump());
    } catch (const std::invalid_argument& e) {
      refuse("json_schema", e.what());
    }
    out.schema = schema;
  }
  if (request.contains("schema_name")) {
    out.schemaName = text(request["schema_name"], "schema_name");
    const bool valid = out.schemaName.size() <= 64 &&
                       out.schemaName.find_first_not_of(
                           "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") ==
                           std::string::npos;
    if (!valid) refuse("schema_name", "expected at most 64 of A-Z a-z 0-9 _ -");
    if (!out.schema) refuse("schema_name", "only with json_schema");
  }
}

std::string modelField(const Json& request) {
  if (!request.contains("model")) return {};
  const std::string model = text(request["model"], "model");
  if (!validModelName(model)) refuse("model", "not a model name");
  return model;
}

}  // namespace

bool validModelName(std::string_view model) {
  if (model.empty() || model.size() > 200) return false;
  return model.find_first_not_of(
             "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._:/@+-") ==
         std::string_view::npos;
}

CompleteRequest parseCompleteRequest(std::string_view json) {
  const Json request = parseObject(json);
  onlyFields(request, "",
             {"system", "messages", "max_tokens", "temperature", "json_schema", "schema_name",
              "model", "timeout_ms"});
  CompleteRequest out;
  if (request.contains("system")) out.system = text(request["system"], "system");
  if (!request.contains("messages")) refuse("messages", "required");
  const Json& messages = request["messages"];
  if (!messages.is_array() || messages.empty()) refuse("messages", "expected a non-empty array");
  for (std::size_t i = 0; i < messages.size(); ++i) {
    out.messages.push_back(message(messages[i], "messages[" + std::to_string(i) + "]"));
  }
  // Anthropic and Gemini need the conversation to open with the user.
  if (out.messages.front().role != "user") refuse("messages[0].role", "the first message is user");
  if (request.contains("max_tokens")) {
    out.maxTokens =
        static_cast<std::uint32_t>(integer(request["max_tokens"], "max_tokens", 1, 1000000));
  }
  if (request.contains("temperature")) {
    const Json& t = request["temperature"];
    if (!t.is_number() || t.get<double>() < 0 || t.get<double>() > 2) {
      refuse("temperature", "expected a number from 0 to 2");
    }
    out.temperature = t.get<double>();
  }
  schemaFields(request, out);
  out.model = modelField(request);
  if (request.contains("timeout_ms")) {
    out.timeoutMs = integer(request["timeout_ms"], "timeout_ms", 1, 3600000);
  }
  return out;
}

EmbedRequest parseEmbedRequest(std::string_view json) {
  const Json request = parseObject(json);
  onlyFields(request, "", {"texts", "model", "dimensions", "task", "encoding", "timeout_ms"});
  EmbedRequest out;
  if (!request.contains("texts")) refuse("texts", "required");
  const Json& texts = request["texts"];
  if (!texts.is_array() || texts.empty()) refuse("texts", "expected a non-empty array of strings");
  if (texts.size() > kMaxEmbedTexts) {
    refuse("texts", "at most " + std::to_string(kMaxEmbedTexts) + " texts in one call");
  }
  for (std::size_t i = 0; i < texts.size(); ++i) {
    out.texts.push_back(text(texts[i], "texts[" + std::to_string(i) + "]"));
  }
  out.model = modelField(request);
  if (request.contains("dimensions")) {
    out.dimensions =
        static_cast<std::uint32_t>(integer(request["dimensions"], "dimensions", 1, 65536));
  }
  if (request.contains("task")) {
    const std::string task = text(request["task"], "task");
    if (task != "document" && task != "query") refuse("task", "expected document or query");
    out.task = task == "query" ? EmbedTask::query : EmbedTask::document;
  }
  if (request.contains("encoding")) {
    const std::string encoding = text(request["encoding"], "encoding");
    if (encoding != "base64" && encoding != "float") refuse("encoding", "expected base64 or float");
    out.base64 = encoding == "base64";
  }
  if (request.contains("timeout_ms")) {
    out.timeoutMs = integer(request["timeout_ms"], "timeout_ms", 1, 3600000);
  }
  return out;
}

}  // namespace warren::ai
