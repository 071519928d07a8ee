// The http:// and https:// URLs the outbound client accepts, split into what a request needs.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace warren::outbound {

struct Url {
  bool tls = false;
  std::string host;  // lower case; an IPv6 literal without its brackets
  std::uint16_t port = 0;
  std::string target;  // path and query as sent in the request line ("/" at least)
  std::string path;    // target without the query (query strings may carry secrets)
  bool ipLiteral = false;

  std::string scheme() const { return tls ? "https" : "http"; }
  // host:port, with brackets around an IPv6 literal.
  std::string authority() const;
  // scheme://host:port/path: no query, no fragment. Safe for logs and error texts.
  std::string redacted() const;
};

// Throws std::invalid_argument("invalid url 'TEXT': REASON") for anything else than an absolute
// http(s) URL with a host: other schemes, user credentials, bad ports, spaces, control
// characters or non-ASCII bytes (those must be percent-encoded). TEXT shows user info as ***.
// The fragment is dropped.
Url parseUrl(std::string_view text);

}  // namespace warren::outbound
