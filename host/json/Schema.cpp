// SchemaEngine.h first: its specializations must precede every use of valijson's visitor.
#include "json/SchemaEngine.h"

#include "json/Json.h"
#include "json/Schema.h"
#include "json/SchemaMessages.h"

#include <valijson/schema_parser.hpp>
#include <valijson/validator.hpp>

#include <nlohmann/json.hpp>

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace warren::json {

namespace {

using nlohmann::json;

constexpr std::size_t kMaxMessages = 3;

// nlohmann's reasons start with "[json.exception.parse_error.101] "; the reason is the rest.
std::string parseReason(const json::exception& e) {
  const std::string what = e.what();
  const std::size_t end = what.find("] ");
  return end == std::string::npos ? what : what.substr(end + 2);
}

const char* kindOf(const json& value) {
  switch (value.type()) {
    case json::value_t::array:
      return "an array";
    case json::value_t::string:
      return "a string";
    case json::value_t::null:
      return "null";
    case json::value_t::boolean:
      return "a boolean";
    case json::value_t::object:
      return "an object";
    default:
      return "a number";
  }
}

// Draft 7 (or no $schema at all): other drafts name keywords this parser would silently ignore.
void requireDraft7(const json& document) {
  if (!document.is_object()) return;
  const auto declared = document.find("$schema");
  if (declared == document.end()) return;
  const std::string uri = declared->is_string() ? declared->get<std::string>() : declared->dump();
  for (const char* draft7 :
       {"http://json-schema.org/draft-07/schema#", "http://json-schema.org/draft-07/schema",
        "https://json-schema.org/draft-07/schema#", "https://json-schema.org/draft-07/schema"}) {
    if (uri == draft7) return;
  }
  throw std::invalid_argument("$schema is '" + uri + "'; only JSON Schema draft 7 is supported");
}

// Every `pattern` and `patternProperties` key, compiled with PCRE2 before any data needs them.
// Values (enum, const, default, examples) are data, not schemas, and are skipped.
void collectPatterns(const json& node, engine::Patterns& patterns, int depth) {
  if (depth > 256) throw std::invalid_argument("schema is nested deeper than 256 levels");
  if (node.is_array()) {
    for (const json& element : node) collectPatterns(element, patterns, depth + 1);
    return;
  }
  if (!node.is_object()) return;
  for (const auto& [key, value] : node.items()) {
    if (key == "enum" || key == "const" || key == "default" || key == "examples") continue;
    if (key == "pattern" && value.is_string()) patterns.add(value.get<std::string>());
    if (key == "patternProperties" && value.is_object()) {
      for (const auto& [pattern, subschema] : value.items()) patterns.add(pattern);
    }
    collectPatterns(value, patterns, depth + 1);
  }
}

// Every object holding a string "$ref", outside the values (enum, const, default, examples).
void collectRefs(const json& node, std::vector<const json*>& refs) {
  if (node.is_array()) {
    for (const json& element : node) collectRefs(element, refs);
    return;
  }
  if (!node.is_object()) return;
  const auto ref = node.find("$ref");
  if (ref != node.end() && ref->is_string()) refs.push_back(&node);
  for (const auto& [key, value] : node.items()) {
    if (key == "enum" || key == "const" || key == "default" || key == "examples") continue;
    collectRefs(value, refs);
  }
}

// valijson follows a $ref whose target is itself a $ref without end when the chain comes back
// (`{"$ref":"#"}`, a definition naming itself): the stack overflows and the process dies. Each
// chain is followed here the way valijson resolves it (local pointers; a remote document stops
// it, valijson refuses those): once longer than there are $refs, it must have come round.
void refuseRefCycles(const json& document) {
  namespace reference = valijson::internal::json_reference;
  std::vector<const json*> refs;
  collectRefs(document, refs);
  const engine::Adapter root(document);
  for (const json* start : refs) {
    std::optional<engine::Adapter> node(*start);  // an adapter holds a reference: no assignment
    for (std::size_t steps = 0;; ++steps) {
      if (!node->isObject()) break;
      const auto object = node->asObject();
      const auto member = object.find("$ref");
      std::string ref;
      if (member == object.end() || !member->second.getString(ref)) break;
      const auto uri = reference::getJsonReferenceUri(ref);
      if (uri &&
          (valijson::internal::uri::isUriAbsolute(*uri) || valijson::internal::uri::isUrn(*uri))) {
        break;
      }
      if (steps == refs.size()) {
        throw std::invalid_argument("$ref '" + start->at("$ref").get<std::string>() +
                                    "' leads into a cycle of $refs with no schema in it");
      }
      std::string pointer = reference::getJsonReferencePointer(ref).value_or("");
      pointer.erase(pointer.find_last_not_of('/') + 1);  // as valijson reads it
      try {
        node.emplace(valijson::internal::json_pointer::resolveJsonPointer(root, pointer));
      } catch (const std::exception&) {
        break;  // valijson says what is wrong with it
      }
    }
  }
}

}  // namespace

struct Schema::Compiled {
  std::string text;
  json document;
  engine::Patterns patterns;
  valijson::Schema schema;
};

Schema::Schema(std::shared_ptr<const Compiled> compiled) : compiled_(std::move(compiled)) {}

Schema Schema::compile(std::string_view schemaJson) {
  auto compiled = std::make_shared<Compiled>();
  compiled->text = std::string(schemaJson);
  try {
    compiled->document = json::parse(compiled->text);
  } catch (const json::exception& e) {
    throw std::invalid_argument("schema is not JSON: " + parseReason(e));
  }
  const json& document = compiled->document;
  if (!document.is_object() && !document.is_boolean()) {
    throw std::invalid_argument(std::string("a schema is an object or a boolean, not ") +
                                kindOf(document));
  }
  requireDraft7(document);
  try {
    collectPatterns(document, compiled->patterns, 0);
    refuseRefCycles(document);
    valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
    parser.populateSchema(engine::Adapter(document), compiled->schema);
  } catch (const std::exception& e) {
    throw std::invalid_argument(std::string("not a valid JSON Schema: ") + e.what());
  }
  return Schema(std::move(compiled));
}

std::optional<std::string> Schema::validate(std::string_view text) const {
  json document;
  // wellFormed first: it bounds nesting (valijson compares enum and const values recursively).
  const bool checked = wellFormed(text);
  try {
    document = json::parse(text);
  } catch (const json::exception& e) {
    return "/: not valid JSON (" + parseReason(e) + ")";
  }
  if (!checked) return std::string("/: not valid JSON (nested too deeply)");
  valijson::Validator validator(valijson::Validator::kStrongTypes);
  valijson::ValidationResults results;
  const engine::ActivePatterns active(compiled_->patterns);
  try {
    if (validator.validate(compiled_->schema, engine::Adapter(document), &results)) {
      return std::nullopt;
    }
  } catch (const std::exception& e) {
    return std::string("/: could not be validated: ") + e.what();
  }
  return engine::describeFailures(results, document, compiled_->document, compiled_->patterns,
                                  kMaxMessages);
}

const std::string& Schema::text() const {
  return compiled_->text;
}

}  // namespace warren::json
