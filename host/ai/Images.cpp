#include "ai/Images.h"

#include "ai/Base64.h"
#include "ai/Failure.h"
#include "outbound/HttpClient.h"
#include "plugins/JobContext.h"
#include "storage/Store.h"

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <system_error>

namespace warren::ai {
namespace {

namespace fs = std::filesystem;

std::string readWhole(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open");
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

Fault faultOf(storage::ErrorKind kind) {
  switch (kind) {
    case storage::ErrorKind::invalid:
    case storage::ErrorKind::not_found:
      return Fault::invalid;
    case storage::ErrorKind::timeout:
      return Fault::timeout;
    case storage::ErrorKind::cancelled:
      return Fault::cancelled;
    default:
      return Fault::unavailable;
  }
}

Fault faultOf(warren_status status) {
  switch (status) {
    case WARREN_ERR_TIMEOUT:
      return Fault::timeout;
    case WARREN_ERR_CANCELLED:
      return Fault::cancelled;
    case WARREN_ERR_INVALID:
      return Fault::invalid;
    default:
      return Fault::unavailable;
  }
}

// A file name no other call of this process uses.
fs::path scratchPath() {
  static std::atomic<unsigned long> counter{0};
  return fs::temp_directory_path() / ("warren-ai-image-" + std::to_string(::getpid()) + "-" +
                                      std::to_string(counter.fetch_add(1)));
}

}  // namespace

std::optional<std::string> sniffImageType(std::string_view b) {
  if (b.size() >= 3 && b.substr(0, 3) == "\xFF\xD8\xFF") return "image/jpeg";
  if (b.size() >= 8 && b.substr(0, 8) == "\x89PNG\r\n\x1A\n") return "image/png";
  if (b.size() >= 6 && (b.substr(0, 6) == "GIF87a" || b.substr(0, 6) == "GIF89a")) {
    return "image/gif";
  }
  if (b.size() >= 12 && b.substr(0, 4) == "RIFF" && b.substr(8, 4) == "WEBP") return "image/webp";
  return std::nullopt;
}

std::string redactedUrl(const std::string& url) {
  const auto end = url.find_first_of("?#");
  return end == std::string::npos ? url : url.substr(0, end);
}

ImageLoader::ImageLoader(storage::Store* store, outbound::HttpClient* http, std::size_t maxBytes)
    : store_(store), http_(http), maxBytes_(maxBytes) {}

Image ImageLoader::load(const ImageSource& source, plugins::JobContext* job,
                        const std::string& where, std::chrono::milliseconds timeout) const {
  if (source.kind == ImageSource::Kind::data) return fromData(source, where);
  std::string bytes;
  switch (source.kind) {
    case ImageSource::Kind::storageKey:
      bytes = fromStorage(source.value, job, where);
      break;
    case ImageSource::Kind::file:
      bytes = fromFile(source.value, where);
      break;
    default:
      bytes = fromUrl(source.value, job, where, timeout);
      break;
  }
  checkSize(bytes.size(), where);
  return {checkedType(bytes, source, where), base64Encode(bytes), bytes.size()};
}

std::string ImageLoader::checkedType(std::string_view bytes, const ImageSource& source,
                                     const std::string& where) {
  const auto type = sniffImageType(bytes);
  if (!type) throw Failure(Fault::invalid, where + ": not a JPEG, PNG, GIF or WebP image");
  if (!source.mediaType.empty() && source.mediaType != *type) {
    throw Failure(Fault::invalid,
                  where + ": the bytes are " + *type + " but media_type says " + source.mediaType);
  }
  return *type;
}

void ImageLoader::checkSize(std::size_t bytes, const std::string& where) const {
  if (bytes > maxBytes_) {
    throw Failure(Fault::invalid, where + ": the image is " + std::to_string(bytes) +
                                      " bytes, over ai.max_image_mb (" +
                                      std::to_string(maxBytes_ >> 20) + " MiB)");
  }
}

std::string ImageLoader::fromStorage(const std::string& key, plugins::JobContext* job,
                                     const std::string& where) const {
  const std::string field = where + ".storage_key";
  if (store_ == nullptr) throw Failure(Fault::unavailable, field + ": no object storage");
  const fs::path scratch = scratchPath();
  try {
    checkSize(static_cast<std::size_t>(store_->head(key).size), where);
    store_->getFile(key, scratch, [job] { return job != nullptr && job->cancelled(); });
    std::string bytes = readWhole(scratch);
    std::error_code ignored;
    fs::remove(scratch, ignored);
    return bytes;
  } catch (const storage::StorageError& e) {
    std::error_code ignored;
    fs::remove(scratch, ignored);
    throw Failure(faultOf(e.kind()), field + ": " + e.what());
  }
}

std::string ImageLoader::fromFile(const std::string& path, const std::string& where) const {
  std::error_code error;
  const auto size = fs::file_size(path, error);
  if (error)
    throw Failure(Fault::invalid, where + ".file: cannot read " + path + ": " + error.message());
  checkSize(static_cast<std::size_t>(size), where);
  try {
    return readWhole(path);
  } catch (const std::exception&) {
    throw Failure(Fault::invalid, where + ".file: cannot read " + path);
  }
}

std::string ImageLoader::fromUrl(const std::string& url, plugins::JobContext* job,
                                 const std::string& where,
                                 std::chrono::milliseconds timeout) const {
  const std::string field = where + ".url " + redactedUrl(url);
  if (http_ == nullptr) throw Failure(Fault::unavailable, field + ": no outbound HTTP client");
  outbound::HttpRequest request;
  request.method = "GET";
  request.url = url;
  request.timeout = timeout;
  request.caller = "ai";
  outbound::HttpResult result = http_->request(request, job);
  if (result.status != WARREN_OK) {
    throw Failure(faultOf(result.status), field + ": " + result.error);
  }
  if (result.code < 200 || result.code > 299) {
    const Fault fault =
        result.code >= 500 || result.code == 429 ? Fault::unavailable : Fault::invalid;
    throw Failure(fault, field + ": HTTP " + std::to_string(result.code));
  }
  return std::move(result.body);
}

// Inline data is passed on as given: checked as base64 and sniffed from its first bytes, not
// decoded and encoded again.
Image ImageLoader::fromData(const ImageSource& source, const std::string& where) const {
  const auto size = base64DecodedSize(source.value);
  if (!size) throw Failure(Fault::invalid, where + ".data: not valid base64");
  checkSize(*size, where);
  const auto head = base64Decode(std::string_view(source.value).substr(0, 16));
  return {checkedType(head.value_or(""), source, where), source.value, *size};
}

}  // namespace warren::ai
