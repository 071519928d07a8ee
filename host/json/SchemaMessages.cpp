#include "json/SchemaMessages.h"

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <string_view>
#include <vector>

namespace warren::json::engine {

namespace {

using nlohmann::json;

// One step from a value to a member of it.
struct Step {
  std::string key;  // the property name, or the index as text
  bool index = false;
  std::size_t position = 0;
};

// valijson names the failing value by a context of "<root>" and "[name]" or "[index]" steps;
// which of the two a step is follows from the document.
std::vector<Step> stepsOf(const std::vector<std::string>& context, const json& document) {
  std::vector<Step> steps;
  const json* node = &document;
  for (std::size_t i = 1; i < context.size(); ++i) {
    const std::string& part = context[i];
    Step step;
    step.key = part.size() >= 2 ? part.substr(1, part.size() - 2) : part;
    if (node != nullptr && node->is_array()) {
      step.index = true;
      step.position = std::strtoull(step.key.c_str(), nullptr, 10);
      node = step.position < node->size() ? &(*node)[step.position] : nullptr;
    } else if (node != nullptr && node->is_object()) {
      const auto found = node->find(step.key);
      node = found != node->end() ? &*found : nullptr;
    } else {
      node = nullptr;
    }
    steps.push_back(std::move(step));
  }
  return steps;
}

std::string pointerOf(const std::vector<Step>& steps) {
  if (steps.empty()) return "/";
  std::string pointer;
  for (const Step& step : steps) {
    pointer += '/';
    for (const char c : step.key) {
      if (c == '~') {
        pointer += "~0";
      } else if (c == '/') {
        pointer += "~1";
      } else {
        pointer += c;
      }
    }
  }
  return pointer;
}

const json* valueAt(const json& document, const std::vector<Step>& steps) {
  const json* node = &document;
  for (const Step& step : steps) {
    if (step.index && node->is_array() && step.position < node->size()) {
      node = &(*node)[step.position];
    } else if (!step.index && node->is_object() && node->contains(step.key)) {
      node = &(*node)[step.key];
    } else {
      return nullptr;
    }
  }
  return node;
}

// The subschemas that may apply to the value at `steps` (a superset: every branch of an anyOf,
// for instance), found by following properties, items, local $refs and the applicators.
class Applicable {
 public:
  Applicable(const json& schema, const Patterns& patterns) : root_(schema), patterns_(patterns) {}

  std::vector<const json*> at(const std::vector<Step>& steps) {
    found_.clear();
    visit(root_, steps, 0, 0);
    return found_;
  }

 private:
  static constexpr int kMaxHops = 64;

  void visit(const json& node, const std::vector<Step>& steps, std::size_t at, int hops) {
    if (hops > kMaxHops || !node.is_object()) return;
    if (const auto ref = node.find("$ref"); ref != node.end() && ref->is_string()) {
      if (const json* target = resolve(ref->get<std::string>())) {
        visit(*target, steps, at, hops + 1);
      }
      return;  // draft 7: the siblings of $ref are ignored
    }
    for (const char* list : {"allOf", "anyOf", "oneOf"}) {
      if (const auto found = node.find(list); found != node.end() && found->is_array()) {
        for (const json& branch : *found) visit(branch, steps, at, hops + 1);
      }
    }
    for (const char* branch : {"then", "else"}) {
      if (const auto found = node.find(branch); found != node.end()) {
        visit(*found, steps, at, hops + 1);
      }
    }
    if (at == steps.size()) {
      found_.push_back(&node);
      return;
    }
    const Step& step = steps[at];
    if (step.index) {
      item(node, step.position, steps, at, hops);
    } else {
      property(node, step.key, steps, at, hops);
    }
  }

  void property(const json& node, const std::string& name, const std::vector<Step>& steps,
                std::size_t at, int hops) {
    bool matched = false;
    if (const auto properties = node.find("properties");
        properties != node.end() && properties->is_object() && properties->contains(name)) {
      matched = true;
      visit((*properties)[name], steps, at + 1, hops);
    }
    if (const auto patterns = node.find("patternProperties");
        patterns != node.end() && patterns->is_object()) {
      for (const auto& [pattern, subschema] : patterns->items()) {
        if (patterns_.search(pattern, name) == Patterns::Match::yes) {
          matched = true;
          visit(subschema, steps, at + 1, hops);
        }
      }
    }
    if (const auto additional = node.find("additionalProperties");
        !matched && additional != node.end()) {
      visit(*additional, steps, at + 1, hops);
    }
  }

