#include "log/Log.h"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <mutex>
#include <stdexcept>
#include <vector>

namespace warren::log {
namespace {

struct State {
  std::mutex mutex;
  Identity identity;
  std::vector<std::string> secrets;
  std::shared_ptr<spdlog::logger> logger;
};

State& state() {
  static State* s = new State();  // never destroyed: logging works during static teardown
  return *s;
}

std::atomic<int> g_level{static_cast<int>(Level::info)};

std::shared_ptr<spdlog::logger> logger() {
  State& s = state();
  std::lock_guard lock(s.mutex);
  if (!s.logger) {
    s.logger = std::make_shared<spdlog::logger>("warren",
                                                std::make_shared<spdlog::sinks::stderr_sink_mt>());
    s.logger->set_pattern("%v");
    s.logger->set_level(spdlog::level::trace);
    s.logger->flush_on(spdlog::level::trace);
  }
  return s.logger;
}

void appendTimestamp(std::string& out) {
  const auto now = std::chrono::system_clock::now();
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch());
  const std::time_t seconds = static_cast<std::time_t>(ms.count() / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(ms.count() % 1000));
  out += buffer;
}

// Replaces every registered secret in `text` with "***". Runs on raw values, before JSON
// escaping: in the escaped line a secret holding a quote or backslash would no longer match, and
// a match could start inside an escape sequence (turning "\n" + secret into an invalid "\***").
std::string redacted(std::string_view text, const std::vector<std::string>& secrets) {
  std::string out(text);
  for (const auto& secret : secrets) {
    for (auto pos = out.find(secret); pos != std::string::npos; pos = out.find(secret, pos)) {
      out.replace(pos, secret.size(), "***");
      pos += 3;
    }
  }
  return out;
}

void appendValue(std::string& out, const Field::Value& value,
                 const std::vector<std::string>& secrets) {
  if (const auto* s = std::get_if<std::string>(&value)) {
    appendJsonString(out, redacted(*s, secrets));
  } else if (const auto* i = std::get_if<std::int64_t>(&value)) {
    out += std::to_string(*i);
  } else if (const auto* d = std::get_if<double>(&value)) {
    if (!std::isfinite(*d)) {
      out += "null";
    } else {
      char buffer[32];
      std::snprintf(buffer, sizeof buffer, "%.6g", *d);
      out += buffer;
    }
  } else {
    out += std::get<bool>(value) ? "true" : "false";
  }
}

}  // namespace

Level parseLevel(std::string_view text) {
  if (text == "trace") return Level::trace;
  if (text == "debug") return Level::debug;
  if (text == "info") return Level::info;
  if (text == "warn" || text == "warning") return Level::warn;
  if (text == "error") return Level::error;
  if (text == "off") return Level::off;
  throw std::invalid_argument("'" + std::string(text) +
                              "' is not a log level (trace, debug, info, warn, error, off)");
}

std::string_view levelName(Level level) {
  static constexpr std::string_view names[] = {"trace", "debug", "info", "warn", "error", "off"};
  return names[static_cast<int>(level)];
}

void configure(const Identity& identity, Level level) {
  {
    State& s = state();
    std::lock_guard lock(s.mutex);
    s.identity = identity;
  }
  setLevel(level);
}

void setLevel(Level level) {
  g_level.store(static_cast<int>(level));
}

bool enabled(Level level) {
  return level != Level::off && static_cast<int>(level) >= g_level.load();
}

void addSecret(const std::string& secret) {
  if (secret.size() < 3) return;  // too short to redact without mangling ordinary text
  State& s = state();
  std::lock_guard lock(s.mutex);
  // Instances register their secrets each time they start (reloads too): keep one copy.
  if (std::find(s.secrets.begin(), s.secrets.end(), secret) != s.secrets.end()) return;
  s.secrets.push_back(secret);
}

// Control characters escaped; well-formed UTF-8 copied, anything else becomes U+FFFD, so the
// text is valid JSON whatever bytes it holds.
void appendJsonString(std::string& out, std::string_view text) {
  static const char hex[] = "0123456789abcdef";
  out += '"';
  std::size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      switch (c) {
        case '"':
          out += "\\\"";
          break;
        case '\\':
          out += "\\\\";
          break;
        case '\n':
          out += "\\n";
          break;
        case '\r':
          out += "\\r";
          break;
        case '\t':
          out += "\\t";
          break;
        case '\b':
          out += "\\b";
          break;
        case '\f':
          out += "\\f";
          break;
        default:
          if (c < 0x20) {
            out += "\\u00";
            out += hex[c >> 4];
            out += hex[c & 15];
          } else {
            out += static_cast<char>(c);
          }
      }
      ++i;
      continue;
    }
    // A well-formed UTF-8 sequence is copied; anything else becomes U+FFFD.
    std::size_t length = 0;
    std::uint32_t min = 0;
    std::uint32_t code = 0;
    if ((c & 0xE0) == 0xC0) {
      length = 2, min = 0x80, code = c & 0x1Fu;
    } else if ((c & 0xF0) == 0xE0) {
      length = 3, min = 0x800, code = c & 0x0Fu;
    } else if ((c & 0xF8) == 0xF0) {
      length = 4, min = 0x10000, code = c & 0x07u;
    }
    bool valid = length > 0 && i + length <= text.size();
    for (std::size_t k = 1; valid && k < length; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xC0) != 0x80) valid = false;
      code = (code << 6) | (next & 0x3Fu);
    }
    valid = valid && code >= min && code <= 0x10FFFF && (code < 0xD800 || code > 0xDFFF);
    if (valid) {
      out.append(text.substr(i, length));
      i += length;
    } else {
      out += "\\ufffd";
      ++i;
    }
  }
  out += '"';
}

std::string formatLine(Level level, std::string_view message, Fields fields) {
  Identity identity;
  std::vector<std::string> secrets;
  {
    State& s = state();
    std::lock_guard lock(s.mutex);
    identity = s.identity;
    secrets = s.secrets;
  }
  std::string line = "{\"ts\":\"";
  appendTimestamp(line);
  line += "\",\"level\":\"";
  line += levelName(level);
  line += "\",\"service\":";
  appendJsonString(line, identity.service);
  line += ",\"version\":";
  appendJsonString(line, identity.version);
  line += ",\"instance\":";
  appendJsonString(line, identity.instance);
  line += ",\"msg\":";
  appendJsonString(line, redacted(message, secrets));
  for (const auto& field : fields) {
    line += ',';
    appendJsonString(line, field.key);
    line += ':';
    appendValue(line, field.value, secrets);
  }
  line += '}';
  return line;
}

void write(Level level, std::string_view message, Fields fields) {
  if (!enabled(level)) return;
  logger()->info(formatLine(level, message, fields));
}

std::string jsonString(std::string_view text) {
  std::string out;
  appendJsonString(out, text);
  return out;
}

}  // namespace warren::log
