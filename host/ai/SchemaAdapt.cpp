#include "ai/SchemaAdapt.h"

#include "ai/Failure.h"

#include <algorithm>
#include <cctype>
#include <initializer_list>
#include <string>

namespace warren::ai {
namespace {

bool isOneOf(const std::string& value, std::initializer_list<const char*> names) {
  return std::any_of(names.begin(), names.end(), [&](const char* n) { return value == n; });
}

// The schema a local "#/$defs/x" or "#/definitions/x" reference names, or nullptr.
const Json* resolveRef(const Json& root, const std::string& ref) {
  for (const char* section : {"$defs", "definitions"}) {
    const std::string prefix = std::string("#/") + section + "/";
    if (ref.rfind(prefix, 0) != 0) continue;
    const std::string name = ref.substr(prefix.size());
    if (root.contains(section) && root[section].contains(name)) return &root[section][name];
  }
  return nullptr;
}

bool hasType(const Json& schema, const char* type) {
  if (!schema.is_object() || !schema.contains("type")) return false;
  const Json& t = schema["type"];
  if (t.is_string()) return t == type;
  return t.is_array() && std::find(t.begin(), t.end(), type) != t.end();
}

bool isObjectSchema(const Json& schema) {
  return hasType(schema, "object") ||
         (schema.is_object() && schema.contains("properties") && !schema.contains("type"));
}

Json wrap(const Json& schema) {
  Json out = Json::object();
  out["type"] = "object";
  out["properties"] = {{"value", schema}};
  out["required"] = Json::array({"value"});
  return out;
}

// ---- OpenAI strict ----

// A schema that also accepts null.
Json nullable(Json schema) {
  if (!schema.is_object()) return schema;
  if (schema.contains("type") && !schema.contains("anyOf")) {
    Json& type = schema["type"];
    if (type.is_string() && type != "null") type = Json::array({type, "null"});
    if (type.is_array() && std::find(type.begin(), type.end(), "null") == type.end()) {
      type.push_back("null");
    }
    if (schema.contains("enum") && schema["enum"].is_array()) schema["enum"].push_back(nullptr);
    return schema;
  }
  return Json{{"anyOf", Json::array({schema, Json{{"type", "null"}}})}};
}

Json strictNode(const Json& node) {
  if (!node.is_object()) return node;
  Json out = Json::object();
  for (const auto& [key, value] : node.items()) {
    if (key == "properties" || key == "required" || key == "additionalProperties") continue;
    if (key == "items") {
      out["items"] = strictNode(value);
    } else if (key == "anyOf" || key == "oneOf") {
      Json branches = Json::array();
      for (const auto& branch : value) branches.push_back(strictNode(branch));
      out["anyOf"] = branches;
    } else if (key == "$defs" || key == "definitions") {
      Json defs = Json::object();
      for (const auto& [name, def] : value.items()) defs[name] = strictNode(def);
      out[key] = defs;
    } else if (key == "format") {
      if (value.is_string() &&
          isOneOf(value.get<std::string>(), {"date-time", "time", "date", "duration", "email",
                                             "hostname", "ipv4", "ipv6", "uuid"})) {
        out[key] = value;
      }
    } else if (isOneOf(key, {"type", "enum", "const", "description", "title", "$ref", "pattern",
                             "multipleOf", "maximum", "exclusiveMaximum", "minimum",
                             "exclusiveMinimum", "minItems", "maxItems"})) {
      out[key] = value;
    }
  }
  if (isObjectSchema(node)) {
    if (!out.contains("type")) out["type"] = "object";
    Json properties = Json::object();
    Json required = Json::array();
    const Json given = node.value("required", Json::array());
    const Json declared = node.value("properties", Json::object());
    for (const auto& [name, property] : declared.items()) {
      const bool wasRequired = std::find(given.begin(), given.end(), name) != given.end();
      properties[name] = wasRequired ? strictNode(property) : nullable(strictNode(property));
      required.push_back(name);
    }
    out["properties"] = properties;
    out["required"] = required;
    out["additionalProperties"] = false;
  }
  return out;
}

// ---- Gemini ----

std::string upper(std::string text) {
  for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return text;
}

Json geminiNode(const Json& node, const Json& root, int depth);

// Type and nullability: "string" -> STRING; ["string","null"] -> STRING + nullable; several
// types -> anyOf of each.
void geminiType(const Json& node, Json& out, const Json& root, int depth) {
  const Json& type = node["type"];
  std::vector<std::string> types;
  bool null = false;
  if (type.is_string() && type == "null") {
    null = true;
  } else if (type.is_string()) {
    types.push_back(type.get<std::string>());
  }
  for (const auto& t : type.is_array() ? type : Json::array()) {
    if (t == "null") {
      null = true;
    } else if (t.is_string()) {
      types.push_back(t.get<std::string>());
    }
  }
  if (types.size() == 1) {
    out["type"] = upper(types.front());
  } else if (types.size() > 1) {
    Json branches = Json::array();
    for (const auto& t : types) {
      Json single = node;
      single["type"] = t;
      branches.push_back(geminiNode(single, root, depth + 1));
    }
    out["anyOf"] = branches;
  }
  if (null) out["nullable"] = true;
}

Json geminiNode(const Json& node, const Json& root, int depth) {
  if (depth > 32) throw Failure(Fault::invalid, "json_schema: nested too deeply for gemini");
  if (!node.is_object()) return Json::object();
  if (node.contains("$ref")) {
    const Json* target =
        node["$ref"].is_string() ? resolveRef(root, node["$ref"].get<std::string>()) : nullptr;
    if (target == nullptr) {
      throw Failure(Fault::invalid, "json_schema: cannot resolve $ref " + node["$ref"].dump());
    }
    return geminiNode(*target, root, depth + 1);
  }
  Json out = Json::object();
  if (node.contains("type")) geminiType(node, out, root, depth);
  if (!out.contains("type") && !out.contains("anyOf") && node.contains("properties")) {
    out["type"] = "OBJECT";
  }
  for (const auto& [key, value] : node.items()) {
    if (key == "properties") {
      Json properties = Json::object();
      Json ordering = Json::array();
      for (const auto& [name, property] : value.items()) {
        properties[name] = geminiNode(property, root, depth + 1);
        ordering.push_back(name);
      }
      out["properties"] = properties;
      out["propertyOrdering"] = ordering;
    } else if (key == "required") {
      Json required = Json::array();
      for (const auto& name : value) {
        if (name.is_string() && node.contains("properties") &&
            node["properties"].contains(name.get<std::string>()))
          required.push_back(name);
      }
      if (!required.empty()) out["required"] = required;
    } else if (key == "items") {
      out["items"] = geminiNode(value, root, depth + 1);
    } else if (key == "anyOf" || key == "oneOf") {
      Json branches = Json::array();
      for (const auto& branch : value) branches.push_back(geminiNode(branch, root, depth + 1));
      out["anyOf"] = branches;
    } else if (key == "enum" || key == "const") {
      // responseSchema enums are strings only; other values are checked by the validation.
      Json values = key == "enum" ? value : Json::array({value});
      const bool strings =
          values.is_array() && !values.empty() &&
          std::all_of(values.begin(), values.end(), [](const Json& v) { return v.is_string(); });
      if (strings) {
        out["enum"] = values;
        out["type"] = "STRING";
      }
    } else if (key == "format") {
      if (value.is_string() && isOneOf(value.get<std::string>(), {"date-time", "enum", "int32",
                                                                  "int64", "float", "double"})) {
        out[key] = value;
      }
    } else if (isOneOf(key,
                       {"description", "title", "minItems", "maxItems", "minimum", "maximum",
                        "minLength", "maxLength", "pattern", "minProperties", "maxProperties"})) {
      out[key] = value;
    }
  }
  return out;
}

// ---- reply restoration ----

bool allowsNull(const Json& schema, const Json& root) {
  if (!schema.is_object() || schema.empty()) return true;
  if (schema.contains("$ref") && schema["$ref"].is_string()) {
    const Json* target = resolveRef(root, schema["$ref"].get<std::string>());
    return target == nullptr || allowsNull(*target, root);
  }
  if (hasType(schema, "null")) return true;
  if (schema.contains("enum") && schema["enum"].is_array()) {
    const Json& values = schema["enum"];
    return std::find(values.begin(), values.end(), nullptr) != values.end();
  }
  for (const char* key : {"anyOf", "oneOf"}) {
    if (!schema.contains(key)) continue;
    for (const auto& branch : schema[key]) {
      if (allowsNull(branch, root)) return true;
    }
    return false;
  }
  return !schema.contains("type") && !schema.contains("const");
}

void stripNulls(Json& value, const Json& schema, const Json& root, int depth) {
  if (depth > 64 || !schema.is_object()) return;
  if (schema.contains("$ref") && schema["$ref"].is_string()) {
    if (const Json* target = resolveRef(root, schema["$ref"].get<std::string>())) {
      stripNulls(value, *target, root, depth + 1);
    }
    return;
  }
  for (const char* key : {"anyOf", "oneOf"}) {
    if (!schema.contains(key) || !value.is_object()) continue;
    for (const auto& branch : schema[key]) {
      if (isObjectSchema(branch)) return stripNulls(value, branch, root, depth + 1);
    }
  }
  if (value.is_object() && schema.contains("properties")) {
    const Json required = schema.value("required", Json::array());
    for (auto it = value.begin(); it != value.end();) {
      const std::string name = it.key();
      const bool known = schema["properties"].contains(name);
      const bool optional = std::find(required.begin(), required.end(), name) == required.end();
      if (known && it->is_null() && optional && !allowsNull(schema["properties"][name], root)) {
        it = value.erase(it);
        continue;
      }
      if (known) stripNulls(*it, schema["properties"][name], root, depth + 1);
      ++it;
    }
  }
  if (value.is_array() && schema.contains("items")) {
    for (auto& item : value) stripNulls(item, schema["items"], root, depth + 1);
  }
}

}  // namespace

AdaptedSchema openAiStrictSchema(const Json& original) {
  AdaptedSchema adapted;
  adapted.strictNulls = true;
  adapted.wrapped =
      !isObjectSchema(original) || original.contains("anyOf") || original.contains("oneOf");
  const Json root = adapted.wrapped ? wrap(original) : original;
  adapted.schema = strictNode(root);
  // A wrapped schema's definitions stay at the root, where "#/$defs/..." points.
  if (adapted.wrapped) {
    for (const char* section : {"$defs", "definitions"}) {
      if (!original.contains(section)) continue;
      adapted.schema[section] = adapted.schema["properties"]["value"][section];
      adapted.schema["properties"]["value"].erase(section);
    }
  }
  return adapted;
}

AdaptedSchema geminiSchema(const Json& original) {
  AdaptedSchema adapted;
  adapted.schema = geminiNode(original, original, 0);
  return adapted;
}

AdaptedSchema anthropicToolSchema(const Json& original) {
  AdaptedSchema adapted;
  adapted.wrapped =
      !isObjectSchema(original) || original.contains("anyOf") || original.contains("oneOf");
  adapted.schema = adapted.wrapped ? wrap(original) : original;
  if (adapted.wrapped) {
    for (const char* section : {"$defs", "definitions"}) {
      if (!original.contains(section)) continue;
      adapted.schema[section] = original[section];
      adapted.schema["properties"]["value"].erase(section);
    }
  }
  if (!adapted.schema.contains("type")) adapted.schema["type"] = "object";
  adapted.schema.erase("$schema");
  return adapted;
}

Json restoreReply(Json reply, const Json& original, const AdaptedSchema& adapted) {
  if (adapted.wrapped && reply.is_object() && reply.contains("value")) {
    Json inner = std::move(reply["value"]);
    reply = std::move(inner);
  }
  if (adapted.strictNulls) stripNulls(reply, original, original, 0);
  return reply;
}

}  // namespace warren::ai
