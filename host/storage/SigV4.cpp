#include "storage/SigV4.h"

#include "storage/Digest.h"

#include <algorithm>
#include <cctype>
#include <ctime>
#include <map>

namespace warren::storage::sigv4 {
namespace {

bool unreserved(unsigned char c) {
  return std::isalnum(c) != 0 || c == '-' || c == '.' || c == '_' || c == '~';
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Trims blanks at both ends and collapses inner runs of spaces to one (SigV4's Trimall).
std::string trimAll(std::string_view value) {
  std::string out;
  bool pendingSpace = false;
  for (const char c : value) {
    if (c == ' ' || c == '\t') {
      pendingSpace = !out.empty();
      continue;
    }
    if (pendingSpace) out += ' ';
    pendingSpace = false;
    out += c;
  }
  return out;
}

// Lower-cased name -> trimmed values in the order given.
std::map<std::string, std::vector<std::string>> normalised(const Pairs& headers) {
  std::map<std::string, std::vector<std::string>> out;
  for (const auto& [name, value] : headers) out[lower(name)].push_back(trimAll(value));
  return out;
}

}  // namespace

std::string uriEncode(std::string_view text, bool encodeSlash) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size() * 3);
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (unreserved(c) || (c == '/' && !encodeSlash)) {
      out += ch;
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0x0F];
    }
  }
  return out;
}

std::string canonicalQuery(const Pairs& query) {
  Pairs encoded;
  encoded.reserve(query.size());
  for (const auto& [name, value] : query) {
    encoded.emplace_back(uriEncode(name, true), uriEncode(value, true));
  }
  std::sort(encoded.begin(), encoded.end());
  std::string out;
  for (const auto& [name, value] : encoded) {
    if (!out.empty()) out += '&';
    out += name + "=" + value;
  }
  return out;
}

std::string canonicalHeaders(const Pairs& headers) {
  std::string out;
  for (const auto& [name, values] : normalised(headers)) {
    out += name + ":";
    for (std::size_t i = 0; i < values.size(); ++i) {
      if (i > 0) out += ',';
      out += values[i];
    }
    out += '\n';
  }
  return out;
}

std::string signedHeaders(const Pairs& headers) {
  std::string out;
  for (const auto& entry : normalised(headers)) {
    if (!out.empty()) out += ';';
    out += entry.first;
  }
  return out;
}

std::string canonicalRequest(const Request& request) {
  return request.method + "\n" + request.canonicalUri + "\n" + canonicalQuery(request.query) +
         "\n" + canonicalHeaders(request.headers) + "\n" + signedHeaders(request.headers) + "\n" +
         request.payloadHash;
}

std::string amzDate(std::chrono::system_clock::time_point time) {
  const std::time_t seconds = std::chrono::system_clock::to_time_t(time);
  std::tm utc{};
  ::gmtime_r(&seconds, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y%m%dT%H%M%SZ", &utc);
  return text;
}

std::string credentialScope(std::string_view date, const Credentials& credentials) {
  return std::string(date) + "/" + credentials.region + "/" + credentials.service + "/aws4_request";
}

std::string stringToSign(std::string_view amzDate, std::string_view scope,
                         std::string_view canonicalRequest) {
  return std::string(kAlgorithm) + "\n" + std::string(amzDate) + "\n" + std::string(scope) + "\n" +
         sha256Hex(canonicalRequest);
}

std::string signingKey(std::string_view secretKey, std::string_view date, std::string_view region,
                       std::string_view service) {
  const std::string dateKey = hmacSha256("AWS4" + std::string(secretKey), date);
  const std::string regionKey = hmacSha256(dateKey, region);
  const std::string serviceKey = hmacSha256(regionKey, service);
  return hmacSha256(serviceKey, "aws4_request");
}

Signature sign(const Credentials& credentials, const Request& request, std::string_view amzDate) {
  const std::string_view date = amzDate.substr(0, 8);
  const std::string scope = credentialScope(date, credentials);
  Signature out;
  out.canonicalRequest = canonicalRequest(request);
  out.stringToSign = stringToSign(amzDate, scope, out.canonicalRequest);
  const std::string key =
      signingKey(credentials.secretKey, date, credentials.region, credentials.service);
  out.signature = toHex(hmacSha256(key, out.stringToSign));
  out.signedHeaders = signedHeaders(request.headers);
  out.authorization = std::string(kAlgorithm) + " Credential=" + credentials.accessKey + "/" +
                      scope + ", SignedHeaders=" + out.signedHeaders +
                      ", Signature=" + out.signature;
  return out;
}

std::string presignQuery(const Credentials& credentials, std::string_view method,
                         std::string_view canonicalUri, std::string_view host,
                         std::string_view amzDate, std::int64_t expiresS, Signature* details) {
  const std::string scope = credentialScope(amzDate.substr(0, 8), credentials);
  Request request;
  request.method = std::string(method);
  request.canonicalUri = std::string(canonicalUri);
  request.query = {{"X-Amz-Algorithm", std::string(kAlgorithm)},
                   {"X-Amz-Credential", credentials.accessKey + "/" + scope},
                   {"X-Amz-Date", std::string(amzDate)},
                   {"X-Amz-Expires", std::to_string(expiresS)},
                   {"X-Amz-SignedHeaders", "host"}};
  request.headers = {{"host", std::string(host)}};
  request.payloadHash = std::string(kUnsignedPayload);
  const Signature signature = sign(credentials, request, amzDate);
  if (details != nullptr) *details = signature;
  return canonicalQuery(request.query) + "&X-Amz-Signature=" + signature.signature;
}

}  // namespace warren::storage::sigv4
