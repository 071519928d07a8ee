#include "JobScope.h"

#include "Json.h"
#include "Shared.h"

#include <cstdlib>
#include <system_error>

namespace video {
namespace {

std::filesystem::path makeWorkDir(const std::filesystem::path& parent) {
  std::string pattern = (parent / "warren-video-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    const std::error_code error(errno, std::generic_category());
    retryable("cannot create a work directory in '" + parent.string() + "': " + error.message());
  }
  return pattern;
}

// Job ids become part of storage keys: keep them to a safe alphabet.
std::string keySafe(std::string_view text) {
  std::string out;
  for (const char c : text) {
    const bool safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '-' || c == '_' || c == '.';
    out += safe ? c : '_';
  }
  return out.empty() || out == "." || out == ".." ? "job" : out;
}

}  // namespace

JobScope::JobScope(const warren::Host& host, const warren::Job& job, const Settings& settings)
    : host_(host),
      job_(job),
      settings_(settings),
      dir_(makeWorkDir(settings.tempDir)),
      interrupt_{&JobScope::onInterrupt, this},
      prefix_(settings.outputPrefix + keySafe(job.id()) + "/") {}

JobScope::~JobScope() {
  if (!committed_) removeUploads();
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

int JobScope::onInterrupt(void* opaque) {
  return static_cast<const JobScope*>(opaque)->cancelled() ? 1 : 0;
}

void JobScope::checkCancelled() const {
  if (cancelled()) video::cancelled();
}

void JobScope::progress(double percent) {
  const int whole = percent <= 0 ? 0 : percent >= 100 ? 100 : static_cast<int>(percent);
  if (whole <= lastPercent_) return;
  lastPercent_ = whole;
  job_.progress(whole);
}

void JobScope::storageFailed(warren_status status, const std::string& what,
                             warren_buffer& error) const {
  const std::string reason = host_.take(error);
  if (status == WARREN_ERR_CANCELLED) video::cancelled();
  const std::string message = what + ": " + (reason.empty() ? "storage error" : reason);
  if (status == WARREN_ERR_INVALID || status == WARREN_ERR_NOT_FOUND) unrecoverable(message);
  retryable(message);
}

std::optional<std::int64_t> JobScope::storedSize(const std::string& key) const {
  const warren_storage_api& storage = host_.storage();
  warren_buffer info{};
  warren_buffer error{};
  const warren_status status = storage.head(host_.raw(), key.c_str(), &info, &error);
  if (status == WARREN_ERR_NOT_FOUND) {
    host_.take(error);
    host_.take(info);
    return std::nullopt;
  }
  if (status != WARREN_OK) {
    host_.take(info);
    storageFailed(status, "cannot read the size of '" + key + "' in object storage", error);
  }
  host_.take(error);
  const std::string text = host_.take(info);
  try {
    const Json* size = Json::parse(text).find("size");
    if (size != nullptr && size->isNumber()) return static_cast<std::int64_t>(size->asNumber());
  } catch (const std::invalid_argument&) {
  }
  retryable("object storage described '" + key + "' without a size: " + text);
}

void JobScope::download(const std::string& key, const std::filesystem::path& file) const {
  warren_buffer error{};
  const warren_status status =
      host_.storage().get_file(host_.raw(), job_.raw(), key.c_str(), file.c_str(), &error);
  if (status != WARREN_OK) storageFailed(status, "cannot fetch input '" + key + "'", error);
  host_.take(error);
}

void JobScope::upload(const std::string& key, const std::filesystem::path& file,
                      const char* contentType) {
  checkCancelled();
  warren_buffer error{};
  // Recorded first: a put that fails halfway may still have left an object behind.
  uploaded_.push_back(key);
  const warren_status status = host_.storage().put_file(host_.raw(), job_.raw(), key.c_str(),
                                                        file.c_str(), contentType, &error);
  if (status != WARREN_OK) storageFailed(status, "cannot store output '" + key + "'", error);
  host_.take(error);
}

void JobScope::removeUploads() noexcept {
  if (uploaded_.empty()) return;
  try {
    const warren_storage_api& storage = host_.storage();
    for (const std::string& key : uploaded_) {
      warren_buffer error{};
      storage.remove(host_.raw(), key.c_str(), &error);
      host_.take(error);
    }
  } catch (...) {
    // Nothing more to do: the host's storage is gone (it was there for the uploads).
  }
}

}  // namespace video
