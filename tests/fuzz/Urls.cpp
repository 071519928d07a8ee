// The URL parsers: Redis addresses (host/redis/Url), the outbound HTTP client's URLs
// (host/outbound/Url), DATABASE_URL (host/db/Url) and the S3 endpoint (host/storage/S3Address),
// each on the input as given and with credentials planted after its "://".
// Holds: a refusal is each parser's documented exception and nothing else; a planted password
// appears in no error text and in no redacted form; what is accepted is usable (a host, a port,
// a request target starting with '/').
#include "Fuzz.h"

#include "db/Url.h"
#include "outbound/Url.h"
#include "redis/Url.h"
#include "storage/S3Address.h"
#include "storage/Store.h"

#include <stdexcept>

namespace {

using warren::fuzz::check;
using warren::fuzz::violated;

constexpr std::string_view kPassword = "Pw9SecretMark";

bool shows(const std::string& text) {
  return text.find(kPassword) != std::string::npos;
}

void redisUrl(const std::string& text, bool planted) {
  try {
    const auto url = warren::redis::Url::parse(text);
    check(url.unix ? !url.path.empty() : !url.host.empty(), "a Redis URL without an address");
    check(url.port > 0 && url.port < 65536 && url.db >= 0, "a Redis port or db out of range");
    if (planted && shows(url.redacted())) violated("redacted Redis URL shows the password");
    (void)url.endpoint();
  } catch (const std::invalid_argument& e) {
    if (planted && shows(e.what())) violated(std::string("Redis URL error shows: ") + e.what());
  }
}

void databaseUrl(const std::string& text, bool planted) {
  try {
    const auto target = warren::db::parseUrl(text, "/data");
    if (planted && shows(target.display)) violated("DATABASE_URL display shows the password");
  } catch (const warren::db::DbError& e) {
    if (planted && shows(e.what())) violated(std::string("DATABASE_URL error shows: ") + e.what());
  }
}

void outboundUrl(const std::string& text, bool planted) {
  try {
    const auto url = warren::outbound::parseUrl(text);
    check(!url.host.empty() && url.port != 0, "an outbound URL without host or port");
    check(!url.target.empty() && url.target.front() == '/', "a request target without '/'");
    check(url.target.find_first_of("# ") == std::string::npos, "a fragment or space is sent");
    check(url.redacted().find('?') == std::string::npos, "the redacted URL has the query");
    check(!planted, "an outbound URL with credentials was accepted");
  } catch (const std::invalid_argument& e) {
    if (planted && shows(e.what())) violated(std::string("outbound URL error shows: ") + e.what());
  }
}

void s3Endpoint(const std::string& text, bool planted) {
  try {
    const auto endpoint = warren::storage::parseEndpoint(text);
    check(!endpoint.host.empty(), "an S3 endpoint without a host");
    for (const bool pathStyle : {false, true}) {
      const warren::storage::S3Address address(endpoint, "bucket", pathStyle);
      const auto target = address.object("dir/a key+%.txt");
      check(!target.path.empty() && target.path.front() == '/', "an S3 path without '/'");
      (void)warren::storage::S3Address::url(address.bucket(), "list-type=2");
    }
    check(!planted, "an S3 endpoint with credentials was accepted");
  } catch (const warren::storage::StorageError& e) {
    if (planted && shows(e.what())) violated(std::string("S3 endpoint error shows: ") + e.what());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(warren::fuzz::text(data, size));
  redisUrl(text, false);
  databaseUrl(text, false);
  outboundUrl(text, false);
  s3Endpoint(text, false);
  // Planted only where the input does not hold the mark already (the fuzzer learns it from the
  // comparisons above): elsewhere in the url it is no password, and may be shown.
  const auto scheme = text.find("://");
  if (scheme != std::string::npos && !shows(text)) {
    const std::string planted = text.substr(0, scheme + 3) + "user:" + std::string(kPassword) +
                                "@" + text.substr(scheme + 3);
    redisUrl(planted, true);
    databaseUrl(planted, text.rfind("postgres", 0) == 0);  // sqlite: a path, no password
    outboundUrl(planted, true);
    s3Endpoint(planted, true);
  }
  return 0;
}