  void item(const json& node, std::size_t position, const std::vector<Step>& steps, std::size_t at,
            int hops) {
    const auto items = node.find("items");
    if (items == node.end()) return;
    if (items->is_array()) {
      if (position < items->size()) {
        visit((*items)[position], steps, at + 1, hops);
      } else if (const auto additional = node.find("additionalItems"); additional != node.end()) {
        visit(*additional, steps, at + 1, hops);
      }
    } else {
      visit(*items, steps, at + 1, hops);
    }
  }

  // A "#..." reference into this schema (JSON Pointer fragment); nullptr for anything else.
  const json* resolve(const std::string& ref) const {
    if (ref.empty() || ref[0] != '#') return nullptr;
    try {
      const json::json_pointer pointer(ref.substr(1));
      return root_.contains(pointer) ? &root_.at(pointer) : nullptr;
    } catch (const json::exception&) {
      return nullptr;
    }
  }

  const json& root_;
  const Patterns& patterns_;
  std::vector<const json*> found_;
};

// A value as the messages show it: strings bare, anything else as compact JSON.
std::string shown(const json& value) {
  return value.is_string() ? value.get<std::string>() : value.dump();
}

std::string listed(const std::vector<json>& values) {
  std::string text;
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i > 0) text += ", ";
    text += shown(values[i]);
  }
  return text;
}

// "must be one of a, b" from the enums of the subschemas that refuse `value`.
std::string enumFailure(const std::vector<const json*>& candidates, const json* value) {
  std::vector<json> allowed;
  for (const json* candidate : candidates) {
    const auto values = candidate->find("enum");
    if (values == candidate->end() || !values->is_array()) continue;
    if (value != nullptr && std::find(values->begin(), values->end(), *value) != values->end()) {
      continue;
    }
    for (const json& one : *values) {
      if (std::find(allowed.begin(), allowed.end(), one) == allowed.end()) allowed.push_back(one);
    }
  }
  if (allowed.empty()) return "is not one of the allowed values";
  if (allowed.size() == 1) return "must be " + shown(allowed[0]);
  return "must be one of " + listed(allowed);
}

std::string constFailure(const std::vector<const json*>& candidates, const json* value) {
  std::vector<json> allowed;
  for (const json* candidate : candidates) {
    const auto constant = candidate->find("const");
    if (constant == candidate->end() || (value != nullptr && *constant == *value)) continue;
    if (std::find(allowed.begin(), allowed.end(), *constant) == allowed.end()) {
      allowed.push_back(*constant);
    }
  }
  if (allowed.empty()) return "is not the value the schema requires";
  std::string text = "must be ";
  for (std::size_t i = 0; i < allowed.size(); ++i) {
    if (i > 0) text += " or ";
    text += shown(allowed[i]);
  }
  return text;
}

