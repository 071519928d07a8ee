// Images of a completion request, read from where the plugin said (object storage, a local
// file, an http(s) URL through the host's client, or inline base64), capped in size, their type
// sniffed from the bytes (JPEG, PNG, GIF, WebP), and held as base64 for the providers.
#pragma once

#include "ai/Request.h"

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace warren::storage {
class Store;
}
namespace warren::outbound {
class HttpClient;
}
namespace warren::plugins {
class JobContext;
}

namespace warren::ai {

struct Image {
  std::string mediaType;  // image/jpeg, image/png, image/gif, image/webp
  std::string base64;
  std::size_t bytes = 0;
};

// The type the bytes start like, or nullopt.
std::optional<std::string> sniffImageType(std::string_view bytes);

class ImageLoader {
 public:
  // `store` and `http` may be null (then storage keys, or URLs, are refused).
  ImageLoader(storage::Store* store, outbound::HttpClient* http, std::size_t maxBytes);

  // Throws Failure naming `where` (e.g. "messages[0].content[2]"): invalid for a missing
  // object or file, an image over the cap, bytes that are no supported image, a type that
  // differs from the declared one; unavailable, timeout or cancelled when fetching fails so.
  Image load(const ImageSource& source, plugins::JobContext* job, const std::string& where,
             std::chrono::milliseconds timeout) const;

 private:
  std::string fromStorage(const std::string& key, plugins::JobContext* job,
                          const std::string& where) const;
  std::string fromFile(const std::string& path, const std::string& where) const;
  std::string fromUrl(const std::string& url, plugins::JobContext* job, const std::string& where,
                      std::chrono::milliseconds timeout) const;
  Image fromData(const ImageSource& source, const std::string& where) const;
  // The sniffed type, checked against a declared one.
  static std::string checkedType(std::string_view bytes, const ImageSource& source,
                                 const std::string& where);
  void checkSize(std::size_t bytes, const std::string& where) const;

  storage::Store* store_;
  outbound::HttpClient* http_;
  std::size_t maxBytes_;
};

// scheme://host[:port]/path of a URL: no query or fragment, which may hold tokens.
std::string redactedUrl(const std::string& url);

}  // namespace warren::ai
