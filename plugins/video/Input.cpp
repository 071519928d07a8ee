#include "Input.h"

#include "Shared.h"

#include <cstdio>
#include <system_error>

namespace video {
namespace {

constexpr std::string_view kFileScheme = "file://";

void checkSize(const Settings& settings, const std::string& name, std::int64_t bytes) {
  if (bytes > settings.maxInputMb * 1024 * 1024) {
    unrecoverable("input too large: '" + name + "' is " + megabytes(bytes) +
                  ", more than video.max_input_mb " + std::to_string(settings.maxInputMb));
  }
}

LocalInput fromFileUrl(const JobScope& scope, const std::string& url) {
  if (!scope.settings().allowFileUrls) {
    unrecoverable(
        "file:// inputs are disabled: set the video plugin's allow_file_urls to true "
        "(development only)");
  }
  const std::filesystem::path path(url.substr(kFileScheme.size()));
  if (!path.is_absolute()) {
    unrecoverable("invalid job data: 'input' file URL must be file:///absolute/path, not '" + url +
                  "'");
  }
  std::error_code error;
  const auto status = std::filesystem::status(path, error);
  if (!std::filesystem::is_regular_file(status)) {
    unrecoverable("input '" + path.string() + "' is not a readable file");
  }
  const auto bytes = static_cast<std::int64_t>(std::filesystem::file_size(path, error));
  if (error) unrecoverable("input '" + path.string() + "' is not a readable file");
  checkSize(scope.settings(), path.string(), bytes);
  return LocalInput{path, path.string()};
}

// Keeps the key's extension: some demuxers use it as a hint.
std::filesystem::path localName(const std::string& key) {
  std::string extension = std::filesystem::path(key).extension().string();
  for (const char c : extension) {
    const bool ok =
        c == '.' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (!ok || extension.size() > 8) {
      extension.clear();
      break;
    }
  }
  return "input" + extension;
}

LocalInput fromStorage(JobScope& scope, const std::string& key) {
  const auto size = scope.storedSize(key);
  if (!size) unrecoverable("input '" + key + "' not found in object storage");
  checkSize(scope.settings(), key, *size);
  const std::filesystem::path path = scope.dir() / localName(key);
  scope.download(key, path);
  scope.checkCancelled();
  return LocalInput{path, key};
}

}  // namespace

std::string megabytes(std::int64_t bytes) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f MB", static_cast<double>(bytes) / (1024.0 * 1024.0));
  return text;
}

LocalInput fetchInput(JobScope& scope, const Json& data) {
  const Json* input = data.find("input");
  if (input == nullptr || !input->isString() || input->asString().empty()) {
    unrecoverable("invalid job data: 'input' must be a storage key or a file:// URL");
  }
  const std::string& value = input->asString();
  if (value.compare(0, kFileScheme.size(), kFileScheme) == 0) return fromFileUrl(scope, value);
  return fromStorage(scope, value);
}

}  // namespace video
