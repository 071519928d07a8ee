// An owning copy of one RESP2 reply. hiredis replies are converted into this right after parsing,
// so no hiredis memory management leaks into callers.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace warren::redis {

class Reply {
 public:
  enum class Type { Nil, Status, Error, Integer, String, Array };

  Reply() = default;  // nil
  static Reply nil() { return Reply(); }
  static Reply status(std::string text) { return Reply(Type::Status, std::move(text)); }
  static Reply error(std::string text) { return Reply(Type::Error, std::move(text)); }
  static Reply string(std::string bytes) { return Reply(Type::String, std::move(bytes)); }
  static Reply integer(long long value);
  static Reply array(std::vector<Reply> elements);

  Type type() const { return type_; }
  bool isNil() const { return type_ == Type::Nil; }
  bool isStatus() const { return type_ == Type::Status; }
  bool isError() const { return type_ == Type::Error; }
  bool isInteger() const { return type_ == Type::Integer; }
  bool isString() const { return type_ == Type::String; }
  bool isArray() const { return type_ == Type::Array; }

  // Unchecked views: the text of a status, error or string (empty for other types), the value of
  // an integer (0 otherwise), the elements of an array (empty otherwise). On a temporary reply
  // they return the value itself, so `for (auto& e : conn.command(...).elements())` is safe.
  const std::string& str() const& { return text_; }
  std::string str() && { return std::move(text_); }
  long long integer() const { return integer_; }
  const std::vector<Reply>& elements() const& { return elements_; }
  std::vector<Reply> elements() && { return std::move(elements_); }

  // Checked accessors: throw std::runtime_error naming the expected and the actual reply (so a
  // Redis error reply surfaces with its message). asString accepts string and status replies.
  const std::string& asString() const;
  long long asInteger() const;
  const std::vector<Reply>& asArray() const;

  // True for an error reply whose code (first word) is `code`, e.g. isError("NOSCRIPT").
  bool isError(const std::string& code) const;

  // Human-readable rendering for messages and test output, e.g. (error) ERR x, "abc", [1, nil].
  std::string describe() const;

  friend bool operator==(const Reply&, const Reply&) = default;

 private:
  Reply(Type type, std::string text) : type_(type), text_(std::move(text)) {}

  Type type_ = Type::Nil;
  std::string text_;
  long long integer_ = 0;
  std::vector<Reply> elements_;
};

const char* toString(Reply::Type type);

}  // namespace warren::redis
