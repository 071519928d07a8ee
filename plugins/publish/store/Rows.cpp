#include "store/Rows.h"

#include <cstdlib>
#include <sstream>

namespace publish::store {

std::string text(const common::Json& row, const char* column) {
  const auto it = row.find(column);
  if (it == row.end() || it->is_null()) return {};
  if (it->is_string()) return it->get<std::string>();
  return it->dump();
}

std::int64_t integer(const common::Json& row, const char* column, std::int64_t fallback) {
  const auto it = row.find(column);
  if (it == row.end() || it->is_null()) return fallback;
  if (it->is_number_integer()) return it->get<std::int64_t>();
  if (it->is_number()) return static_cast<std::int64_t>(it->get<double>());
  if (it->is_string()) {
    const std::string value = it->get<std::string>();
    char* end = nullptr;
    const long long parsed = std::strtoll(value.c_str(), &end, 10);
    if (!value.empty() && end != nullptr && *end == '\0') return parsed;
  }
  return fallback;
}

common::Json jsonColumn(const common::Json& row, const char* column, common::Json fallback) {
  const auto it = row.find(column);
  if (it == row.end() || it->is_null()) return fallback;
  if (!it->is_string()) return *it;
  const std::string value = it->get<std::string>();
  if (value.empty()) return fallback;
  try {
    return common::Json::parse(value);
  } catch (const common::Json::parse_error&) {
    return fallback;
  }
}

common::Json nullable(const std::string& value) {
  return value.empty() ? common::Json(nullptr) : common::Json(value);
}

bool hasWord(const std::string& words, const std::string& word) {
  std::istringstream in(words);
  for (std::string each; in >> each;) {
    if (each == word) return true;
  }
  return false;
}

}  // namespace publish::store
