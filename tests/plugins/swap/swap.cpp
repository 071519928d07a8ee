// swap: the hot-reload fixture. The same source is built as version 1.0.0 and 2.0.0
// (SWAP_VERSION), so a test can tell from a job's return value which generation served it.
//
// Handles every job name. Data {"sleep_ms":N} (optional) waits N ms first, returning early as a
// retryable failure when the host cancels the job (a drain deadline). Returns
// {"version":"<SWAP_VERSION>","id":"<job id>"} plus "greeting" when that config key is set.
#include <warren/plugin.hpp>

#include <cctype>
#include <cstdint>
#include <string>
#include <string_view>

#ifndef SWAP_VERSION
#error "SWAP_VERSION must be defined (\"1.0.0\" or \"2.0.0\")"
#endif

namespace {

// The value of a top-level "sleep_ms" in the job data, or 0 when it is absent or not a
// non-negative whole number. A key search suffices for a fixture fed by its own tests.
std::uint32_t sleepMs(std::string_view data) {
  const std::string_view key = "\"sleep_ms\"";
  auto at = data.find(key);
  if (at == std::string_view::npos) return 0;
  at += key.size();
  while (at < data.size() && (std::isspace(static_cast<unsigned char>(data[at])) != 0)) ++at;
  if (at >= data.size() || data[at] != ':') return 0;
  ++at;
  while (at < data.size() && (std::isspace(static_cast<unsigned char>(data[at])) != 0)) ++at;
  std::uint64_t ms = 0;
  for (; at < data.size() && (std::isdigit(static_cast<unsigned char>(data[at])) != 0); ++at) {
    ms = ms * 10 + static_cast<std::uint64_t>(data[at] - '0');
    if (ms > 3600000) return 3600000;  // an hour at most
  }
  return static_cast<std::uint32_t>(ms);
}

std::string quoted(std::string_view text) {
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      static const char hex[] = "0123456789abcdef";
      out += "\\u00";
      out += hex[(c >> 4) & 0xf];
      out += hex[c & 0xf];
    } else {
      out += c;
    }
  }
  return out + '"';
}

class Swap final : public warren::Plugin {
 public:
  explicit Swap(const warren::Host& host)
      : warren::Plugin(host),
        hasGreeting_(host.has("greeting")),
        greeting_(host.getString("greeting")) {}

  warren::Result handle(warren::Job& job) override {
    const std::uint32_t ms = sleepMs(job.data());
    if (ms > 0 && job.waitCancelled(std::chrono::milliseconds(ms))) {
      return warren::Result::retry("cancelled");
    }
    std::string reply = "{\"version\":" + quoted(SWAP_VERSION) + ",\"id\":" + quoted(job.id());
    if (hasGreeting_) reply += ",\"greeting\":" + quoted(greeting_);
    return warren::Result::completed(reply + "}");
  }

 private:
  const bool hasGreeting_;
  const std::string greeting_;
};

const char* const kJobNames[] = {"*"};
const warren_config_key kConfig[] = {
    warren::configKey("greeting", WARREN_CONFIG_STRING, nullptr, false,
                      "echoed back in every return value"),
};

}  // namespace

WARREN_PLUGIN(Swap, "swap", SWAP_VERSION, kJobNames, WARREN_RESOURCE_IO, 1u << 20, 10, kConfig)
