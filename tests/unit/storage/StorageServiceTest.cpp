// The SDK's storage table over the local backend, called through function pointers with a NULL
// job as a plugin would outside a job: statuses, JSON shapes and error texts.
#include <gtest/gtest.h>

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <cstring>

#include "TempDir.h"
#include "json/Json.h"
#include "plugins/HostApi.h"
#include "plugins/JobContext.h"
#include "storage/LocalStore.h"
#include "storage/StorageService.h"

namespace warren::storage {
namespace {

namespace fs = std::filesystem;
using warren::test::readFile;
using warren::test::TempDir;
using warren::test::writeFile;

struct Result {
  warren_status status;
  std::string out;
  std::string error;
};

// Copies and frees both buffers as a plugin would (buffer_free of the host table).
Result take(warren_status status, warren_buffer* out, warren_buffer* error) {
  Result r{status, "", ""};
  for (auto [buffer, text] : {std::pair{out, &r.out}, std::pair{error, &r.error}}) {
    if (buffer == nullptr || buffer->data == nullptr) continue;
    EXPECT_EQ(std::strlen(buffer->data), buffer->len);  // NUL-terminated
    text->assign(buffer->data, buffer->len);
    plugins::hostApi()->buffer_free(buffer);
  }
  return r;
}

class StorageServiceTest : public ::testing::Test {
 protected:
  StorageServiceTest() : store_(dir_ / "objects"), api_(storageApi(store_)) {}

  Result put(const char* key, const char* path, const char* type) {
    warren_buffer error{};
    return take(api_->put_file(nullptr, nullptr, key, path, type, &error), nullptr, &error);
  }
  Result get(const char* key, const char* path) {
    warren_buffer error{};
    return take(api_->get_file(nullptr, nullptr, key, path, &error), nullptr, &error);
  }
  Result head(const char* key) {
    warren_buffer info{}, error{};
    return take(api_->head(nullptr, key, &info, &error), &info, &error);
  }
  Result list(const char* prefix) {
    warren_buffer keys{}, error{};
    return take(api_->list(nullptr, prefix, &keys, &error), &keys, &error);
  }
  Result remove(const char* key) {
    warren_buffer error{};
    return take(api_->remove(nullptr, key, &error), nullptr, &error);
  }
  Result presign(const char* key, uint32_t expires) {
    warren_buffer url{}, error{};
    return take(api_->presign_get(nullptr, key, expires, &url, &error), &url, &error);
  }

