#include "Settings.h"

#include <algorithm>
#include <cctype>
#include <sstream>
#include <stdexcept>

namespace analyze {

const warren_config_key kConfigKeys[21] = {
    warren::configKey("max_text_mb", WARREN_CONFIG_INT, "10", false,
                      "Text material (in the job, in storage or at a URL) larger than this fails"),
    warren::configKey("max_image_mb", WARREN_CONFIG_INT, "50", false,
                      "Images larger than this (MB) fail before download"),
    warren::configKey("max_video_mb", WARREN_CONFIG_INT, "500", false,
                      "Videos larger than this (MB) fail before download"),
    warren::configKey("max_image_width", WARREN_CONFIG_INT, "8192", false,
                      "Images wider than this (pixels) fail"),
    warren::configKey("max_image_height", WARREN_CONFIG_INT, "8192", false,
                      "Images taller than this (pixels) fail"),
    warren::configKey("max_image_megapixels", WARREN_CONFIG_INT, "40", false,
                      "Images of more pixels than this (millions) fail: decoding costs 3 to 4 "
                      "bytes a pixel"),
    warren::configKey("max_video_duration_s", WARREN_CONFIG_INT, "900", false,
                      "Videos longer than this (seconds) fail"),
    warren::configKey("max_video_width", WARREN_CONFIG_INT, "3840", false,
                      "Videos wider than this (pixels, as displayed) fail"),
    warren::configKey("max_video_height", WARREN_CONFIG_INT, "3840", false,
                      "Videos taller than this (pixels, as displayed) fail"),
    warren::configKey("frames", WARREN_CONFIG_INT, "6", false,
                      "Frames sampled from a video, evenly spaced (1-16)"),
    warren::configKey("frame_side", WARREN_CONFIG_INT, "512", false,
                      "Longest side of a frame sent to the AI provider (128-2048 pixels)"),
    warren::configKey("colours", WARREN_CONFIG_INT, "5", false,
                      "Dominant colours reported per image or video (1-12)"),
    warren::configKey("max_analysed_chars", WARREN_CONFIG_INT, "1000000", false,
                      "Characters of a text analysed (both methods); the rest is left out (the "
                      "result says how much was analysed)"),
    warren::configKey("max_prompt_chars", WARREN_CONFIG_INT, "48000", false,
                      "Characters of text material sent to the provider; the rest is cut off "
                      "(the result says how much was analysed)"),
    warren::configKey("max_tokens", WARREN_CONFIG_INT, "1500", false,
                      "Most tokens of the provider's reply"),
    warren::configKey("temperature", WARREN_CONFIG_FLOAT, "0.2", false,
                      "Sampling temperature of the provider (0-1)"),
    warren::configKey("model", WARREN_CONFIG_STRING, "", false,
                      "Model for analyses; empty = the queue's ai.model or the provider's default"),
    warren::configKey("fetch_timeout_ms", WARREN_CONFIG_INT, "15000", false,
                      "Timeout of each request fetching URL material"),
    warren::configKey("max_redirects", WARREN_CONFIG_INT, "5", false,
                      "Redirects followed fetching URL material (0-10)"),
    warren::configKey("banned_terms", WARREN_CONFIG_STRING, "", false,
                      "Comma-separated words or phrases a provider's reply must not contain"),
    warren::configKey("temp_dir", WARREN_CONFIG_STRING, "", false,
                      "Where job work directories go; empty = the system temp directory"),
};

namespace {

// Reads integer config keys, each within its range.
class Reader {
 public:
  explicit Reader(const warren::Host& host) : host_(host) {}

  std::int64_t number(const char* key, std::int64_t low, std::int64_t high) const {
    const std::int64_t value = host_.getInt(key);
    if (value >= low && value <= high) return value;
    std::ostringstream message;
    message << "config key '" << key << "' must be from " << low << " to " << high << ", not "
            << value;
    throw std::invalid_argument(message.str());
  }
  int small(const char* key, int low, int high) const {
    return static_cast<int>(number(key, low, high));
  }

 private:
  const warren::Host& host_;
};

std::vector<std::string> termsOf(const std::string& list) {
  std::vector<std::string> terms;
  std::istringstream in(list);
  for (std::string term; std::getline(in, term, ',');) {
    const auto notSpace = [](unsigned char c) { return std::isspace(c) == 0; };
    term.erase(term.begin(), std::find_if(term.begin(), term.end(), notSpace));
    term.erase(std::find_if(term.rbegin(), term.rend(), notSpace).base(), term.end());
    std::transform(term.begin(), term.end(), term.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (!term.empty()) terms.push_back(term);
  }
  return terms;
}

}  // namespace

Settings Settings::from(const warren::Host& host) {
  const Reader read(host);
  constexpr std::int64_t kMb = 1 << 20;
  Settings s;
  s.maxTextBytes = read.number("max_text_mb", 1, 1024) * kMb;
  s.maxImageBytes = read.number("max_image_mb", 1, 1024) * kMb;
  s.maxVideoBytes = read.number("max_video_mb", 1, 65536) * kMb;
  s.imageLimits = {0,
                   read.small("max_image_width", 16, 65535),
                   read.small("max_image_height", 16, 65535),
                   "",
                   "analyze.max_image_width",
                   "analyze.max_image_height",
                   static_cast<double>(read.number("max_image_megapixels", 1, 1000)),
                   "analyze.max_image_megapixels"};
  s.videoLimits = {static_cast<double>(read.number("max_video_duration_s", 1, 86400)),
                   read.small("max_video_width", 16, 16384),
                   read.small("max_video_height", 16, 16384),
                   "analyze.max_video_duration_s",
                   "analyze.max_video_width",
                   "analyze.max_video_height",
                   0,
                   ""};
  s.frames = read.small("frames", 1, 16);
  s.frameSide = read.small("frame_side", 128, 2048);
  s.colours = read.small("colours", 1, 12);
  s.maxAnalysedChars = static_cast<std::size_t>(read.number("max_analysed_chars", 10000, 20000000));
  s.maxPromptChars = static_cast<std::size_t>(read.number("max_prompt_chars", 1000, 2000000));
  s.maxTokens = read.small("max_tokens", 256, 32000);
  s.temperature = host.getDouble("temperature", 0.2);
  if (s.temperature < 0 || s.temperature > 1) {
    throw std::invalid_argument("config key 'temperature' must be from 0 to 1");
  }
  s.model = host.getString("model");
  s.fetchTimeoutMs = static_cast<std::uint32_t>(read.number("fetch_timeout_ms", 100, 600000));
  s.maxRedirects = read.small("max_redirects", 0, 10);
  s.bannedTerms = termsOf(host.getString("banned_terms"));
  const std::string temp = host.getString("temp_dir");
  s.tempDir = temp.empty() ? std::filesystem::temp_directory_path() : std::filesystem::path(temp);
  return s;
}

}  // namespace analyze
