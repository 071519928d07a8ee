// The S3 backend against a local S3 server that verifies every SigV4 signature: round trips,
// multipart uploads, listing with pagination, presigned URLs fetched by a plain HTTP client, TLS.
#include <gtest/gtest.h>

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>

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

// GET `url` with a plain client (no credentials): status and body.
std::pair<int, std::string> fetch(const std::string& url) {
  const Poco::URI uri(url);
  Poco::Net::HTTPClientSession session(uri.getHost(), uri.getPort());
  Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, uri.getPathEtc(),
                                 Poco::Net::HTTPMessage::HTTP_1_1);
  session.sendRequest(request);
  Poco::Net::HTTPResponse response;
  std::string body;
  Poco::StreamCopier::copyToString(session.receiveResponse(response), body);
  return {static_cast<int>(response.getStatus()), body};
}

class S3StoreTest : public ::testing::Test {
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

TEST_F(S3StoreTest, RoundTripWithHeadListAndRemove) {
  auto s3 = store();
  const std::string key = "videos/2024/clip one+(1)~\xC3\xBC.txt";
  s3->putFile(key, file("in.txt", "hello object storage"), "text/plain; charset=utf-8");
  s3->getFile(key, dir_ / "out.txt");
  EXPECT_EQ(readFile(dir_ / "out.txt"), "hello object storage");

  const ObjectInfo info = s3->head(key);
  EXPECT_EQ(info.size, 20u);
  EXPECT_EQ(info.contentType, "text/plain; charset=utf-8");
  EXPECT_EQ(info.etag.size(), 32u) << info.etag;  // MD5 of a single PUT, quotes removed
  const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  EXPECT_LE(std::abs(now - info.modifiedMs), 60000);

  EXPECT_EQ(s3->list("videos/"), std::vector<std::string>{key});
  EXPECT_EQ(s3->list("videos/2024/clip one"), std::vector<std::string>{key});
  s3->remove(key);
  EXPECT_TRUE(s3->list("").empty());
  errorOf([&] { s3->head(key); }, ErrorKind::not_found);
}

TEST_F(S3StoreTest, EmptyObjectsAndDefaultContentType) {
  auto s3 = store();
  s3->putFile("empty", file("empty", ""), "");
  const ObjectInfo info = s3->head("empty");
  EXPECT_EQ(info.size, 0u);
  EXPECT_EQ(info.contentType, "application/octet-stream");
  writeFile(dir_ / "out", "old content");
  s3->getFile("empty", dir_ / "out");
  EXPECT_EQ(readFile(dir_ / "out"), "");
}

TEST_F(S3StoreTest, LargeFilesGoUpInParts) {
  auto s3 = store([](StorageOptions& o) {
    o.multipartThresholdBytes = 5 * kMiB;
    o.partSizeBytes = 5 * kMiB;
  });
  const std::string content = patternBytes(12 * kMiB, 7);
  s3->putFile("big/file.bin", file("big.bin", content), "application/x-test");

  // CreateMultipartUpload, three UploadPart (5 + 5 + 2 MiB), CompleteMultipartUpload.
  const std::vector<std::string> seen = server_.requests();
  ASSERT_EQ(seen.size(), 5u);
  EXPECT_EQ(seen[0], "POST /warren-test/big/file.bin?uploads=");
  for (int part = 1; part <= 3; ++part) {
    EXPECT_TRUE(startsWith(
        seen[static_cast<std::size_t>(part)],
        "PUT /warren-test/big/file.bin?partNumber=" + std::to_string(part) + "&uploadId="))
        << seen[static_cast<std::size_t>(part)];
  }
  EXPECT_TRUE(startsWith(seen[4], "POST /warren-test/big/file.bin?uploadId=")) << seen[4];

  s3->getFile("big/file.bin", dir_ / "copy.bin");
  EXPECT_TRUE(readFile(dir_ / "copy.bin") == content);
  const ObjectInfo info = s3->head("big/file.bin");
  EXPECT_EQ(info.size, 12 * kMiB);
  EXPECT_EQ(info.contentType, "application/x-test");
}

TEST_F(S3StoreTest, FilesUpToTheThresholdGoInOnePut) {
  auto s3 = store([](StorageOptions& o) {
    o.multipartThresholdBytes = 5 * kMiB;
    o.partSizeBytes = 5 * kMiB;
  });
  const std::string content = patternBytes(5 * kMiB, 3);
  s3->putFile("exact.bin", file("exact.bin", content), "");
  EXPECT_EQ(server_.requests(), std::vector<std::string>{"PUT /warren-test/exact.bin"});
  s3->getFile("exact.bin", dir_ / "copy.bin");
  EXPECT_TRUE(readFile(dir_ / "copy.bin") == content);
}

TEST_F(S3StoreTest, ListFollowsContinuationTokens) {
  auto s3 = store([](StorageOptions& o) { o.listPageSize = 2; });
  const fs::path source = file("x", "x");
  for (const std::string key : {"logs/e", "logs/a", "logs/c", "logs/b", "logs/d", "other"}) {
    s3->putFile(key, source, "");
  }
  const std::size_t before = server_.requests().size();
  EXPECT_EQ(s3->list("logs/"),
            (std::vector<std::string>{"logs/a", "logs/b", "logs/c", "logs/d", "logs/e"}));
  const std::vector<std::string> seen = server_.requests();
  ASSERT_EQ(seen.size() - before, 3u);  // pages of 2, 2 and 1
  EXPECT_EQ(seen[before], "GET /warren-test?list-type=2&max-keys=2&prefix=logs%2F");
  EXPECT_TRUE(startsWith(seen[before + 1], "GET /warren-test?continuation-token="))
      << seen[before + 1];
  EXPECT_EQ(s3->list("").size(), 6u);
}

TEST_F(S3StoreTest, PresignedUrlServesTheBytesToAPlainClient) {
  auto s3 = store();
  const std::string content = patternBytes(300000, 11);
  s3->putFile("shared/report 1.pdf", file("r.pdf", content), "application/pdf");
  const std::string url = s3->presignGet("shared/report 1.pdf", 600);
  EXPECT_TRUE(startsWith(
      url, server_.endpoint() + "/warren-test/shared/report%201.pdf?" +
               "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=" + "WARRENTESTKEY%2F"))
      << url;
  EXPECT_NE(url.find("&X-Amz-Expires=600&X-Amz-SignedHeaders=host&X-Amz-Signature="),
            std::string::npos);

  const auto [status, body] = fetch(url);
  EXPECT_EQ(status, 200);
  EXPECT_TRUE(body == content);

  // The server checks the signature: one changed character and it refuses.
  std::string tampered = url;
  tampered.back() = tampered.back() == '0' ? '1' : '0';
  const auto refused = fetch(tampered);
  EXPECT_EQ(refused.first, 403);
  EXPECT_NE(refused.second.find("SignatureDoesNotMatch"), std::string::npos);
}

TEST_F(S3StoreTest, DownloadsReplaceTheTargetOnlyWhenComplete) {
  auto s3 = store();
  writeFile(dir_ / "target", "previous");
  errorOf([&] { s3->getFile("missing", dir_ / "target"); }, ErrorKind::not_found);
  EXPECT_EQ(readFile(dir_ / "target"), "previous");
  for (const auto& entry : fs::directory_iterator(dir_.path())) {
    EXPECT_EQ(entry.path().filename().string().find(".warren-"), std::string::npos) << entry.path();
  }
}

TEST(S3StoreTls, VerifiesTheServerCertificate) {
  TempDir certDir{"warren-s3-certs"};
  auto certs = std::make_shared<const warren::test::TestCertificates>(
      warren::test::TestCertificates::generate(certDir.path()));
  S3TestServer server({.tls = certs});
  TempDir dir{"warren-s3-files"};
  writeFile(dir / "in", "over tls");

  // Trusting the test CA: a round trip over https (UNSIGNED-PAYLOAD bodies).
  auto trusted = makeStore(server.options());
  trusted->putFile("tls/a", dir / "in", "text/plain");
  trusted->getFile("tls/a", dir / "out");
  EXPECT_EQ(readFile(dir / "out"), "over tls");

  // With the system's CAs only, the certificate is refused, and not retried.
  StorageOptions system = server.options();
  system.caFile.clear();
  auto untrusted = makeStore(system);
  const std::string text = errorOf([&] { untrusted->head("tls/a"); }, ErrorKind::unavailable);
  EXPECT_TRUE(startsWith(
      text, "TLS connection to localhost:" + std::to_string(server.port()) + " failed: "))
      << text;
}

}  // namespace
}  // namespace warren::storage::test
