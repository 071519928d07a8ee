// Web addresses as the content plugins follow them: only http and https, absolute, resolved
// against the page that pointed to them (libxml2's RFC 3986 parser).
#pragma once

#include <optional>
#include <string>

namespace common::web {

struct Url {
  std::string text;    // the absolute URL, as it is requested
  std::string scheme;  // "http" or "https"
  std::string host;
};

// `text` as an http(s) URL, or nullopt when it is not one (another scheme, no host, not a URL).
std::optional<Url> parseUrl(const std::string& text);
// `reference` (a redirect's Location: absolute, or relative to `base`) made absolute.
std::optional<Url> resolveUrl(const Url& base, const std::string& reference);
// The URL without its user part, query and fragment: what messages show (a query may carry a
// token).
std::string shownUrl(const std::string& text);

}  // namespace common::web
