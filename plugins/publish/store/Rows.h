// Reading columns of the rows the database service returns (JSON objects).
#pragma once

#include "json/Json.h"

#include <cstdint>
#include <string>

namespace publish::store {

// A text column, "" when NULL or absent.
std::string text(const common::Json& row, const char* column);
// An integer column (numbers, or digits as text), `fallback` when NULL or absent.
std::int64_t integer(const common::Json& row, const char* column, std::int64_t fallback = 0);
// A JSON column stored as text (or already JSON), `fallback` when NULL, empty or not JSON.
common::Json jsonColumn(const common::Json& row, const char* column, common::Json fallback);
// A text parameter: NULL for "", else the text.
common::Json nullable(const std::string& value);
// Whether a column of words separated by white space (an account's scopes, a publication's
// notified events) holds `word`.
bool hasWord(const std::string& words, const std::string& word);

}  // namespace publish::store
