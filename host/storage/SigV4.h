// AWS Signature Version 4 for S3, written from the AWS specification: canonical request, string
// to sign, signing key, signature, Authorization header and presigned query strings.
// Pure functions of their inputs (the time is a parameter), so AWS's published examples are the
// tests. Nothing here logs; the secret key and signatures never leave these functions except as
// the header or query they belong in.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace warren::storage::sigv4 {

using Pairs = std::vector<std::pair<std::string, std::string>>;

inline constexpr std::string_view kAlgorithm = "AWS4-HMAC-SHA256";
inline constexpr std::string_view kUnsignedPayload = "UNSIGNED-PAYLOAD";
inline constexpr std::string_view kEmptyPayloadHash =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

struct Credentials {
  std::string accessKey;
  std::string secretKey;
  std::string region = "us-east-1";
  std::string service = "s3";
};

// One request as it will be sent. Every header listed is signed (host and x-amz-date included:
// the caller adds them, see s3Headers()).
struct Request {
  std::string method;
  std::string canonicalUri;  // the path exactly as sent, already URI-encoded ("/test%24file.text")
  Pairs query;               // raw (decoded) names and values, any order
  Pairs headers;             // raw names and values, any order and case
  std::string payloadHash;   // hex SHA-256 of the body, or UNSIGNED-PAYLOAD
};

struct Signature {
  std::string canonicalRequest;
  std::string stringToSign;
  std::string signature;      // hex
  std::string signedHeaders;  // "host;x-amz-date"
  std::string authorization;  // the Authorization header value
};

// RFC 3986 percent-encoding as SigV4 wants it: everything but A-Z a-z 0-9 - . _ ~ is encoded,
// as %XY (upper-case hex) of each UTF-8 byte; '/' is kept unless `encodeSlash`.
std::string uriEncode(std::string_view text, bool encodeSlash);
// Names and values encoded, sorted by name then value, joined with '&' ("a=1&b=").
std::string canonicalQuery(const Pairs& query);
// "name:value\n" per header: names lower-cased and sorted, values trimmed, inner runs of
// spaces collapsed, repeated names joined with ','.
std::string canonicalHeaders(const Pairs& headers);
std::string signedHeaders(const Pairs& headers);
std::string canonicalRequest(const Request& request);

// "20130524T000000Z" and its date part "20130524".
std::string amzDate(std::chrono::system_clock::time_point time);
std::string credentialScope(std::string_view date, const Credentials& credentials);
std::string stringToSign(std::string_view amzDate, std::string_view scope,
                         std::string_view canonicalRequest);
// kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request"),
// as 32 raw bytes.
std::string signingKey(std::string_view secretKey, std::string_view date, std::string_view region,
                       std::string_view service);

// Signs `request` at `amzDate` (the x-amz-date value it carries).
Signature sign(const Credentials& credentials, const Request& request, std::string_view amzDate);

// The query string of a presigned URL for `method` on `canonicalUri` at `host` (the Host header
// value), valid `expiresS` seconds from `amzDate`: the X-Amz-* parameters in canonical order
// then X-Amz-Signature. `details`, when given, receives the intermediate values.
std::string presignQuery(const Credentials& credentials, std::string_view method,
                         std::string_view canonicalUri, std::string_view host,
                         std::string_view amzDate, std::int64_t expiresS,
                         Signature* details = nullptr);

}  // namespace warren::storage::sigv4