  TempDir dir_{"warren-storage"};
  LocalStore store_;
  const warren_storage_api* api_;
};

TEST_F(StorageServiceTest, TableIsComplete) {
  ASSERT_NE(api_, nullptr);
  EXPECT_EQ(api_->struct_size, sizeof(warren_storage_api));
  EXPECT_NE(api_->put_file, nullptr);
  EXPECT_NE(api_->presign_get, nullptr);
}

TEST_F(StorageServiceTest, PutGetHeadListRemovePresign) {
  const std::string source = (dir_ / "in.txt").string();
  const std::string target = (dir_ / "out.txt").string();
  writeFile(source, "hello \"storage\"");

  EXPECT_EQ(put("docs/a \"1\".txt", source.c_str(), "text/plain").status, WARREN_OK);
  EXPECT_EQ(put("docs/b.bin", source.c_str(), nullptr).status, WARREN_OK);
  EXPECT_EQ(get("docs/a \"1\".txt", target.c_str()).status, WARREN_OK);
  EXPECT_EQ(readFile(target), "hello \"storage\"");

  const Result info = head("docs/a \"1\".txt");
  ASSERT_EQ(info.status, WARREN_OK) << info.error;
  const auto object = json::parse(info.out).extract<Poco::JSON::Object::Ptr>();
  EXPECT_EQ(object->getValue<std::uint64_t>("size"), 15u);
  EXPECT_EQ(object->getValue<std::string>("content_type"), "text/plain");
  EXPECT_FALSE(object->getValue<std::string>("etag").empty());
  EXPECT_GT(object->getValue<std::int64_t>("modified_ms"), 0);
  EXPECT_EQ(object->size(), 4u);

  const Result keys = list("docs/");
  ASSERT_EQ(keys.status, WARREN_OK);
  EXPECT_EQ(keys.out, "[\"docs/a \\\"1\\\".txt\",\"docs/b.bin\"]");
  EXPECT_EQ(list(nullptr).out, keys.out);  // NULL prefix: everything
  EXPECT_EQ(list("zzz").out, "[]");

  const Result url = presign("docs/b.bin", 600);
  ASSERT_EQ(url.status, WARREN_OK);
  EXPECT_EQ(url.out, "file://" + store_.root().string() + "/docs/b.bin");

  EXPECT_EQ(remove("docs/b.bin").status, WARREN_OK);
  EXPECT_EQ(list("").out, "[\"docs/a \\\"1\\\".txt\"]");
}

TEST_F(StorageServiceTest, ErrorsComeWithStatusAndText) {
  const Result missing = head("nope");
  EXPECT_EQ(missing.status, WARREN_ERR_NOT_FOUND);
  EXPECT_EQ(missing.error, "no object at key \"nope\"");
  EXPECT_TRUE(missing.out.empty());

  const Result download = get("nope", (dir_ / "x").string().c_str());
  EXPECT_EQ(download.status, WARREN_ERR_NOT_FOUND);
  EXPECT_EQ(download.error, "no object at key \"nope\"");

  const Result escape = put("../x", "/etc/hostname", "text/plain");
  EXPECT_EQ(escape.status, WARREN_ERR_INVALID);
  EXPECT_EQ(escape.error, "key \"../x\" has a '..' segment (keys may not leave the store)");

  const Result nullKey = put(nullptr, "/etc/hostname", "text/plain");
  EXPECT_EQ(nullKey.status, WARREN_ERR_INVALID);
  EXPECT_EQ(nullKey.error, "key is NULL");

  const Result nullPath = get("k", nullptr);
  EXPECT_EQ(nullPath.status, WARREN_ERR_INVALID);
  EXPECT_EQ(nullPath.error, "local_path is NULL");

  const Result badExpiry = presign("k", 0);
  EXPECT_EQ(badExpiry.status, WARREN_ERR_INVALID);
  EXPECT_EQ(badExpiry.error, "expiry must be between 1 and 604800 seconds (7 days), got 0");
  EXPECT_TRUE(badExpiry.out.empty());

  const Result badPrefix = list("/");
  EXPECT_EQ(badPrefix.status, WARREN_ERR_INVALID);
  EXPECT_EQ(badPrefix.error,
            "prefix \"/\" starts with '/' (keys are relative, like \"videos/a.mp4\")");
}

TEST_F(StorageServiceTest, NullBuffersAreAllowed) {
  EXPECT_EQ(api_->head(nullptr, "nope", nullptr, nullptr), WARREN_ERR_NOT_FOUND);
  EXPECT_EQ(api_->list(nullptr, "", nullptr, nullptr), WARREN_OK);
  EXPECT_EQ(api_->remove(nullptr, "nope", nullptr), WARREN_OK);
}

TEST_F(StorageServiceTest, ACancelledJobStopsTheTransfer) {
  const std::string source = (dir_ / "big").string();
  writeFile(source, std::string(1 << 20, 'x'));
  plugins::JobContext context(plugins::JobInput{}, plugins::JobSinks{});
  const warren_job job{&context};

  warren_buffer error{};
  EXPECT_EQ(api_->put_file(nullptr, &job, "big", source.c_str(), "", &error), WARREN_OK);
  plugins::hostApi()->buffer_free(&error);

  context.cancel("test");
  const Result cancelled =
      take(api_->put_file(nullptr, &job, "big2", source.c_str(), "", &error), nullptr, &error);
  EXPECT_EQ(cancelled.status, WARREN_ERR_CANCELLED);
  EXPECT_EQ(cancelled.error, "cancelled");
  EXPECT_EQ(head("big2").status, WARREN_ERR_NOT_FOUND);

  const std::string target = (dir_ / "copy").string();
  const Result download =
      take(api_->get_file(nullptr, &job, "big", target.c_str(), &error), nullptr, &error);
  EXPECT_EQ(download.status, WARREN_ERR_CANCELLED);
  EXPECT_FALSE(fs::exists(target));
}

}  // namespace
}  // namespace warren::storage
