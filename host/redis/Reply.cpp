#include "redis/Reply.h"

#include <stdexcept>

namespace warren::redis {
namespace {

[[noreturn]] void wrongType(const char* expected, const Reply& actual) {
  throw std::runtime_error(std::string("expected a Redis ") + expected + " reply but got " +
                           actual.describe());
}

// Replies can be large (1 MiB values): keep messages readable.
std::string shorten(const std::string& text) {
  constexpr std::size_t limit = 200;
  if (text.size() <= limit) return text;
  return text.substr(0, limit) + "... (" + std::to_string(text.size()) + " bytes)";
}

}  // namespace

Reply Reply::integer(long long value) {
  Reply reply;
  reply.type_ = Type::Integer;
  reply.integer_ = value;
  return reply;
}

Reply Reply::array(std::vector<Reply> elements) {
  Reply reply;
  reply.type_ = Type::Array;
  reply.elements_ = std::move(elements);
  return reply;
}

const std::string& Reply::asString() const {
  if (type_ != Type::String && type_ != Type::Status) wrongType("string", *this);
  return text_;
}

long long Reply::asInteger() const {
  if (type_ != Type::Integer) wrongType("integer", *this);
  return integer_;
}

const std::vector<Reply>& Reply::asArray() const {
  if (type_ != Type::Array) wrongType("array", *this);
  return elements_;
}

bool Reply::isError(const std::string& code) const {
  if (type_ != Type::Error || text_.compare(0, code.size(), code) != 0) return false;
  return text_.size() == code.size() || text_[code.size()] == ' ';
}

std::string Reply::describe() const {
  switch (type_) {
    case Type::Nil:
      return "nil";
    case Type::Status:
      return "status '" + shorten(text_) + "'";
    case Type::Error:
      return "error '" + shorten(text_) + "'";
    case Type::Integer:
      return "integer " + std::to_string(integer_);
    case Type::String:
      return "string '" + shorten(text_) + "'";
    case Type::Array:
      break;
  }
  std::string out = "array [";
  for (std::size_t i = 0; i < elements_.size(); ++i) {
    if (i == 8) {
      out += ", ... (" + std::to_string(elements_.size()) + " elements)";
      break;
    }
    out += (i ? ", " : "") + elements_[i].describe();
  }
  return out + "]";
}

const char* toString(Reply::Type type) {
  switch (type) {
    case Reply::Type::Nil:
      return "nil";
    case Reply::Type::Status:
      return "status";
    case Reply::Type::Error:
      return "error";
    case Reply::Type::Integer:
      return "integer";
    case Reply::Type::String:
      return "string";
    case Reply::Type::Array:
      return "array";
  }
  return "unknown";
}

}  // namespace warren::redis
