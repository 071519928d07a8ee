// multipart/form-data bodies (Mastodon media, X chunk appends).
#pragma once

#include <string>
#include <string_view>

namespace publish::net {

class Multipart {
 public:
  Multipart();
  void field(std::string_view name, std::string_view value);
  void file(std::string_view name, std::string_view filename, std::string_view contentType,
            std::string_view bytes);
  // The whole body (call once, after the last part).
  std::string finish();
  std::string contentType() const { return "multipart/form-data; boundary=" + boundary_; }

 private:
  std::string boundary_;
  std::string body_;
};

}  // namespace publish::net
