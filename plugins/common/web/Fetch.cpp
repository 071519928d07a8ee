#include "web/Fetch.h"

#include "job/Failure.h"
#include "json/Json.h"
#include "web/Url.h"

#include <algorithm>
#include <cctype>
#include <cstdio>

namespace common::web {
namespace {

struct Response {
  int status = 0;
  Json headers;
  std::string body;
};

std::string trimmedLower(std::string text) {
  const auto notSpace = [](unsigned char c) { return std::isspace(c) == 0; };
  text.erase(text.begin(), std::find_if(text.begin(), text.end(), notSpace));
  text.erase(std::find_if(text.rbegin(), text.rend(), notSpace).base(), text.end());
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

std::string joined(const std::vector<std::string>& items) {
  std::string list;
  for (const std::string& item : items) list += (list.empty() ? "" : ", ") + item;
  return list;
}

std::string megabytes(std::size_t bytes) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f MB", static_cast<double>(bytes) / (1024.0 * 1024.0));
  return text;
}

Response get(const warren::Host& host, const warren::Job* job, const Url& url,
             const FetchOptions& options) {
  const std::string accept =
      options.contentTypes.empty() ? std::string("*/*") : joined(options.contentTypes);
  const warren_pair headers[] = {{"Accept", accept.c_str()}, {"Accept-Encoding", "identity"}};
  warren_http_request request{};
  request.struct_size = sizeof request;
  request.method = "GET";
  request.url = url.text.c_str();
  request.headers = headers;
  request.header_count = 2;
  request.timeout_ms = options.timeoutMs;
  request.idempotent = 1;
  std::int32_t status = 0;
  warren_buffer headersJson{};
  warren_buffer body{};
  warren_buffer error{};
  const warren_status rc = host.http().request(host.raw(), job != nullptr ? job->raw() : nullptr,
                                               &request, &status, &headersJson, &body, &error);
  Response response;
  std::string headersText = host.take(headersJson);
  response.body = host.take(body);
  const std::string reason = host.take(error);
  const std::string what = "cannot fetch '" + shownUrl(url.text) +
                           "': " + (reason.empty() ? "HTTP call failed" : reason);
  if (rc == WARREN_ERR_INVALID) throw job::Unrecoverable(what);
  if (rc != WARREN_OK) throw job::Retryable(what);
  response.status = status;
  response.headers = headersText.empty() ? Json::object() : parseJson(headersText, "HTTP headers");
  return response;
}

std::string header(const Response& response, const char* name) {
  return stringOr(response.headers, name, "");
}

bool isRedirect(int status) {
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

void checkStatus(const Response& response, const Url& url) {
  const int status = response.status;
  if (status >= 200 && status < 300) return;
  const std::string what =
      "fetching '" + shownUrl(url.text) + "' failed: HTTP " + std::to_string(status);
  if (status == 408 || status == 429 || status >= 500) throw job::Retryable(what);
  throw job::Unrecoverable(what);
}

void checkSize(std::size_t bytes, const Url& url, const FetchOptions& options) {
  if (bytes <= options.maxBytes) return;
  throw job::Unrecoverable("material over the size cap: '" + shownUrl(url.text) + "' is " +
                           megabytes(bytes) + ", more than " + options.capName + " (" +
                           megabytes(options.maxBytes) + ")");
}

}  // namespace

std::pair<std::string, std::string> splitContentType(const std::string& value) {
  const std::size_t semicolon = value.find(';');
  std::string type = trimmedLower(value.substr(0, semicolon));
  std::string charset;
  for (std::size_t at = semicolon; at != std::string::npos;) {
    const std::size_t next = value.find(';', at + 1);
    const std::string parameter = trimmedLower(value.substr(at + 1, next - at - 1));
    if (parameter.compare(0, 8, "charset=") == 0) {
      charset = parameter.substr(8);
      charset.erase(std::remove(charset.begin(), charset.end(), '"'), charset.end());
    }
    at = next;
  }
  return {type, charset};
}

Fetched fetch(const warren::Host& host, const warren::Job* job, const std::string& url,
              const FetchOptions& options) {
  std::optional<Url> current = parseUrl(url);
  if (!current) {
    throw job::Unrecoverable("invalid URL '" + shownUrl(url) +
                             "': only absolute http:// and https:// URLs are fetched");
  }
  for (int hops = 0;; ++hops) {
    const Response response = get(host, job, *current, options);
    if (isRedirect(response.status)) {
      const std::string location = header(response, "location");
      if (hops >= options.maxRedirects) {
        throw job::Unrecoverable("too many redirects fetching '" + shownUrl(url) + "' (more than " +
                                 std::to_string(options.maxRedirects) + ")");
      }
      std::optional<Url> next = resolveUrl(*current, location);
      if (!next) {
        throw job::Unrecoverable("'" + shownUrl(current->text) + "' redirects to '" +
                                 shownUrl(location) + "', which is not an http(s) URL");
      }
      current = std::move(next);
      continue;
    }
    checkStatus(response, *current);
    checkSize(response.body.size(), *current, options);
    auto [type, charset] = splitContentType(header(response, "content-type"));
    const auto& accepted = options.contentTypes;
    if (!accepted.empty() && std::find(accepted.begin(), accepted.end(), type) == accepted.end()) {
      throw job::Unrecoverable("'" + shownUrl(current->text) + "' is " +
                               (type.empty() ? std::string("of no stated type") : type) +
                               ", not one of the types read (" + joined(accepted) + ")");
    }
    return Fetched{current->text, std::move(type), std::move(charset), response.body};
  }
}

}  // namespace common::web
