// A small JSON value for job data and results. The plugin links only FFmpeg and the SDK, so it
// carries its own reader and writer (RFC 8259; numbers as double).
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace video {

class Json {
 public:
  enum class Type { Null, Bool, Number, String, Array, Object };
  using Array = std::vector<Json>;
  using Object = std::vector<std::pair<std::string, Json>>;  // keeps the writer's key order

  Json() = default;
  Json(std::nullptr_t) {}
  Json(bool value) : type_(Type::Bool), bool_(value) {}
  Json(double value) : type_(Type::Number), number_(value) {}
  Json(int value) : Json(static_cast<double>(value)) {}
  Json(long value) : Json(static_cast<double>(value)) {}
  Json(long long value) : Json(static_cast<double>(value)) {}
  Json(unsigned value) : Json(static_cast<double>(value)) {}
  Json(unsigned long value) : Json(static_cast<double>(value)) {}
  Json(std::string value) : type_(Type::String), string_(std::move(value)) {}
  Json(const char* value) : Json(std::string(value)) {}
  Json(Array value) : type_(Type::Array), array_(std::move(value)) {}
  Json(Object value) : type_(Type::Object), object_(std::move(value)) {}

  // Parses JSON text; throws std::invalid_argument saying where it stopped.
  static Json parse(std::string_view text);
  std::string dump() const;

  Type type() const { return type_; }
  bool isNull() const { return type_ == Type::Null; }
  bool isNumber() const { return type_ == Type::Number; }
  bool isString() const { return type_ == Type::String; }
  bool isBool() const { return type_ == Type::Bool; }
  bool isArray() const { return type_ == Type::Array; }
  bool isObject() const { return type_ == Type::Object; }

  bool asBool() const { return bool_; }
  double asNumber() const { return number_; }
  const std::string& asString() const { return string_; }
  const Array& asArray() const { return array_; }
  const Object& asObject() const { return object_; }

  // Member of an object, or nullptr (also when this is not an object).
  const Json* find(std::string_view key) const;
  // Appends a member (objects only; callers build results in order).
  Json& set(std::string key, Json value);
  // Appends an element (arrays only).
  Json& push(Json value);

 private:
  Type type_ = Type::Null;
  bool bool_ = false;
  double number_ = 0;
  std::string string_;
  Array array_;
  Object object_;
};

}  // namespace video
