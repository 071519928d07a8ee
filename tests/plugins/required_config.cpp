// A plugin with a config schema of every type, one key required. Its handler returns the
// config as the plugin sees it through the host's config service, so tests can check the
// defaults and the normalised values that reached the plugin.
#include <warren/plugin.hpp>

#include <string>

namespace {

std::string quoted(const std::string& text) {
  return "\"" + text + "\"";
}

class RequiredConfig final : public warren::Plugin {
 public:
  explicit RequiredConfig(const warren::Host& host) : warren::Plugin(host) {}

  warren::Result handle(warren::Job&) override {
    const warren::Host& h = host();
    return warren::Result::completed("{\"endpoint\":" + quoted(h.getString("endpoint")) +
                                     ",\"retries\":" + std::to_string(h.getInt("retries")) +
                                     ",\"ratio\":" + h.getString("ratio") +
                                     ",\"verbose\":" + quoted(h.getString("verbose")) +
                                     ",\"token_set\":" + (h.has("token") ? "true" : "false") + "}");
  }
};

const char* const kJobs[] = {"configured"};
const warren_config_key kConfig[] = {
    warren::configKey("endpoint", WARREN_CONFIG_STRING, nullptr, true, "base URL of the service"),
    warren::configKey("retries", WARREN_CONFIG_INT, "3", false, "attempts per call"),
    warren::configKey("ratio", WARREN_CONFIG_FLOAT, "0.5", false, "share of calls sampled"),
    warren::configKey("verbose", WARREN_CONFIG_BOOL, "no", false, "log every call"),
    warren::configKey("token", WARREN_CONFIG_SECRET, nullptr, false, "API token"),
};

}  // namespace

WARREN_PLUGIN(RequiredConfig, "required_config", "2.1.0", kJobs, WARREN_RESOURCE_IO, 1u << 20, 3,
              kConfig)
