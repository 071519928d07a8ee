// Structured logging: one JSON object per line on stderr, with service, version and instance.
// spdlog does the output; we build the JSON ourselves because spdlog does not escape messages.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <variant>

namespace warren::log {

enum class Level { trace = 0, debug = 1, info = 2, warn = 3, error = 4, off = 5 };

// Parses trace|debug|info|warn|warning|error|off; throws std::invalid_argument otherwise.
Level parseLevel(std::string_view text);
std::string_view levelName(Level level);

struct Field {
  using Value = std::variant<std::string, std::int64_t, double, bool>;
  Field(std::string_view k, std::string_view v) : key(k), value(std::string(v)) {}
  Field(std::string_view k, const char* v) : key(k), value(std::string(v)) {}
  Field(std::string_view k, const std::string& v) : key(k), value(v) {}
  Field(std::string_view k, std::int64_t v) : key(k), value(v) {}
  Field(std::string_view k, int v) : key(k), value(static_cast<std::int64_t>(v)) {}
  Field(std::string_view k, unsigned v) : key(k), value(static_cast<std::int64_t>(v)) {}
  Field(std::string_view k, std::uint64_t v) : key(k), value(static_cast<std::int64_t>(v)) {}
  Field(std::string_view k, double v) : key(k), value(v) {}
  Field(std::string_view k, bool v) : key(k), value(v) {}
  std::string key;
  Value value;
};
using Fields = std::initializer_list<Field>;

struct Identity {
  std::string service = "warren";
  std::string version;
  std::string instance;
};

void configure(const Identity& identity, Level level);
void setLevel(Level level);
bool enabled(Level level);

// Values registered here are replaced by "***" wherever they appear in a log line.
void addSecret(const std::string& secret);

void write(Level level, std::string_view message, Fields fields = {});
inline void debug(std::string_view m, Fields f = {}) {
  write(Level::debug, m, f);
}
inline void info(std::string_view m, Fields f = {}) {
  write(Level::info, m, f);
}
inline void warn(std::string_view m, Fields f = {}) {
  write(Level::warn, m, f);
}
inline void error(std::string_view m, Fields f = {}) {
  write(Level::error, m, f);
}

// The JSON line for a record (without the trailing newline); exposed for tests.
std::string formatLine(Level level, std::string_view message, Fields fields);

// Appends `text` to `out` as a JSON string literal (quotes included).
void appendJsonString(std::string& out, std::string_view text);
// The same, as a new string.
std::string jsonString(std::string_view text);

}  // namespace warren::log
