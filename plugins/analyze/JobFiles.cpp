#include "JobFiles.h"

#include "job/Failure.h"
#include "json/Json.h"

#include <cerrno>
#include <cstdlib>
#include <system_error>

namespace analyze {
namespace {

using common::job::Retryable;
using common::job::Unrecoverable;

std::filesystem::path workDir(const std::filesystem::path& parent) {
  std::string pattern = (parent / "warren-analyze-XXXXXX").string();
  if (::mkdtemp(pattern.data()) != nullptr) return pattern;
  const std::error_code error(errno, std::generic_category());
  throw Retryable("cannot create a work directory in '" + parent.string() +
                  "': " + error.message());
}

}  // namespace

JobFiles::JobFiles(const warren::Host& host, const warren::Job& job,
                   const std::filesystem::path& parent)
    : host_(host), job_(job), dir_(workDir(parent)), interrupt_{&JobFiles::onInterrupt, this} {}

JobFiles::~JobFiles() {
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

int JobFiles::onInterrupt(void* opaque) {
  return static_cast<const JobFiles*>(opaque)->job_.cancelled() ? 1 : 0;
}

void JobFiles::failed(warren_status status, const std::string& what,
                      const std::string& reason) const {
  const std::string message = what + ": " + (reason.empty() ? "storage error" : reason);
  if (status == WARREN_ERR_INVALID) throw Unrecoverable(message);
  throw Retryable(message);
}

StoredObject JobFiles::head(const std::string& key) const {
  const warren_storage_api& storage = host_.storage();
  warren_buffer info{};
  warren_buffer error{};
  const warren_status status = storage.head(host_.raw(), key.c_str(), &info, &error);
  const std::string text = host_.take(info);
  const std::string reason = host_.take(error);
  if (status == WARREN_ERR_NOT_FOUND) {
    throw Unrecoverable("material '" + key + "' not found in object storage");
  }
  if (status != WARREN_OK) failed(status, "cannot look up '" + key + "' in object storage", reason);
  const common::Json described = common::parseJson(text, "object storage's description");
  StoredObject object;
  object.size = common::intOr(described, "size", -1);
  object.contentType = common::stringOr(described, "content_type");
  if (object.size < 0) throw Retryable("object storage described '" + key + "' without a size");
  return object;
}

std::filesystem::path JobFiles::download(const std::string& key, const std::string& name) const {
  const std::filesystem::path path = dir_ / name;
  warren_buffer error{};
  const warren_status status =
      host_.storage().get_file(host_.raw(), job_.raw(), key.c_str(), path.c_str(), &error);
  const std::string reason = host_.take(error);
  if (status == WARREN_ERR_NOT_FOUND) {
    throw Unrecoverable("material '" + key + "' not found in object storage");
  }
  if (status != WARREN_OK) failed(status, "cannot fetch '" + key + "' from object storage", reason);
  return path;
}

}  // namespace analyze