bool startsWith(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

// valijson prints limits with std::to_string (3.000000); shown as the shortest form (3).
std::string limitText(std::string_view text) {
  const std::string copy(text);
  char* end = nullptr;
  const double value = std::strtod(copy.c_str(), &end);
  if (end == copy.c_str()) return copy;
  char buffer[32];
  const auto result = std::to_chars(buffer, buffer + sizeof(buffer), value);
  return std::string(buffer, result.ptr);
}

// The integer in valijson's text after `prefix` ("no fewer than 2 characters").
std::string countAfter(std::string_view text, std::string_view prefix) {
  std::string_view rest = text.substr(prefix.size());
  std::size_t length = 0;
  while (length < rest.size() && rest[length] >= '0' && rest[length] <= '9') ++length;
  return std::string(rest.substr(0, length));
}

// Summaries valijson adds above a nested failure; the nested failure is reported instead.
bool isSummary(std::string_view description) {
  return (startsWith(description, "Failed to validate ") &&
          description != "Failed to validate against exactly one child schema.") ||
         description == "Target value and comparison value are not equal";
}

struct Rewrite {
  std::string_view prefix;
  std::string_view words;  // the message; "%" is replaced by the number after the prefix
  bool decimal = false;    // the number is a decimal limit rather than a count
};

constexpr Rewrite kRewrites[] = {
    {"Expected number greater than or equal to ", "must be >= %", true},
    {"Expected number greater than ", "must be > %", true},
    {"Expected number less than or equal to ", "must be <= %", true},
    {"Expected number less than ", "must be < %", true},
    {"Value should be a multiple of ", "must be a multiple of %", true},
    {"String should be no fewer than ", "must be at least % characters long"},
    {"String should be no more than ", "must be at most % characters long"},
    {"Array should contain no fewer than ", "must have at least % items"},
    {"Array should contain no more than ", "must have at most % items"},
    {"Object should have no fewer than ", "must have at least % properties"},
    {"Object should have no more than ", "must have at most % properties"},
};

// What one of valijson's own descriptions says, in the words of our messages.
std::string reworded(const std::string& description) {
  static constexpr std::string_view kRequired = "Missing required property '";
  static constexpr std::string_view kUnexpected =
      "Object contains a property that could not be validated using 'properties' or "
      "'additionalProperties' constraints: '";
  static constexpr std::string_view kDependency = "Missing dependency '";
  static constexpr std::string_view kUnique = "Elements at indexes #";
  for (const Rewrite& rewrite : kRewrites) {
    if (!startsWith(description, rewrite.prefix)) continue;
    const std::string_view rest = std::string_view(description).substr(rewrite.prefix.size());
    const std::string number =
        rewrite.decimal ? limitText(rest) : countAfter(description, rewrite.prefix);
    std::string text(rewrite.words);
    text.replace(text.find('%'), 1, number);
    return text;
  }
  auto quoted = [&description](std::string_view prefix) {
    std::string_view rest = std::string_view(description).substr(prefix.size());
    if (!rest.empty() && rest.back() == '.') rest.remove_suffix(1);
    if (!rest.empty() && rest.back() == '\'') rest.remove_suffix(1);
    return std::string(rest);
  };
  if (startsWith(description, kRequired)) {
    return "missing required property '" + quoted(kRequired) + "'";
  }
  if (startsWith(description, kUnexpected)) {
    return "unexpected property '" + quoted(kUnexpected) + "'";
  }
  if (startsWith(description, kDependency)) {
    return "missing property '" + quoted(kDependency) + "', which a present property requires";
  }
  if (startsWith(description, kUnique)) {
    const std::string first = countAfter(description, kUnique);
    const std::string_view rest = std::string_view(description).substr(kUnique.size());
    const std::size_t hash = rest.find('#');
    const std::string second =
        hash == std::string_view::npos ? "?" : countAfter(rest, rest.substr(0, hash + 1));
    return "items " + first + " and " + second + " are equal; the items must be unique";
  }
  if (description == "Failed to validate against exactly one child schema.") {
    return "matches more than one of the oneOf alternatives";
  }
  if (description == "Target should not validate against schema specified in 'not' constraint.") {
    return "must not match the schema under 'not'";
  }
  if (description == "Failed to any values against subschema in 'contains' constraint.") {
    return "has no item that matches the schema under 'contains'";
  }
  if (description == "Array contains more items than allowed by items constraint." ||
      startsWith(description, "Cannot validate item #")) {
    return "has more items than the schema allows";
  }
  // Our own visitors' messages are final; anything else of valijson's reads as a sentence.
  std::string text = description;
  if (!text.empty() && text.back() == '.') text.pop_back();
  if (!text.empty() && text[0] >= 'A' && text[0] <= 'Z') text[0] = static_cast<char>(text[0] + 32);
  return text;
}

}  // namespace

std::string describeFailures(const valijson::ValidationResults& results, const json& document,
                             const json& schema, const Patterns& patterns, std::size_t limit) {
  Applicable applicable(schema, patterns);
  std::vector<std::string> lines;
  for (const auto& error : results) {
    if (lines.size() == limit) break;
    if (isSummary(error.description)) continue;
    const std::vector<Step> steps = stepsOf(error.context, document);
    std::string message;
    if (error.description == "Failed to match against any enum values.") {
      message = enumFailure(applicable.at(steps), valueAt(document, steps));
    } else if (error.description == "Failed to match expected value set by 'const' constraint.") {
      message = constFailure(applicable.at(steps), valueAt(document, steps));
    } else {
      message = reworded(error.description);
    }
    std::string line = pointerOf(steps) + ": " + message;
    if (std::find(lines.begin(), lines.end(), line) == lines.end()) lines.push_back(line);
  }
  if (lines.empty()) return "/: does not match the schema";
  std::string text;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (i > 0) text += "; ";
    text += lines[i];
  }
  return text;
}

}  // namespace warren::json::engine
