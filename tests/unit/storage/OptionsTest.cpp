// Choosing and configuring a backend: makeStore and the S3_* environment names.
#include <gtest/gtest.h>

#include <map>

#include "Helpers.h"
#include "TempDir.h"
#include "storage/Store.h"

namespace warren::storage {
namespace {

using test::expectError;

EnvironmentLookup environment(std::map<std::string, std::string> values) {
  return [values](const std::string& name) -> std::optional<std::string> {
    const auto it = values.find(name);
    if (it == values.end()) return std::nullopt;
    return it->second;
  };
}

StorageOptions s3Options() {
  StorageOptions o;
  o.endpoint = "http://127.0.0.1:9";
  o.bucket = "media";
  o.accessKey = "AKID";
  o.secretKey = "secret";
  return o;
}

TEST(StorageOptions, EnvironmentFillsTheS3Settings) {
  StorageOptions o;
  applyEnvironment(o, environment({{"S3_ENDPOINT", "https://s3.example.com"},
                                   {"S3_BUCKET", "media"},
                                   {"S3_ACCESS_KEY", "AKID"},
                                   {"S3_SECRET_KEY", "shh"},
                                   {"S3_REGION", "auto"},
                                   {"S3_PATH_STYLE", "yes"},
                                   {"S3_CA_FILE", "/etc/ca.pem"}}));
  EXPECT_EQ(o.endpoint, "https://s3.example.com");
  EXPECT_EQ(o.bucket, "media");
  EXPECT_EQ(o.accessKey, "AKID");
  EXPECT_EQ(o.secretKey, "shh");
  EXPECT_EQ(o.region, "auto");
  EXPECT_TRUE(o.pathStyle);
  EXPECT_EQ(o.caFile, "/etc/ca.pem");

  StorageOptions unset;
  applyEnvironment(unset, environment({}));
  EXPECT_EQ(unset.region, "us-east-1");
  EXPECT_FALSE(unset.pathStyle);
  expectError(
      [&] {
        applyEnvironment(unset, environment({{"S3_PATH_STYLE", "maybe"}}));
      },
      ErrorKind::invalid,
      "S3_PATH_STYLE must be true or false (also yes/no, on/off, 1/0), got \"maybe\"");
}

TEST(StorageOptions, LocalDirectoryWithoutAnEndpoint) {
  warren::test::TempDir dir{"warren-storage"};
  StorageOptions o;
  o.localRoot = (dir / "objects").string();
  EXPECT_EQ(makeStore(o)->description(), "local directory " + o.localRoot);
  expectError([] { makeStore(StorageOptions{}); }, ErrorKind::invalid,
              "object storage has neither an S3 endpoint (S3_ENDPOINT) nor a local directory "
              "(storage.localDir)");
}

TEST(StorageOptions, S3WithAnEndpoint) {
  StorageOptions o = s3Options();
  o.pathStyle = true;
  EXPECT_EQ(makeStore(o)->description(), "s3 http://127.0.0.1:9 bucket media (path style)");
}

TEST(StorageOptions, IncompleteS3SettingsAreRefused) {
  const auto refused = [](StorageOptions o, const std::string& message) {
    expectError([&] { makeStore(o); }, ErrorKind::invalid, message);
  };
  StorageOptions o = s3Options();
  o.bucket = "";
  refused(o, "S3 bucket is empty (S3_BUCKET)");
  o = s3Options();
  o.accessKey = "";
  refused(o, "S3 access key is empty (S3_ACCESS_KEY)");
  o = s3Options();
  o.secretKey = "";
  refused(o, "S3 secret key is empty (S3_SECRET_KEY)");
  o = s3Options();
  o.partSizeBytes = 1 << 20;
  refused(o,
          "storage part size must be between 5 MiB and 5 GiB (storage.partSizeMb), got 1048576 "
          "bytes");
  o = s3Options();
  o.multipartThresholdBytes = 6ull << 30;
  refused(o, "storage multipart threshold must be at most 5 GiB (storage.multipartThresholdMb)");
  o = s3Options();
  o.endpoint = "s3.amazonaws.com";
  refused(o,
          "S3 endpoint \"s3.amazonaws.com\" must start with http:// or https:// (expected like "
          "https://s3.amazonaws.com or http://127.0.0.1:9000)");
  o = s3Options();
  o.endpoint = "https://s3.example.com";
  o.caFile = "/nonexistent/ca.pem";
  try {
    makeStore(o);
    ADD_FAILURE() << "a missing CA file was accepted";
  } catch (const StorageError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::invalid);
    EXPECT_EQ(std::string(e.what()).rfind(
                  "cannot set up TLS for S3 (CA file \"/nonexistent/ca.pem\"): ", 0),
              0u)
        << e.what();
  }
}

}  // namespace
}  // namespace warren::storage
