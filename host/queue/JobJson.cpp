#include "queue/JobJson.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

#include <charconv>
#include <cmath>
#include <stdexcept>

namespace warren::queue {

using Poco::Dynamic::Var;
using Poco::JSON::Array;
using Poco::JSON::Object;

std::string trim(const std::string& text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return {};
  const auto last = text.find_last_not_of(" \t\r\n");
  return text.substr(first, last - first + 1);
}

// Parses `text` as a JSON object; `what` names it in messages ("job data", "job options").
Object::Ptr parseObject(const std::string& text, const std::string& what, bool plural) {
  const std::string trimmed = trim(text);
  if (trimmed.empty()) throw std::invalid_argument(what + (plural ? " are" : " is") + " empty");
  if (trimmed.front() != '{') {
    throw std::invalid_argument(what + " must be a JSON object, e.g. {\"key\": \"value\"}");
  }
  Var value;
  try {
    Poco::JSON::Parser parser;
    value = parser.parse(trimmed);
  } catch (const Poco::Exception& e) {
    throw std::invalid_argument(what + (plural ? " are" : " is") +
                                " not valid JSON: " + e.message());
  }
  if (value.type() != typeid(Object::Ptr)) {
    throw std::invalid_argument(what + " must be a JSON object, e.g. {\"key\": \"value\"}");
  }
  return value.extract<Object::Ptr>();
}

std::string formatDouble(double value) {
  char buffer[64];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, result.ptr);
}

namespace {

void writeJson(std::string& out, const Var& value) {
  if (value.isEmpty()) {
    out += "null";
  } else if (value.type() == typeid(Object::Ptr)) {
    const auto object = value.extract<Object::Ptr>();
    out += '{';
    bool first = true;
    for (const auto& [key, member] : *object) {
      if (!first) out += ',';
      first = false;
      log::appendJsonString(out, key);
      out += ':';
      writeJson(out, member);
    }
    out += '}';
  } else if (value.type() == typeid(Array::Ptr)) {
    const auto array = value.extract<Array::Ptr>();
    out += '[';
    for (std::size_t i = 0; i < array->size(); ++i) {
      if (i > 0) out += ',';
      writeJson(out, array->get(static_cast<unsigned>(i)));
    }
    out += ']';
  } else if (value.type() == typeid(bool)) {
    out += value.extract<bool>() ? "true" : "false";
  } else if (value.isInteger()) {
    out += value.isSigned() ? std::to_string(value.convert<Poco::Int64>())
                            : std::to_string(value.convert<Poco::UInt64>());
  } else if (value.isNumeric()) {
    out += formatDouble(value.convert<double>());
  } else {
    log::appendJsonString(out, value.convert<std::string>());
  }
}

}  // namespace

std::string toJson(const Var& value) {
  std::string out;
  writeJson(out, value);
  return out;
}

bool isBool(const Var& value) {
  return value.type() == typeid(bool);
}

std::optional<double> numberOf(const Var& value) {
  if (value.isEmpty() || isBool(value) || !value.isNumeric()) return std::nullopt;
  return value.convert<double>();
}

// A JSON number with an integral value (1 and 1.0 alike, as in JavaScript).
std::optional<std::int64_t> integerOf(const Var& value) {
  const auto number = numberOf(value);
  if (!number || !std::isfinite(*number) || std::trunc(*number) != *number) return std::nullopt;
  if (std::fabs(*number) > 9007199254740992.0) return std::nullopt;  // beyond exact integers
  if (value.isInteger()) {
    return value.isSigned() ? value.convert<Poco::Int64>()
                            : static_cast<std::int64_t>(value.convert<Poco::UInt64>());
  }
  return static_cast<std::int64_t>(*number);
}

std::int64_t nonNegativeInteger(const Var& value, const std::string& message) {
  const auto n = integerOf(value);
  if (!n || *n < 0) throw std::invalid_argument(message);
  return *n;
}

bool booleanOf(const Var& value, const std::string& name) {
  if (!isBool(value)) throw std::invalid_argument(name + " must be true or false");
  return value.extract<bool>();
}

}  // namespace warren::queue
