#include "outbound/HttpService.h"

#include "outbound/HttpClient.h"
#include "plugins/HostApi.h"
#include "plugins/JobContext.h"

#include <atomic>
#include <cstddef>
#include <cstdlib>
#include <string>
#include <string_view>

namespace warren::outbound {
namespace {

std::atomic<HttpClient*> g_client{nullptr};

// A member the plugin's struct (of `size` bytes, as it was built) actually has.
template <typename Member>
bool has(std::uint32_t size, std::size_t offset) {
  return size >= offset + sizeof(Member);
}

// Copies the plugin's request (PLUGIN-OWNED, valid for the call) into the client's form.
// Returns the reason it is refused, or "".
std::string copyRequest(const warren_http_request& in, HttpRequest& out) {
  if (!has<const char*>(in.struct_size, offsetof(warren_http_request, url)))
    return "request struct_size " + std::to_string(in.struct_size) + " is too small";
  if (in.method == nullptr) return "method is NULL";
  if (in.url == nullptr) return "url is NULL";
  out.method = in.method;
  out.url = in.url;
  if (has<std::size_t>(in.struct_size, offsetof(warren_http_request, header_count)) &&
      in.header_count > 0) {
    if (in.headers == nullptr) return "headers is NULL but header_count is not 0";
    for (std::size_t i = 0; i < in.header_count; ++i) {
      if (in.headers[i].key == nullptr || in.headers[i].value == nullptr)
        return "header #" + std::to_string(i) + " has a NULL name or value";
      out.headers.emplace_back(in.headers[i].key, in.headers[i].value);
    }
  }
  if (has<std::size_t>(in.struct_size, offsetof(warren_http_request, body_len)) &&
      in.body_len > 0) {
    if (in.body == nullptr) return "body is NULL but body_len is not 0";
    out.body.assign(in.body, in.body_len);
  }
  if (has<std::uint32_t>(in.struct_size, offsetof(warren_http_request, timeout_ms)))
    out.timeout = std::chrono::milliseconds(in.timeout_ms);
  if (has<std::uint32_t>(in.struct_size, offsetof(warren_http_request, idempotent)))
    out.idempotent = in.idempotent != 0;
  return {};
}

void clear(warren_buffer* buffer) {
  if (buffer != nullptr) *buffer = warren_buffer{nullptr, 0};
}

void release(warren_buffer* buffer) {
  if (buffer == nullptr) return;
  std::free(buffer->data);
  clear(buffer);
}

warren_status request(const warren_host* host, const warren_job* job,
                      const warren_http_request* request, int32_t* status_code,
                      warren_buffer* headers_json, warren_buffer* body,
                      warren_buffer* error) noexcept {
  try {
    clear(headers_json);
    clear(body);
    clear(error);
    if (status_code != nullptr) *status_code = 0;
    const auto fail = [&](warren_status status, std::string_view text) {
      plugins::fillBuffer(error, text);
      return status;
    };
    HttpClient* client = g_client.load();
    if (client == nullptr) return fail(WARREN_ERR_UNAVAILABLE, "outbound HTTP is not configured");
    if (request == nullptr) return fail(WARREN_ERR_INVALID, "request is NULL");
    HttpRequest copy;
    if (const std::string refused = copyRequest(*request, copy); !refused.empty())
      return fail(WARREN_ERR_INVALID, refused);
    copy.caller = std::string(plugins::pluginNameOf(host));
    plugins::JobContext* context = job != nullptr ? job->context : nullptr;
    const HttpResult result = client->request(copy, context);
    if (result.status != WARREN_OK) return fail(result.status, result.error);
    if (!plugins::fillBuffer(headers_json, result.headersJson) ||
        !plugins::fillBuffer(body, result.body)) {
      release(headers_json);
      release(body);
      return fail(WARREN_ERR_INTERNAL, "out of memory");
    }
    if (status_code != nullptr) *status_code = result.code;
    return WARREN_OK;
  } catch (...) {
    return WARREN_ERR_INTERNAL;
  }
}

const warren_http_api kHttpApi = {
    static_cast<uint32_t>(sizeof(warren_http_api)),
    request,
};

}  // namespace

const warren_http_api* httpApi(HttpClient& client) {
  g_client.store(&client);
  return &kHttpApi;
}

}  // namespace warren::outbound
