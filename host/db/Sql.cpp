#include "db/Sql.h"

#include "db/Database.h"
#include "json/Json.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <limits>

namespace warren::db {
namespace {

DbError badParam(std::size_t index, const std::string& why) {
  return DbError(ErrorKind::invalid, "parameter $" + std::to_string(index + 1) + ": " + why);
}

bool identifierChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '$' || static_cast<unsigned char>(c) >= 0x80;
}

bool isDigit(char c) {
  return c >= '0' && c <= '9';
}

}  // namespace

std::vector<Param> parseParams(std::string_view json) {
  std::vector<Param> params;
  const auto first = json.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return params;
  const auto last = json.find_last_not_of(" \t\r\n");
  if (json.substr(first, last - first + 1) == "null") return params;
  Poco::Dynamic::Var parsed;
  try {
    parsed = warren::json::parse(json);
  } catch (const Poco::Exception& e) {
    throw DbError(ErrorKind::invalid, "params_json is not valid JSON: " + e.displayText());
  }
  if (parsed.type() != typeid(Poco::JSON::Array::Ptr))
    throw DbError(ErrorKind::invalid, "params_json must be a JSON array");
  const auto array = parsed.extract<Poco::JSON::Array::Ptr>();
  params.reserve(array->size());
  for (std::size_t i = 0; i < array->size(); ++i) {
    const Poco::Dynamic::Var value = array->get(static_cast<unsigned>(i));
    Param param;
    if (value.isEmpty()) {
      param.type = Param::Type::null;
    } else if (value.type() == typeid(bool)) {
      param.type = Param::Type::boolean;
      param.boolean = value.extract<bool>();
    } else if (value.isString()) {
      param.type = Param::Type::text;
      param.text = value.extract<std::string>();
    } else if (value.isInteger()) {
      if (!value.isSigned() &&
          value.convert<std::uint64_t>() >
              static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
        throw badParam(i, "integer out of the 64-bit signed range");
      param.type = Param::Type::integer;
      param.integer = value.convert<std::int64_t>();
    } else if (value.isNumeric()) {
      param.type = Param::Type::real;
      param.real = value.convert<double>();
    } else if (value.type() == typeid(Poco::JSON::Object::Ptr) ||
               value.type() == typeid(Poco::JSON::Array::Ptr)) {
      param.type = Param::Type::text;
      param.text = warren::json::stringify(value);
    } else {
      throw badParam(i, "unsupported JSON value");
    }
    params.push_back(std::move(param));
  }
  return params;
}

std::string toSqlitePlaceholders(std::string_view sql) {
  std::string out;
  out.reserve(sql.size());
  std::size_t i = 0;
  const auto copyUntil = [&](std::string_view end) {
    const auto stop = sql.find(end, i);
    const std::size_t next = stop == std::string_view::npos ? sql.size() : stop + end.size();
    out.append(sql.substr(i, next - i));
    i = next;
  };
  while (i < sql.size()) {
    const char c = sql[i];
    if (c == '\'' || c == '"' || c == '`') {
      // Quoted text; a doubled quote inside is two adjacent quoted parts, which works the same.
      out += c;
      ++i;
      copyUntil(std::string_view(&c, 1));
    } else if (c == '[') {
      copyUntil("]");
    } else if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
      copyUntil("\n");
    } else if (c == '/' && i + 1 < sql.size() && sql[i + 1] == '*') {
      out += "/*";
      i += 2;
      copyUntil("*/");
    } else if (c == '$' && i + 1 < sql.size() && isDigit(sql[i + 1]) &&
               (i == 0 || !identifierChar(sql[i - 1]))) {
      out += '?';
      ++i;
    } else {
      out += c;
      ++i;
    }
  }
  return out;
}

}  // namespace warren::db
