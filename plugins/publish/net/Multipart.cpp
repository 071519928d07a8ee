#include "net/Multipart.h"

#include "crypto/Random.h"

namespace publish::net {
namespace {

// A header value in quotes: quotes and line breaks would end it early.
std::string quoted(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\r' || c == '\n' || c == '\\') {
      out += '_';
    } else {
      out += c;
    }
  }
  return out + "\"";
}

}  // namespace

Multipart::Multipart() : boundary_("warren-" + common::crypto::randomHex(16)) {}

void Multipart::field(std::string_view name, std::string_view value) {
  body_ +=
      "--" + boundary_ + "\r\nContent-Disposition: form-data; name=" + quoted(name) + "\r\n\r\n";
  body_.append(value);
  body_ += "\r\n";
}

void Multipart::file(std::string_view name, std::string_view filename, std::string_view contentType,
                     std::string_view bytes) {
  body_ += "--" + boundary_ + "\r\nContent-Disposition: form-data; name=" + quoted(name) +
           "; filename=" + quoted(filename) + "\r\nContent-Type: " + std::string(contentType) +
           "\r\n\r\n";
  body_.append(bytes);
  body_ += "\r\n";
}

std::string Multipart::finish() {
  body_ += "--" + boundary_ + "--\r\n";
  return std::move(body_);
}

}  // namespace publish::net
