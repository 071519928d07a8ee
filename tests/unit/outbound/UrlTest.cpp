// Which URLs the outbound client accepts, what it sends, and what it refuses, word for word.
#include "outbound/Url.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

namespace warren::outbound {
namespace {

std::string refusal(std::string_view text) {
  try {
    parseUrl(text);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "accepted";
}

TEST(OutboundUrl, SplitsHostPortAndTarget) {
  const Url url = parseUrl("https://API.Example.com:8443/v1/chat?key=secret#part");
  EXPECT_TRUE(url.tls);
  EXPECT_EQ(url.host, "api.example.com");
  EXPECT_EQ(url.port, 8443);
  EXPECT_EQ(url.target, "/v1/chat?key=secret");
  EXPECT_EQ(url.path, "/v1/chat");
  EXPECT_FALSE(url.ipLiteral);
  EXPECT_EQ(url.redacted(), "https://api.example.com:8443/v1/chat");
}

TEST(OutboundUrl, DefaultsPortAndPath) {
  const Url plain = parseUrl("HTTP://127.0.0.1");
  EXPECT_FALSE(plain.tls);
  EXPECT_EQ(plain.port, 80);
  EXPECT_EQ(plain.target, "/");
  EXPECT_TRUE(plain.ipLiteral);
  EXPECT_EQ(parseUrl("https://example.com?q=1").target, "/?q=1");
  EXPECT_EQ(parseUrl("https://example.com").port, 443);
}

TEST(OutboundUrl, ReadsIpv6Literals) {
  const Url url = parseUrl("http://[::1]:8080/x");
  EXPECT_EQ(url.host, "::1");
  EXPECT_EQ(url.port, 8080);
  EXPECT_TRUE(url.ipLiteral);
  EXPECT_EQ(url.authority(), "[::1]:8080");
}

TEST(OutboundUrl, RefusesWithTheUrlAndTheReason) {
  EXPECT_EQ(refusal("ftp://x"), "invalid url 'ftp://x': only http and https are supported");
  EXPECT_EQ(refusal("example.com/path"),
            "invalid url 'example.com/path': expected an absolute url like https://host/path");
  EXPECT_EQ(refusal(""), "invalid url '': it is empty");
  EXPECT_EQ(refusal("http:///path"), "invalid url 'http:///path': it has no host");
  EXPECT_EQ(refusal("http://host:0/"),
            "invalid url 'http://host:0/': port '0' is not a number from 1 to 65535");
  EXPECT_EQ(refusal("http://host:99999/"),
            "invalid url 'http://host:99999/': port '99999' is not a number from 1 to 65535");
  EXPECT_EQ(refusal("http://host:http/"),
            "invalid url 'http://host:http/': port 'http' is not a number from 1 to 65535");
  EXPECT_EQ(refusal("http://user:pw@host/"),
            "invalid url 'http://***@host/': user credentials in the url are not supported "
            "(send an Authorization header)");
  EXPECT_EQ(refusal("http://ho st/"),
            "invalid url 'http://ho st/': it contains a space, a control character or a "
            "non-ASCII byte (percent-encode them)");
  EXPECT_EQ(refusal("http://host/\r\nX-Injected: 1"),
            "invalid url 'http://host/\r\nX-Injected: 1': it contains a space, a control "
            "character or a non-ASCII byte (percent-encode them)");
  EXPECT_EQ(refusal("http://h$st/"), "invalid url 'http://h$st/': 'h$st' is not a valid host name");
  EXPECT_EQ(refusal("http://[::1/"),
            "invalid url 'http://[::1/': the IPv6 address has no closing ']'");
  EXPECT_EQ(refusal("http://[zz::1]/"),
            "invalid url 'http://[zz::1]/': 'zz::1' is not an IPv6 address");
}

// Found by the urls fuzz target (tests/fuzz/Urls.cpp): a refusal showed the url as given, so the
// credentials it refuses ended up in the error (and so in failed jobs and logs).
TEST(OutboundUrl, RefusalsNeverShowCredentials) {
  EXPECT_EQ(refusal("https://me:s3cret@api.example.com:99999/v1?q=1"),
            "invalid url 'https://***@api.example.com:99999/v1?q=1': user credentials in the url "
            "are not supported (send an Authorization header)");
  EXPECT_EQ(refusal("https://me:s3c@ret@ho st/"),
            "invalid url 'https://***@ho st/': it contains a space, a control character or a "
            "non-ASCII byte (percent-encode them)");
  EXPECT_EQ(refusal("me:s3cret@host/x"),
            "invalid url '***@host/x': expected an absolute url like https://host/path");
  // An '@' past the authority is no credential and stays.
  EXPECT_EQ(refusal("ftp://host/a@b"),
            "invalid url 'ftp://host/a@b': only http and https are supported");
}

}  // namespace
}  // namespace warren::outbound
