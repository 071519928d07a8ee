// JSON values of job options as Warren's producer reads and writes them (Poco JSON), shared by
// Queue.add (Producer.cpp) and upsertJobScheduler (SchedulerUpsert.cpp).
#pragma once

#include "log/Log.h"

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Object.h>

#include <cstdint>
#include <optional>
#include <string>

namespace warren::queue {

std::string trim(const std::string& text);
// Parses `text` as a JSON object; `what` names it in messages ("job data", "job options").
Poco::JSON::Object::Ptr parseObject(const std::string& text, const std::string& what, bool plural);
std::string formatDouble(double value);
// Compact JSON text of a value.
std::string toJson(const Poco::Dynamic::Var& value);
bool isBool(const Poco::Dynamic::Var& value);
std::optional<double> numberOf(const Poco::Dynamic::Var& value);
// A JSON number with an integral value (1 and 1.0 alike, as in JavaScript).
std::optional<std::int64_t> integerOf(const Poco::Dynamic::Var& value);
std::int64_t nonNegativeInteger(const Poco::Dynamic::Var& value, const std::string& message);
bool booleanOf(const Poco::Dynamic::Var& value, const std::string& name);

// A JSON object written member by member (the stored options).
class JsonObjectWriter {
 public:
  void raw(const std::string& key, const std::string& json) {
    text_ += text_.empty() ? "{" : ",";
    log::appendJsonString(text_, key);
    text_ += ':';
    text_ += json;
  }
  void string(const std::string& key, const std::string& value) {
    std::string json;
    log::appendJsonString(json, value);
    raw(key, json);
  }
  void integer(const std::string& key, std::int64_t value) { raw(key, std::to_string(value)); }
  void boolean(const std::string& key, bool value) { raw(key, value ? "true" : "false"); }
  bool empty() const { return text_.empty(); }
  std::string done() const { return text_.empty() ? "{}" : text_ + "}"; }

 private:
  std::string text_;
};

}  // namespace warren::queue
