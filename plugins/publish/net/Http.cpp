#include "net/Http.h"

#include <cctype>

namespace publish::net {

Request& Request::json(const Json& value) {
  body = common::dumpJson(value);
  headers.emplace_back("Content-Type", "application/json");
  return *this;
}

std::string Response::header(const std::string& name) const {
  std::string key;
  for (char c : name) key += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const auto it = headers.find(key);
  if (it == headers.end() || !it->is_string()) return {};
  return it->get<std::string>();
}

Json Response::json() const {
  if (body.empty()) return nullptr;
  try {
    return Json::parse(body);
  } catch (const Json::parse_error&) {
    return nullptr;
  }
}

Response Http::send(const warren::Job* job, const Request& request) const {
  std::vector<warren_pair> pairs;
  pairs.reserve(request.headers.size());
  for (const auto& [name, value] : request.headers) pairs.push_back({name.c_str(), value.c_str()});
  warren_http_request raw{};
  raw.struct_size = sizeof raw;
  raw.method = request.method.c_str();
  raw.url = request.url.c_str();
  raw.headers = pairs.data();
  raw.header_count = pairs.size();
  raw.body = request.body.data();
  raw.body_len = request.body.size();
  raw.timeout_ms = request.timeoutMs;
  raw.idempotent = request.idempotent ? 1u : 0u;
  std::int32_t code = 0;
  warren_buffer headers{};
  warren_buffer body{};
  warren_buffer error{};
  const warren_status status = host_.http().request(
      host_.raw(), job != nullptr ? job->raw() : nullptr, &raw, &code, &headers, &body, &error);
  std::string headersText = host_.take(headers);
  std::string bodyText = host_.take(body);
  std::string message = host_.take(error);
  if (status != WARREN_OK) {
    if (message.empty()) message = "HTTP request failed with status " + std::to_string(status);
    throw TransportError(status, message, status != WARREN_ERR_INVALID);
  }
  Response response;
  response.status = code;
  response.body = std::move(bodyText);
  if (!headersText.empty()) {
    try {
      response.headers = Json::parse(headersText);
    } catch (const Json::parse_error&) {
      response.headers = Json::object();
    }
  }
  return response;
}

std::string urlEncode(const std::string& value) {
  static const char digits[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : value) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += digits[c >> 4];
      out += digits[c & 0x0f];
    }
  }
  return out;
}

std::string formEncode(const std::vector<std::pair<std::string, std::string>>& fields) {
  std::string out;
  for (const auto& [name, value] : fields) {
    if (!out.empty()) out += '&';
    out += urlEncode(name) + "=" + urlEncode(value);
  }
  return out;
}

}  // namespace publish::net
