// The SDK's storage table over the S3 backend, called as a plugin calls it (NULL job): the same
// statuses and JSON as over the local directory, and S3's refusals as readable text.
#include <gtest/gtest.h>

#include <Poco/JSON/Object.h>

#include <cstring>

#include "S3TestServer.h"
#include "TempDir.h"
#include "Util.h"
#include "json/Json.h"
#include "plugins/HostApi.h"
#include "storage/StorageService.h"

namespace warren::storage::test {
namespace {

using warren::test::readFile;
using warren::test::TempDir;
using warren::test::writeFile;

struct Result {
  warren_status status;
  std::string out;
  std::string error;
};

Result take(warren_status status, warren_buffer* out, warren_buffer* error) {
  Result r{status, "", ""};
  for (auto [buffer, text] : {std::pair{out, &r.out}, std::pair{error, &r.error}}) {
    if (buffer == nullptr || buffer->data == nullptr) continue;
    EXPECT_EQ(std::strlen(buffer->data), buffer->len);
    text->assign(buffer->data, buffer->len);
    plugins::hostApi()->buffer_free(buffer);
  }
  return r;
}

TEST(S3Service, PluginsUseS3ThroughTheTable) {
  S3TestServer server;
  TempDir dir{"warren-s3-files"};
  auto store = makeStore(server.options());
  const warren_storage_api* api = storageApi(*store);
  const std::string source = (dir / "in.json").string();
  const std::string target = (dir / "out.json").string();
  writeFile(source, "{\"frames\":25}");

  warren_buffer out{}, error{};
  Result r = take(api->put_file(nullptr, nullptr, "jobs/1/meta.json", source.c_str(),
                                "application/json", &error),
                  nullptr, &error);
  ASSERT_EQ(r.status, WARREN_OK) << r.error;
  r = take(api->get_file(nullptr, nullptr, "jobs/1/meta.json", target.c_str(), &error), nullptr,
           &error);
  ASSERT_EQ(r.status, WARREN_OK) << r.error;
  EXPECT_EQ(readFile(target), "{\"frames\":25}");

  r = take(api->head(nullptr, "jobs/1/meta.json", &out, &error), &out, &error);
  ASSERT_EQ(r.status, WARREN_OK) << r.error;
  const auto info = json::parse(r.out).extract<Poco::JSON::Object::Ptr>();
  EXPECT_EQ(info->getValue<std::uint64_t>("size"), 13u);
  EXPECT_EQ(info->getValue<std::string>("content_type"), "application/json");
  EXPECT_EQ(info->getValue<std::string>("etag").size(), 32u);
  EXPECT_GT(info->getValue<std::int64_t>("modified_ms"), 0);

  r = take(api->list(nullptr, "jobs/", &out, &error), &out, &error);
  ASSERT_EQ(r.status, WARREN_OK) << r.error;
  EXPECT_EQ(r.out, "[\"jobs/1/meta.json\"]");

  r = take(api->presign_get(nullptr, "jobs/1/meta.json", 300, &out, &error), &out, &error);
  ASSERT_EQ(r.status, WARREN_OK) << r.error;
  EXPECT_TRUE(startsWith(r.out, server.endpoint() + "/warren-test/jobs/1/meta.json?")) << r.out;

  r = take(api->remove(nullptr, "jobs/1/meta.json", &error), nullptr, &error);
  ASSERT_EQ(r.status, WARREN_OK) << r.error;
  r = take(api->head(nullptr, "jobs/1/meta.json", &out, &error), &out, &error);
  EXPECT_EQ(r.status, WARREN_ERR_NOT_FOUND);
  EXPECT_EQ(r.error, "no object at key \"jobs/1/meta.json\"");
  EXPECT_TRUE(r.out.empty());

  r = take(api->get_file(nullptr, nullptr, "a//b", target.c_str(), &error), nullptr, &error);
  EXPECT_EQ(r.status, WARREN_ERR_INVALID);
  EXPECT_EQ(r.error, "key \"a//b\" has an empty segment ('//' or a trailing '/')");
}

TEST(S3Service, AWrongSecretReachesThePluginAsText) {
  S3TestServer server;
  TempDir dir{"warren-s3-files"};
  StorageOptions options = server.options();
  options.secretKey = "wrong-secret";
  auto store = makeStore(options);
  const warren_storage_api* api = storageApi(*store);
  writeFile(dir / "in", "x");

  warren_buffer error{};
  const Result r =
      take(api->put_file(nullptr, nullptr, "k", (dir / "in").c_str(), "text/plain", &error),
           nullptr, &error);
  EXPECT_EQ(r.status, WARREN_ERR_UNAVAILABLE);
  EXPECT_EQ(r.error,
            "PUT \"k\" failed: HTTP 403 SignatureDoesNotMatch: The request signature we "
            "calculated does not match the signature you provided. Check your key and signing "
            "method. (check S3_ACCESS_KEY and S3_SECRET_KEY)");
}

}  // namespace
}  // namespace warren::storage::test
