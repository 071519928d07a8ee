#include "storage/S3Address.h"

#include "storage/Keys.h"
#include "storage/SigV4.h"
#include "storage/Store.h"

#include <Poco/Exception.h>
#include <Poco/URI.h>

namespace warren::storage {
namespace {

// Where the authority of `url` starts (after "://", or at 0 without one).
std::size_t authorityStart(const std::string& url) {
  const auto scheme = url.find("://");
  return scheme == std::string::npos ? 0 : scheme + 3;
}

// The last '@' of the authority, which ends the user info; npos when there is none.
std::size_t userInfoEnd(const std::string& url) {
  const std::size_t start = authorityStart(url);
  const auto at = url.substr(0, url.find_first_of("/?#", start)).rfind('@');
  return at == std::string::npos || at < start ? std::string::npos : at;
}

// The endpoint as an error shows it: user info (credentials) replaced by ***.
std::string shown(const std::string& url) {
  const auto at = userInfoEnd(url);
  if (at == std::string::npos) return url;
  return url.substr(0, authorityStart(url)) + "***" + url.substr(at);
}

[[noreturn]] void badEndpoint(const std::string& url, const std::string& why) {
  throw StorageError(ErrorKind::invalid, "S3 endpoint " + inQuotes(shown(url)) + " " + why +
                                             " (expected like https://s3.amazonaws.com or "
                                             "http://127.0.0.1:9000)");
}

bool defaultPort(const Endpoint& endpoint) {
  return endpoint.port == (endpoint.https ? 443 : 80);
}

}  // namespace

Endpoint parseEndpoint(const std::string& url) {
  // Checked on the text, first: Poco's parse errors quote the url, credentials and all, and its
  // URI keeps only what lies between the last two '@' as user info ("key:secret@@host" has none).
  if (userInfoEnd(url) != std::string::npos) badEndpoint(url, "must not hold credentials");
  Poco::URI uri;
  try {
    uri = Poco::URI(url);
  } catch (const Poco::Exception& e) {
    badEndpoint(url, "is not a URL: " + e.message());
  }
  Endpoint out;
  if (uri.getScheme() == "https") {
    out.https = true;
  } else if (uri.getScheme() == "http") {
    out.https = false;
  } else {
    badEndpoint(url, "must start with http:// or https://");
  }
  if (uri.getHost().empty()) badEndpoint(url, "has no host");
  if (!uri.getUserInfo().empty()) badEndpoint(url, "must not hold credentials");
  if (!uri.getPath().empty() && uri.getPath() != "/") badEndpoint(url, "must not have a path");
  if (!uri.getRawQuery().empty() || !uri.getFragment().empty()) {
    badEndpoint(url, "must not have a query or fragment");
  }
  out.host = uri.getHost();
  out.port = uri.getPort();
  return out;
}

S3Address::S3Address(Endpoint endpoint, std::string bucket, bool pathStyle)
    : endpoint_(std::move(endpoint)), bucket_(std::move(bucket)), pathStyle_(pathStyle) {
  if (bucket_.empty()) throw StorageError(ErrorKind::invalid, "S3 bucket is empty (S3_BUCKET)");
  if (bucket_.find('/') != std::string::npos) {
    throw StorageError(ErrorKind::invalid, "S3 bucket " + inQuotes(bucket_) + " contains '/'");
  }
}

Target S3Address::target(std::string path) const {
  Target out;
  out.https = endpoint_.https;
  out.port = endpoint_.port;
  out.connectHost = pathStyle_ ? endpoint_.host : bucket_ + "." + endpoint_.host;
  const bool ipv6 = out.connectHost.find(':') != std::string::npos;
  out.hostHeader = ipv6 ? "[" + out.connectHost + "]" : out.connectHost;
  if (!defaultPort(endpoint_)) out.hostHeader += ":" + std::to_string(endpoint_.port);
  out.path = std::move(path);
  return out;
}

Target S3Address::object(const std::string& key) const {
  const std::string encoded = sigv4::uriEncode(key, false);
  return target(pathStyle_ ? "/" + sigv4::uriEncode(bucket_, true) + "/" + encoded : "/" + encoded);
}

Target S3Address::bucket() const {
  return target(pathStyle_ ? "/" + sigv4::uriEncode(bucket_, true) : "/");
}

std::string S3Address::url(const Target& target, const std::string& query) {
  std::string out = (target.https ? "https://" : "http://") + target.hostHeader + target.path;
  if (!query.empty()) out += "?" + query;
  return out;
}

}  // namespace warren::storage
