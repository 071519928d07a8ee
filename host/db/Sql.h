// Backend-neutral pieces of running a statement: parameters from JSON, the $n -> ?n rewrite
// for SQLite, and writing result values as JSON.
#pragma once

#include "log/Log.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace warren::db {

struct Param {
  enum class Type { null, boolean, integer, real, text };
  Type type = Type::null;
  bool boolean = false;
  std::int64_t integer = 0;
  double real = 0;
  std::string text;  // text; objects and arrays as their JSON text
};

// `json`: a JSON array (or empty / "null": no parameters). Throws DbError (invalid) naming the
// parameter ($n) that cannot be bound.
std::vector<Param> parseParams(std::string_view json);

// Rewrites $1..$n placeholders as ?1..?n (SQLite's numbered parameters), leaving string literals,
// quoted identifiers and comments alone.
std::string toSqlitePlaceholders(std::string_view sql);

// JSON output helpers (ResultText.cpp, pure: the PostgreSQL module has its own copy).
using log::appendJsonString;                            // invalid UTF-8 -> U+FFFD
void appendJsonDouble(std::string& out, double value);  // NaN, +-Infinity as strings
std::string base64(std::string_view bytes);
// Text of a finite double that reads back as the same double (shortest form).
std::string doubleText(double value);
// Joins a multi-line message (libpq's end with a newline and go on in tab-indented lines).
std::string oneLine(std::string text);
// Is `text` a JSON number as written (PostgreSQL's integer, float and numeric output)?
bool isJsonNumber(std::string_view text);

}  // namespace warren::db
