// Fetching one web resource through the host's outbound HTTP service, with the checks material
// from a URL needs: a size cap, the content types the caller reads, and redirects followed here
// (only to http/https, at most `maxRedirects` times) so that each hop is checked.
#pragma once

#include <warren/plugin.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace common::web {

struct FetchOptions {
  std::size_t maxBytes = std::size_t{10} << 20;
  std::string capName = "the size cap";   // how refusals name the cap ("analyze.max_text_mb")
  std::vector<std::string> contentTypes;  // media types accepted, e.g. "text/html"; empty: any
  int maxRedirects = 5;
  std::uint32_t timeoutMs = 0;  // each request; 0: the host's default
};

struct Fetched {
  std::string url;          // where the body came from, after redirects
  std::string contentType;  // its media type, lower case, without parameters
  std::string charset;      // the Content-Type's charset parameter, lower case, or ""
  std::string body;
};

// GETs `url`. Failures throw job exceptions (job/Failure.h) with the URL shown without its
// query: not an http(s) URL, a redirect elsewhere or too many, 4xx, a refused content type and
// a body over the cap are unrecoverable; 5xx, 408, 429 and an unreachable server retryable.
Fetched fetch(const warren::Host& host, const warren::Job* job, const std::string& url,
              const FetchOptions& options);

// "text/html; charset=UTF-8" -> {"text/html", "utf-8"}.
std::pair<std::string, std::string> splitContentType(const std::string& value);

}  // namespace common::web
