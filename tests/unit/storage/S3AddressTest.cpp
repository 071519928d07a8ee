// Endpoint parsing and request targets: virtual-hosted style (AWS's default) and path style
// (MinIO, local servers), with keys encoded segment by segment.
#include <gtest/gtest.h>

#include "Helpers.h"
#include "storage/S3Address.h"

namespace warren::storage {
namespace {

using test::expectError;

TEST(S3Address, VirtualHostedPutsTheBucketInTheHostName) {
  const S3Address address(parseEndpoint("https://s3.eu-west-1.amazonaws.com"), "media", false);
  const Target t = address.object("videos/a b/\xC3\xBC.mp4");
  EXPECT_TRUE(t.https);
  EXPECT_EQ(t.connectHost, "media.s3.eu-west-1.amazonaws.com");
  EXPECT_EQ(t.port, 443);
  EXPECT_EQ(t.hostHeader, "media.s3.eu-west-1.amazonaws.com");
  EXPECT_EQ(t.path, "/videos/a%20b/%C3%BC.mp4");
  EXPECT_EQ(S3Address::url(t, ""),
            "https://media.s3.eu-west-1.amazonaws.com/videos/a%20b/%C3%BC.mp4");
  EXPECT_EQ(address.bucket().path, "/");
}

TEST(S3Address, PathStyleKeepsTheHostAndPutsTheBucketFirst) {
  const S3Address address(parseEndpoint("http://127.0.0.1:9000"), "media", true);
  const Target t = address.object("a+b/c~d.txt");
  EXPECT_FALSE(t.https);
  EXPECT_EQ(t.connectHost, "127.0.0.1");
  EXPECT_EQ(t.port, 9000);
  EXPECT_EQ(t.hostHeader, "127.0.0.1:9000");
  EXPECT_EQ(t.path, "/media/a%2Bb/c~d.txt");
  EXPECT_EQ(address.bucket().path, "/media");
  EXPECT_EQ(S3Address::url(address.bucket(), "list-type=2"),
            "http://127.0.0.1:9000/media?list-type=2");
}

TEST(S3Address, HostHeaderCarriesOnlyANonDefaultPort) {
  EXPECT_EQ(S3Address(parseEndpoint("https://minio.local:443"), "b", true).bucket().hostHeader,
            "minio.local");
  EXPECT_EQ(S3Address(parseEndpoint("http://minio.local"), "b", true).bucket().hostHeader,
            "minio.local");
  EXPECT_EQ(S3Address(parseEndpoint("https://minio.local:9443"), "b", false).bucket().hostHeader,
            "b.minio.local:9443");
  const Target v6 = S3Address(parseEndpoint("http://[::1]:9000"), "b", true).object("k");
  EXPECT_EQ(v6.connectHost, "::1");
  EXPECT_EQ(v6.hostHeader, "[::1]:9000");
}

TEST(S3Address, CloudflareR2Endpoint) {
  const Endpoint e = parseEndpoint("https://0123abcd.r2.cloudflarestorage.com/");
  EXPECT_TRUE(e.https);
  EXPECT_EQ(e.host, "0123abcd.r2.cloudflarestorage.com");
  EXPECT_EQ(e.port, 443);
}

TEST(S3Address, RefusesEndpointsThatAreNotABaseUrl) {
  const std::string hint = " (expected like https://s3.amazonaws.com or http://127.0.0.1:9000)";
  expectError([] { parseEndpoint("ftp://host"); }, ErrorKind::invalid,
              "S3 endpoint \"ftp://host\" must start with http:// or https://" + hint);
  expectError([] { parseEndpoint("s3.amazonaws.com"); }, ErrorKind::invalid,
              "S3 endpoint \"s3.amazonaws.com\" must start with http:// or https://" + hint);
  expectError([] { parseEndpoint("https://host/bucket"); }, ErrorKind::invalid,
              "S3 endpoint \"https://host/bucket\" must not have a path" + hint);
  // The credentials are not shown (found by the urls fuzz target, tests/fuzz/Urls.cpp).
  expectError([] { parseEndpoint("https://key:secret@host"); }, ErrorKind::invalid,
              "S3 endpoint \"https://***@host\" must not hold credentials" + hint);
  // Poco's URI reads no user info from "key:secret@@host": refused all the same.
  expectError([] { parseEndpoint("https://key:secret@@host"); }, ErrorKind::invalid,
              "S3 endpoint \"https://***@host\" must not hold credentials" + hint);
  // Found by the urls fuzz target too: Poco's parse error quoted the url, credentials and all.
  expectError([] { parseEndpoint("https://key:secret@host/%zz"); }, ErrorKind::invalid,
              "S3 endpoint \"https://***@host/%zz\" must not hold credentials" + hint);
  expectError([] { parseEndpoint("ftp://key:secret@host/b@c"); }, ErrorKind::invalid,
              "S3 endpoint \"ftp://***@host/b@c\" must not hold credentials" + hint);
  expectError([] { parseEndpoint("https://host?x=1"); }, ErrorKind::invalid,
              "S3 endpoint \"https://host?x=1\" must not have a query or fragment" + hint);
}

TEST(S3Address, RefusesBadBuckets) {
  expectError([] { S3Address(parseEndpoint("https://h"), "", false); }, ErrorKind::invalid,
              "S3 bucket is empty (S3_BUCKET)");
  expectError([] { S3Address(parseEndpoint("https://h"), "a/b", false); }, ErrorKind::invalid,
              "S3 bucket \"a/b\" contains '/'");
}

}  // namespace
}  // namespace warren::storage
