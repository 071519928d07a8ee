// What the S3 backend does when things go wrong: bad credentials (the server verifies
// signatures), missing keys and buckets, transient 5xx and stalls (retried with backoff), a dead
// endpoint, a failing multipart upload (aborted), cancellation.
#include <gtest/gtest.h>

#include "RedisServer.h"
#include "S3TestServer.h"
#include "TempDir.h"
#include "Util.h"

namespace warren::storage::test {
namespace {

namespace fs = std::filesystem;
using warren::test::readFile;
using warren::test::TempDir;
using warren::test::writeFile;

constexpr std::uint64_t kMiB = 1ull << 20;

class S3FailureTest : public ::testing::Test {
 protected:
  std::unique_ptr<Store> store(const std::function<void(StorageOptions&)>& adjust = {}) {
    StorageOptions o = server_.options();
    if (adjust) adjust(o);
    return makeStore(o);
  }
  fs::path file(const std::string& name, const std::string& content) {
    writeFile(dir_ / name, content);
    return dir_ / name;
  }

  S3TestServer server_;
  TempDir dir_{"warren-s3-files"};
};

TEST_F(S3FailureTest, AWrongSecretIsASignatureError) {
  auto s3 = store([](StorageOptions& o) { o.secretKey = "not-the-secret"; });
  const std::string text =
      errorOf([&] { s3->putFile("k", file("in", "x"), ""); }, ErrorKind::unavailable);
  EXPECT_EQ(text,
            "PUT \"k\" failed: HTTP 403 SignatureDoesNotMatch: The request signature we "
            "calculated does not match the signature you provided. Check your key and signing "
            "method. (check S3_ACCESS_KEY and S3_SECRET_KEY)");
  EXPECT_EQ(text.find("not-the-secret"), std::string::npos);
  errorOf([&] { s3->list(""); }, ErrorKind::unavailable);
  // The right secret still works: the refusal was about the signature.
  store()->putFile("k", dir_ / "in", "");
}

TEST_F(S3FailureTest, AnUnknownAccessKeyIsRefused) {
  auto s3 = store([](StorageOptions& o) { o.accessKey = "NOSUCHKEY"; });
  EXPECT_EQ(errorOf([&] { s3->head("k"); }, ErrorKind::unavailable),
            "HEAD \"k\" failed: HTTP 403 Forbidden");  // HEAD answers carry no error document
  EXPECT_EQ(errorOf([&] { s3->getFile("k", dir_ / "out"); }, ErrorKind::unavailable),
            "GET \"k\" failed: HTTP 403 InvalidAccessKeyId: The AWS Access Key Id you provided "
            "does not exist in our records. (check S3_ACCESS_KEY and S3_SECRET_KEY)");
}

TEST_F(S3FailureTest, MissingKeysAndBuckets) {
  auto s3 = store();
  EXPECT_EQ(errorOf([&] { s3->getFile("nope", dir_ / "out"); }, ErrorKind::not_found),
            "no object at key \"nope\"");
  EXPECT_EQ(errorOf([&] { s3->head("nope"); }, ErrorKind::not_found), "no object at key \"nope\"");
  EXPECT_NO_THROW(s3->remove("nope"));
  EXPECT_FALSE(fs::exists(dir_ / "out"));

  auto noBucket = store([](StorageOptions& o) { o.bucket = "no-such-bucket"; });
  EXPECT_EQ(errorOf([&] { noBucket->getFile("k", dir_ / "out"); }, ErrorKind::unavailable),
            "GET \"k\" failed: HTTP 404 NoSuchBucket: The specified bucket does not exist "
            "(check S3_BUCKET)");
  EXPECT_EQ(errorOf([&] { noBucket->list(""); }, ErrorKind::unavailable),
            "list of \"\" failed: HTTP 404 NoSuchBucket: The specified bucket does not exist "
            "(check S3_BUCKET)");
}

TEST_F(S3FailureTest, TransientServerErrorsAreRetried) {
  auto s3 = store();
  s3->putFile("k", file("in", "payload"), "");
  server_.plan("fail=2&status=503");
  s3->getFile("k", dir_ / "out");
  EXPECT_EQ(readFile(dir_ / "out"), "payload");
  const auto seen = server_.requests();
  EXPECT_EQ(std::count(seen.begin(), seen.end(), "GET /warren-test/k"), 3);

  // Uploads are retried too: the body is read again from the file.
  server_.plan("fail=1&status=500");
  s3->putFile("k2", dir_ / "in", "");
  s3->getFile("k2", dir_ / "out2");
  EXPECT_EQ(readFile(dir_ / "out2"), "payload");
}

TEST_F(S3FailureTest, RetriesStopAfterMaxAttempts) {
  auto s3 = store([](StorageOptions& o) { o.maxAttempts = 2; });
  s3->putFile("k", file("in", "x"), "");
  server_.plan("fail=5&status=503");
  EXPECT_EQ(errorOf([&] { s3->getFile("k", dir_ / "out"); }, ErrorKind::unavailable),
            "GET \"k\" failed after 2 attempts: HTTP 503 SlowDown: Please reduce your request "
            "rate.");
  EXPECT_FALSE(fs::exists(dir_ / "out"));
}

TEST_F(S3FailureTest, StalledRequestsTimeOutAndAreRetried) {
  auto s3 = store([](StorageOptions& o) {
    o.timeoutMs = 500;
    o.maxAttempts = 2;
  });
  s3->putFile("k", file("in", "x"), "");
  server_.plan("stall=1&stallMs=4000");
  EXPECT_EQ(s3->head("k").size, 1u);  // the second attempt is served at once

  server_.plan("stall=2&stallMs=4000");
  const std::string text = errorOf([&] { s3->head("k"); }, ErrorKind::timeout);
  EXPECT_TRUE(startsWith(text, "HEAD \"k\" timed out after 2 attempts (500 ms each): ")) << text;
}

TEST_F(S3FailureTest, ADeadEndpointIsUnavailable) {
  auto s3 = store([](StorageOptions& o) {
    o.endpoint = "http://127.0.0.1:" + std::to_string(warren::test::RedisServer::freePort());
    o.maxAttempts = 2;
  });
  const std::string text = errorOf([&] { s3->head("k"); }, ErrorKind::unavailable);
  EXPECT_TRUE(startsWith(text, "HEAD \"k\" failed after 2 attempts: ")) << text;
  EXPECT_NE(text.find("Connection refused"), std::string::npos) << text;
}

TEST_F(S3FailureTest, AFailedPartAbortsTheMultipartUpload) {
  auto s3 = store([](StorageOptions& o) {
    o.multipartThresholdBytes = 5 * kMiB;
    o.partSizeBytes = 5 * kMiB;
    o.maxAttempts = 1;
  });
  server_.plan("skip=1&fail=1&status=500");  // the start passes, part 1 fails
  EXPECT_EQ(errorOf([&] { s3->putFile("big.bin", file("big", patternBytes(12 * kMiB, 5)), ""); },
                    ErrorKind::unavailable),
            "upload of part 1 of \"big.bin\" failed after 1 attempt: HTTP 500 InternalError: "
            "Injected failure.");
  const auto seen = server_.requests();
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen[0], "POST /warren-test/big.bin?uploads=");
  EXPECT_TRUE(startsWith(seen[1], "PUT /warren-test/big.bin?partNumber=1&uploadId=")) << seen[1];
  EXPECT_TRUE(startsWith(seen[2], "DELETE /warren-test/big.bin?uploadId=")) << seen[2];
  errorOf([&] { s3->head("big.bin"); }, ErrorKind::not_found);
}

TEST_F(S3FailureTest, CancellingStopsBetweenParts) {
  auto s3 = store([](StorageOptions& o) {
    o.multipartThresholdBytes = 5 * kMiB;
    o.partSizeBytes = 5 * kMiB;
  });
  const fs::path big = file("big", patternBytes(12 * kMiB, 9));
  int checks = 0;
  // Cancelled once the first part is on its way (the check runs per chunk read).
  const CancelCheck cancelled = [&] { return ++checks > 30; };
  EXPECT_EQ(errorOf([&] { s3->putFile("big.bin", big, "", cancelled); }, ErrorKind::cancelled),
            "cancelled");
  const auto seen = server_.requests();
  ASSERT_FALSE(seen.empty());
  EXPECT_TRUE(startsWith(seen.back(), "DELETE /warren-test/big.bin?uploadId=")) << seen.back();
  errorOf([&] { s3->head("big.bin"); }, ErrorKind::not_found);

  s3->putFile("small", file("small", "x"), "");
  EXPECT_EQ(errorOf([&] { s3->getFile("small", dir_ / "out", [] { return true; }); },
                    ErrorKind::cancelled),
            "cancelled");
  EXPECT_FALSE(fs::exists(dir_ / "out"));
}

}  // namespace
}  // namespace warren::storage::test
