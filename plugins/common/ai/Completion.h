// A provider-neutral completion request for the host's AI service (docs/ai.md), built so that
// untrusted material never passes for instructions ("spotlighting"): the system text says the
// material is data, and each piece of material sits in a message part of its own between
// markers it cannot close itself.
#pragma once

#include "json/Json.h"

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace common::ai {

class Completion {
 public:
  // `task` is the system text; the rule about material is appended to it.
  explicit Completion(std::string task);

  // A trusted text part (what to do with the material).
  Completion& instruction(std::string text);
  // Untrusted text in its own part: <material kind="KIND">...</material>, with any marker of
  // that name inside the text defused.
  Completion& material(std::string_view kind, std::string_view text);
  // An image the host reads and encodes: a local file, or a key in object storage.
  Completion& imageFile(const std::filesystem::path& file);
  Completion& imageKey(std::string key);

  // The reply must be JSON valid against `schema` (the host asks for it natively and
  // validates; `name` is the schema's name for the providers that want one).
  Completion& schema(Json schema, std::string name);
  Completion& maxTokens(int tokens);
  Completion& temperature(double value);
  Completion& model(std::string name);
  Completion& timeoutMs(std::int64_t ms);

  bool wantsJson() const { return schema_.has_value(); }
  // The request as the ai service reads it.
  Json toJson() const;

 private:
  std::string system_;
  Json parts_ = Json::array();
  std::optional<Json> schema_;
  std::string schemaName_;
  std::optional<int> maxTokens_;
  std::optional<double> temperature_;
  std::string model_;
  std::optional<std::int64_t> timeoutMs_;
};

// The system text's rule about material (exposed for tests).
extern const char* const kMaterialRule;
// `text` with every "<material" and "</material" (any case) defused as "&lt;material".
std::string defuseMarkers(std::string_view text);

}  // namespace common::ai
